package server

import (
	"flag"
	"fmt"
	"github.com/zarrsql/zarrsql/distributed"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/zarrsql/zarrsql/planner"
)

// Config is everything a coordinator is configured with: one struct, loadable from a YAML
// file, ZARRSQL_ environment variables and flags, in rising precedence (see LoadConfig).
// Every limit has a safe non-zero default (see Defaults).
type Config struct {
	// Listen is the MySQL protocol address.
	Listen string `yaml:"listen"`
	// HTTP is the address of /metrics, /healthz and the status page; empty: none.
	HTTP string `yaml:"http"`
	// LogFormat is "text" or "json".
	LogFormat string `yaml:"log_format"`
	// LogLevel is "debug", "info", "warn" or "error".
	LogLevel string `yaml:"log_level"`
	// Database is the name of the SQL database holding the datasets.
	Database string `yaml:"database"`
	// DataDir holds the demo stores (written on first start) and other local state.
	DataDir string `yaml:"data_dir"`
	// Tables registers datasets: NAME=URL or NAME=URL@REGION.
	Tables []string `yaml:"tables"`
	// CatalogFile is where registrations made by SQL are kept: a YAML catalog file, or a
	// postgres:// URL of a catalog that several coordinators share.
	CatalogFile string `yaml:"catalog_file"`
	// Demo writes and serves the sample ERA5-like and LENS-like stores. Unset: on when no
	// dataset is given by Tables or CatalogFile.
	Demo *bool `yaml:"demo"`
	// Builtins registers the catalog entries of the real cloud stores (opened lazily).
	Builtins bool `yaml:"builtins"`
	// MaxRowCells caps the cells one query may scan row by row.
	MaxRowCells int64 `yaml:"max_row_cells"`
	// RowPathOnly runs every query on GMS's row engine, never as an array plan (for
	// comparing the two paths; much slower).
	RowPathOnly bool `yaml:"row_path_only"`
	// MaxGroups caps the groups of one array plan's partial aggregates.
	MaxGroups int `yaml:"max_groups"`
	// Executors are the regional executors, REGION=HOST:PORT; none: every fragment runs
	// in-process.
	Executors []string `yaml:"executors"`
	// AllowRemoteReads lets fragments of a region without executors run elsewhere,
	// reading across regions.
	AllowRemoteReads bool `yaml:"allow_remote_reads"`
	// ExecutorTLSCert, ExecutorTLSKey, ExecutorTLSCA: mTLS to the executors (the CA turns
	// TLS on). ExecutorTokenFile holds their shared token (or ZARRSQL_EXECUTOR_TOKEN).
	ExecutorTLSCert   string `yaml:"executor_tls_cert"`
	ExecutorTLSKey    string `yaml:"executor_tls_key"`
	ExecutorTLSCA     string `yaml:"executor_tls_ca"`
	ExecutorTokenFile string `yaml:"executor_token_file"`
	// ExecutorAllowInsecure allows plaintext to executors off loopback.
	ExecutorAllowInsecure bool `yaml:"executor_allow_insecure"`
	// Auth secures the MySQL port (see AuthConfig).
	Auth AuthConfig `yaml:"auth"`
}

// Defaults returns the configuration used where nothing else is said.
func Defaults() Config {
	return Config{
		Listen:      "127.0.0.1:3306",
		HTTP:        "127.0.0.1:8080",
		LogFormat:   "text",
		LogLevel:    "info",
		Database:    "zarrsql",
		DataDir:     defaultDataDir(),
		Builtins:    true,
		MaxRowCells: 200_000_000,
		MaxGroups:   planner.DefaultMaxGroups,
	}
}

func defaultDataDir() string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "zarrsql")
	}
	return filepath.Join(os.TempDir(), "zarrsql")
}

// LoadFile overlays the YAML file at path on c.
func (c *Config) LoadFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		return fmt.Errorf("config %s: %w", path, err)
	}
	return nil
}

// EnvPrefix starts the environment variable of every configuration key: ZARRSQL_ and the
// YAML key upper-cased (ZARRSQL_LISTEN, ZARRSQL_MAX_ROW_CELLS). ZARRSQL_CONFIG names the
// YAML file when --config does not.
const EnvPrefix = "ZARRSQL_"

// LoadConfig builds a command's configuration: Defaults, then the YAML file named by
// --config (or ZARRSQL_CONFIG), then the ZARRSQL_ variables getenv finds, then the flags
// in args. newFlags returns an empty flag set with the command's own flags; it is called
// twice, since the flags are parsed once to find the file and again over it. A --table
// flag adds to the tables of the file or environment.
func LoadConfig(newFlags func() *flag.FlagSet, args []string, getenv func(string) (string, bool)) (Config, error) {
	file, _ := getenv(EnvPrefix + "CONFIG")
	cfg := Defaults()
	if err := cfg.parseFlags(newFlags(), args, &file); err != nil {
		return cfg, err
	}
	cfg = Defaults()
	if file != "" {
		if err := cfg.LoadFile(file); err != nil {
			return cfg, err
		}
	}
	if err := cfg.LoadEnv(getenv); err != nil {
		return cfg, err
	}
	return cfg, cfg.parseFlags(newFlags(), args, &file)
}

func (c *Config) parseFlags(fs *flag.FlagSet, args []string, file *string) error {
	fs.StringVar(file, "config", *file, "YAML configuration file (ZARRSQL_ environment variables and flags override it)")
	c.RegisterFlags(fs)
	return fs.Parse(args)
}

// LoadEnv overlays on c the variables getenv finds for its keys (see EnvPrefix). Lists are
// comma-separated; an empty list variable empties the list, an empty string variable sets
// the empty string (ZARRSQL_HTTP= turns the HTTP listener off).
func (c *Config) LoadEnv(getenv func(string) (string, bool)) error {
	return loadEnv(reflect.ValueOf(c).Elem(), EnvPrefix, getenv)
}

// loadEnv overlays on the struct v the variables named prefix+KEY; a nested struct's keys
// are prefixed by its own (ZARRSQL_LIMITS_MAX_PACKET).
func loadEnv(v reflect.Value, prefix string, getenv func(string) (string, bool)) error {
	for i := range v.NumField() {
		key, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		if key == "" || key == "-" {
			continue
		}
		name := prefix + strings.ToUpper(key)
		if v.Field(i).Kind() == reflect.Struct {
			if err := loadEnv(v.Field(i), name+"_", getenv); err != nil {
				return err
			}
			continue
		}
		s, ok := getenv(name)
		if !ok {
			continue
		}
		if err := setFromEnv(v.Field(i), s); err != nil {
			return fmt.Errorf("environment %s=%q: %w", name, s, err)
		}
	}
	return nil
}

// setFromEnv parses s into the configuration field f.
func setFromEnv(f reflect.Value, s string) error {
	switch f.Kind() {
	case reflect.String:
		f.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		f.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, f.Type().Bits())
		if err != nil {
			return err
		}
		f.SetInt(n)
	case reflect.Pointer:
		p := reflect.New(f.Type().Elem())
		if err := setFromEnv(p.Elem(), s); err != nil {
			return err
		}
		f.Set(p)
	case reflect.Slice:
		return setList(f, s)
	default:
		return fmt.Errorf("unsupported field type %s", f.Type())
	}
	return nil
}

// setList sets the []string field f to the comma-separated items of s.
func setList(f reflect.Value, s string) error {
	if f.Type().Elem().Kind() != reflect.String {
		return fmt.Errorf("unsupported field type %s", f.Type())
	}
	var items []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	f.Set(reflect.ValueOf(items))
	return nil
}

// RegisterFlags binds the configuration to flags; values already in c are the defaults.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Listen, "listen", c.Listen, "MySQL protocol address")
	fs.StringVar(&c.HTTP, "http", c.HTTP, "address of /metrics, /healthz and the status page (empty: none)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "least level logged: debug, info, warn or error")
	fs.StringVar(&c.Database, "database", c.Database, "name of the SQL database holding the datasets")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "directory for the demo stores and local state")
	fs.Func("table", "register a dataset: NAME=URL or NAME=URL@REGION (repeatable)", func(s string) error {
		c.Tables = append(c.Tables, s)
		return nil
	})
	fs.StringVar(&c.CatalogFile, "catalog", c.CatalogFile, "catalog of datasets: a YAML file, or a postgres:// URL shared by several coordinators (SQL registrations are saved to it)")
	fs.BoolFunc("demo", "serve the demo stores (default: when no --table or --catalog is given)", func(s string) error {
		v := s != "false"
		c.Demo = &v
		return nil
	})
	fs.BoolVar(&c.Builtins, "builtins", c.Builtins, "register catalog entries for the real ERA5 and CESM LENS stores")
	fs.Int64Var(&c.MaxRowCells, "max-row-cells", c.MaxRowCells, "most cells one query may scan row by row")
	fs.BoolVar(&c.RowPathOnly, "row-path-only", c.RowPathOnly, "run every query on the row engine, never as an array plan")
	fs.IntVar(&c.MaxGroups, "max-groups", c.MaxGroups, "most groups one array plan's partial aggregates may hold")
	fs.Func("executor", "a regional executor: REGION=HOST:PORT (repeatable)", func(s string) error {
		if _, err := distributed.ParseEndpoint(s); err != nil {
			return err
		}
		c.Executors = append(c.Executors, s)
		return nil
	})
	fs.BoolVar(&c.AllowRemoteReads, "allow-remote-reads", c.AllowRemoteReads, "run fragments of a region without executors elsewhere, reading across regions")
	fs.StringVar(&c.ExecutorTLSCert, "executor-tls-cert", c.ExecutorTLSCert, "PEM certificate presented to executors (mTLS)")
	fs.StringVar(&c.ExecutorTLSKey, "executor-tls-key", c.ExecutorTLSKey, "PEM key of --executor-tls-cert")
	fs.StringVar(&c.ExecutorTLSCA, "executor-tls-ca", c.ExecutorTLSCA, "PEM CA of the executors' certificates (turns TLS on)")
	fs.StringVar(&c.ExecutorTokenFile, "executor-token-file", c.ExecutorTokenFile, "file holding the executors' shared token")
	fs.BoolVar(&c.ExecutorAllowInsecure, "executor-allow-insecure", c.ExecutorAllowInsecure, "allow plaintext to executors off loopback")
	c.Auth.registerFlags(fs)
}

// DemoOn reports whether the demo stores are served.
func (c Config) DemoOn() bool {
	if c.Demo != nil {
		return *c.Demo
	}
	return len(c.Tables) == 0 && c.CatalogFile == ""
}

// Validate checks the configuration before anything starts.
func (c Config) Validate() error {
	if c.Listen == "" {
		return fmt.Errorf("config: listen is empty")
	}
	if c.MaxRowCells <= 0 {
		return fmt.Errorf("config: max_row_cells %d: must be positive", c.MaxRowCells)
	}
	if c.MaxGroups <= 0 {
		return fmt.Errorf("config: max_groups %d: must be positive", c.MaxGroups)
	}
	if c.Database == "" {
		return fmt.Errorf("config: database is empty")
	}
	return c.checkLogging()
}
