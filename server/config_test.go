package server

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestConfigFileThenFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "zarrsql.yaml")
	yaml := "listen: 127.0.0.1:4000\ntables: [\"a=/data/a.zarr\"]\nmax_row_cells: 1000\n"
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	if err := cfg.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	if err := fs.Parse([]string{"--max-row-cells", "5", "--table", "b=/data/b.zarr"}); err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:4000" || cfg.MaxRowCells != 5 || strings.Join(cfg.Tables, ",") != "a=/data/a.zarr,b=/data/b.zarr" {
		t.Fatalf("config %+v", cfg)
	}
	if cfg.DemoOn() {
		t.Fatal("demo on although tables are given")
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestConfigErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("listne: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	if err := cfg.LoadFile(path); err == nil || !strings.Contains(err.Error(), "listne") {
		t.Fatalf("unknown key: %v", err)
	}
	for _, mutate := range []func(*Config){
		func(c *Config) { c.Listen = "" },
		func(c *Config) { c.MaxRowCells = 0 },
		func(c *Config) { c.Database = "" },
		func(c *Config) { c.LogFormat = "xml" },
		func(c *Config) { c.LogLevel = "loud" },
	} {
		c := Defaults()
		mutate(&c)
		if c.Validate() == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if !Defaults().DemoOn() {
		t.Error("demo off by default")
	}
}

func TestFormatValue(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
	}{
		{nil, "NULL"}, {float32(0.1), "0.1"}, {float64(2.5e-7), "2.5e-07"}, {int64(-3), "-3"},
		{"a\tb", `a\tb`}, {[]byte("x"), "x"},
	} {
		if got := formatValue(tc.in); got != tc.want {
			t.Errorf("formatValue(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestConfigPrecedence: flags over ZARRSQL_ environment over the YAML file over defaults.
func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "zarrsql.yaml")
	yaml := "listen: 127.0.0.1:4000\nhttp: 127.0.0.1:9000\ntables: [\"a=/data/a.zarr\"]\nmax_row_cells: 1000\nlog_format: json\n"
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.yaml")
	if err := os.WriteFile(other, []byte("listen: 127.0.0.1:5000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	def := Defaults()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want func(Config) bool
	}{
		{"defaults", nil, nil, func(c Config) bool {
			return c.Listen == def.Listen && c.HTTP == "127.0.0.1:8080" && c.LogFormat == "text" && c.LogLevel == "info"
		}},
		{"file", nil, []string{"--config", file}, func(c Config) bool {
			return c.Listen == "127.0.0.1:4000" && c.HTTP == "127.0.0.1:9000" && c.MaxRowCells == 1000 && c.LogFormat == "json"
		}},
		{"file named by ZARRSQL_CONFIG", map[string]string{"ZARRSQL_CONFIG": file}, nil, func(c Config) bool {
			return c.Listen == "127.0.0.1:4000"
		}},
		{"--config over ZARRSQL_CONFIG", map[string]string{"ZARRSQL_CONFIG": file}, []string{"--config", other}, func(c Config) bool {
			return c.Listen == "127.0.0.1:5000" && c.MaxRowCells == def.MaxRowCells
		}},
		{"environment over file", map[string]string{"ZARRSQL_LISTEN": "127.0.0.1:4001", "ZARRSQL_MAX_ROW_CELLS": "2_000"}, []string{"--config", file},
			func(c Config) bool {
				return c.Listen == "127.0.0.1:4001" && c.MaxRowCells == 2000 && c.HTTP == "127.0.0.1:9000"
			}},
		{"flags over environment", map[string]string{"ZARRSQL_LISTEN": "127.0.0.1:4001", "ZARRSQL_LOG_LEVEL": "debug"}, []string{"--config", file, "--listen", "127.0.0.1:4002"},
			func(c Config) bool { return c.Listen == "127.0.0.1:4002" && c.LogLevel == "debug" }},
		{"empty ZARRSQL_HTTP turns HTTP off", map[string]string{"ZARRSQL_HTTP": ""}, []string{"--config", file}, func(c Config) bool {
			return c.HTTP == ""
		}},
		{"--http over ZARRSQL_HTTP", map[string]string{"ZARRSQL_HTTP": ""}, []string{"--http", "127.0.0.1:0"}, func(c Config) bool {
			return c.HTTP == "127.0.0.1:0"
		}},
		{"ZARRSQL_TABLES replaces the file's, --table adds", map[string]string{"ZARRSQL_TABLES": "b=/b.zarr, c=/c.zarr@local"}, []string{"--config", file, "--table", "d=/d.zarr"},
			func(c Config) bool { return strings.Join(c.Tables, ",") == "b=/b.zarr,c=/c.zarr@local,d=/d.zarr" }},
		{"booleans", map[string]string{"ZARRSQL_DEMO": "false", "ZARRSQL_BUILTINS": "0", "ZARRSQL_ROW_PATH_ONLY": "true"}, nil, func(c Config) bool {
			return c.Demo != nil && !*c.Demo && !c.Builtins && c.RowPathOnly
		}},
		{"--demo over ZARRSQL_DEMO", map[string]string{"ZARRSQL_DEMO": "false"}, []string{"--demo"}, func(c Config) bool {
			return c.DemoOn()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := LoadConfig(newTestFlags, tc.args, lookup(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want(cfg) {
				t.Fatalf("config %+v", cfg)
			}
		})
	}
}

func newTestFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func lookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
}

// TestConfigEnvEveryKey: every YAML key has its ZARRSQL_ variable.
func TestConfigEnvEveryKey(t *testing.T) {
	v := reflect.ValueOf(Defaults())
	for i := range v.NumField() {
		key, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		if v.Field(i).Kind() == reflect.Struct {
			continue // nested sections: ZARRSQL_SECTION_KEY, tested with their section
		}
		t.Run(key, func(t *testing.T) {
			value := otherValue(v.Field(i))
			cfg := Defaults()
			if err := cfg.LoadEnv(lookup(map[string]string{"ZARRSQL_" + strings.ToUpper(key): value})); err != nil {
				t.Fatal(err)
			}
			if reflect.DeepEqual(reflect.ValueOf(cfg).Field(i).Interface(), v.Field(i).Interface()) {
				t.Fatalf("ZARRSQL_%s=%s left %s at %v", strings.ToUpper(key), value, key, v.Field(i))
			}
		})
	}
}

// otherValue is an environment value for field f other than its default.
func otherValue(f reflect.Value) string {
	switch f.Kind() {
	case reflect.Bool:
		return strconv.FormatBool(!f.Bool())
	case reflect.Int, reflect.Int64:
		return "7"
	case reflect.Slice:
		return "a,b"
	case reflect.Pointer:
		return "false"
	}
	return "x"
}

func TestConfigEnvErrors(t *testing.T) {
	for name, value := range map[string]string{
		"ZARRSQL_MAX_ROW_CELLS": "many", "ZARRSQL_MAX_GROUPS": "1.5", "ZARRSQL_BUILTINS": "sure", "ZARRSQL_DEMO": "",
	} {
		cfg := Defaults()
		err := cfg.LoadEnv(lookup(map[string]string{name: value}))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: error %v, want one naming the variable", name, value, err)
		}
	}
}
