package server_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"

	"github.com/zarrsql/zarrsql/server"
)

const corpus = "../testdata/zarr-corpus/xarray-cf"

type serverDB struct{ *sql.DB }

// start runs a server on a free loopback port and returns a client connected to it.
func start(t *testing.T, cfg server.Config) *sql.DB {
	t.Helper()
	db, err := sql.Open("mysql", "root@tcp("+startAddr(t, cfg)+")/zarrsql?parseTime=true")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// startAddr runs a server on a free loopback port, with the demo (when on) written into a
// temp dir, until the test ends, and returns its address.
func startAddr(t *testing.T, cfg server.Config) string {
	t.Helper()
	cfg.Listen = "127.0.0.1:0"
	if cfg.HTTP != "" {
		cfg.HTTP = "127.0.0.1:0"
	}
	cfg.DataDir = t.TempDir()
	s, err := server.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.Serve() }()
	t.Cleanup(func() { _ = s.Close() })
	return s.Addr().String()
}

// corpusConfig serves the xarray-written corpus stores as era5 and lens.
func corpusConfig() server.Config {
	cfg := server.Defaults()
	cfg.Builtins = false // no test reaches the network
	cfg.Tables = []string{"era5=" + filepath.Join(corpus, "era5-small.zarr"), "lens=" + filepath.Join(corpus, "lens-small.zarr")}
	return cfg
}

func column(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		cols, _ := rows.Columns()
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals[0].String+strings.Repeat("", 0))
		for _, v := range vals[1:] {
			out[len(out)-1] += "|" + v.String
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}

func TestShowAndDescribe(t *testing.T) {
	cfg := corpusConfig()
	cfg.Builtins = true // listed, never opened by SHOW TABLES
	db := start(t, cfg)
	tables := strings.Join(column(t, db, "SHOW TABLES"), ",")
	for _, want := range []string{"era5", "lens", "era5_real", "lens_real", "datasets", "catalog"} {
		if !strings.Contains(","+tables+",", ","+want+",") {
			t.Errorf("SHOW TABLES = %s, missing %s", tables, want)
		}
	}
	desc := column(t, db, "DESCRIBE era5")
	want := []string{"time|datetime(6)", "latitude|float", "longitude|float", "tp|float"}
	for i, w := range want {
		if i >= len(desc) || !strings.HasPrefix(desc[i], w+"|") {
			t.Fatalf("DESCRIBE era5 = %q, want rows starting %q", desc, want)
		}
	}
	db = start(t, corpusConfig())
	comments := column(t, db, "SELECT column_name, column_comment FROM information_schema.columns WHERE table_name = 'era5' AND column_name = 'tp'")
	if len(comments) != 1 || !strings.Contains(comments[0], "m") {
		t.Fatalf("tp comment: %q", comments)
	}
}

// TestValuesMatchXarray compares cells selected by coordinates with what xarray decodes
// from the same stores (values printed by xarray 2023.01 with Debian's python3-xarray).
func TestValuesMatchXarray(t *testing.T) {
	db := start(t, corpusConfig())
	for _, tc := range []struct {
		name, query string
		args        []any
		want        []string
	}{
		{"first time, descending latitude", "SELECT tp FROM era5 WHERE time = ? AND latitude = 90 AND longitude = 42.5",
			[]any{time.Date(1989, 12, 31, 14, 0, 0, 0, time.UTC)}, []string{"0.00028928628"}},
		{"NaN is NULL", "SELECT tp IS NULL FROM era5 WHERE time = '1989-12-31 14:00:00' AND latitude = 87.5 AND longitude = 7.5",
			nil, []string{"1"}},
		{"time coordinate", "SELECT COUNT(*), MIN(time), MAX(time) FROM era5 WHERE latitude = 0 AND longitude = 0",
			nil, []string{"100|1989-12-31T14:00:00Z|1990-01-04T17:00:00Z"}},
		{"noleap: Feb 28 then Mar 1", "SELECT DISTINCT time FROM lens WHERE time > '1990-02-28 12:00' AND time < '1990-03-01 06:00' ORDER BY time",
			nil, []string{"1990-02-28T18:00:00Z", "1990-03-01T00:00:00Z"}},
		{"lens cell past Feb 28", "SELECT PRECT FROM lens WHERE member_id = 104 AND time = '1990-03-01 00:00:00' AND lat = -90 AND lon = 20",
			nil, []string{"2.3949946e-07"}},
		{"member ids", "SELECT DISTINCT member_id FROM lens ORDER BY member_id", nil, []string{"1", "2", "3", "4", "5", "104"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := column(t, db, tc.query, tc.args...)
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestBadInputKeepsServing: each bad input is a clear error and the server goes on.
func TestBadInputKeepsServing(t *testing.T) {
	dir := t.TempDir()
	bad := writeBrokenStores(t, dir)
	db := start(t, corpusConfig())
	for _, tc := range []struct{ name, query, want string }{
		{"unknown table", "SELECT * FROM nosuch", "nosuch"},
		{"store does not exist", "SELECT * FROM missing LIMIT 1", filepath.Join(dir, "missing.zarr")},
		{"malformed .zarray", "SELECT * FROM malformed LIMIT 1", ".zarray"},
		{"corrupt chunk", "SELECT * FROM corrupt", "x/0"},
		{"register a bad name", "CALL register('1bad', '" + bad["corrupt"] + "')", "1bad"},
		{"unregister a --table entry", "CALL unregister('ERA5')", "configuration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for name, path := range bad {
				_, _ = db.Exec("CALL register(?, ?)", name, path)
			}
			_, err := db.Exec(tc.query)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("%s: error %v, want one naming %q", tc.query, err, tc.want)
			}
			if got := column(t, db, "SELECT COUNT(*) FROM era5 WHERE latitude = 0 AND longitude = 0"); got[0] != "100" {
				t.Fatalf("server stopped serving: %v", got)
			}
		})
	}
}

// writeBrokenStores writes a store URL with nothing behind it, a store with a malformed
// .zarray and one with a corrupt chunk.
func writeBrokenStores(t *testing.T, dir string) map[string]string {
	t.Helper()
	write := func(path, data string) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	zarray := `{"zarr_format":2,"shape":[4],"chunks":[4],"dtype":"<f4","compressor":{"id":"zlib","level":1},"fill_value":"NaN","order":"C","filters":null}`
	write(filepath.Join(dir, "malformed.zarr/.zgroup"), `{"zarr_format":2}`)
	write(filepath.Join(dir, "malformed.zarr/x/.zarray"), `{"zarr_format":2,"shape":[4],"chunks":[0]`)
	write(filepath.Join(dir, "corrupt.zarr/.zgroup"), `{"zarr_format":2}`)
	write(filepath.Join(dir, "corrupt.zarr/x/.zarray"), zarray)
	write(filepath.Join(dir, "corrupt.zarr/x/.zattrs"), `{"_ARRAY_DIMENSIONS":["i"]}`)
	write(filepath.Join(dir, "corrupt.zarr/x/0"), "not zlib at all")
	return map[string]string{
		"missing":   filepath.Join(dir, "missing.zarr"),
		"malformed": filepath.Join(dir, "malformed.zarr"),
		"corrupt":   filepath.Join(dir, "corrupt.zarr"),
	}
}

// TestRegisterAndIntake: datasets registered by SQL are tables at once; an intake-esm
// collection is searchable as the catalog table and one hit registers with one call.
func TestRegisterAndIntake(t *testing.T) {
	cfg := server.Defaults()
	cfg.Demo, cfg.Builtins = new(bool), false
	db := start(t, cfg)
	era5 := filepath.Join(corpus, "era5-small.zarr")
	if _, err := db.Exec("CALL register('mine', ?)", era5); err != nil {
		t.Fatal(err)
	}
	if got := column(t, db, "SELECT name, region, source FROM datasets WHERE name = 'mine'"); len(got) != 1 || got[0] != "mine|local|sql" {
		t.Fatalf("datasets: %q", got)
	}
	if got := column(t, db, "SELECT COUNT(*) FROM mine WHERE time = '1990-01-01 00:00:00' AND latitude > 80"); got[0] != "576" { // 4 latitudes x 144
		t.Fatalf("count: %v", got)
	}
	if _, err := db.Exec("CALL unregister('mine')"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("SELECT * FROM mine LIMIT 1"); err == nil {
		t.Fatal("unregistered table still answers")
	}
	esm, _ := filepath.Abs("../connectors/catalog/testdata/aws-cesm1-le.json")
	if _, err := db.Exec("CALL import_intake('lens', ?, 'aws:us-west-2')", esm); err != nil {
		t.Fatal(err)
	}
	hit := column(t, db, "SELECT path FROM catalog WHERE frequency = 'hourly6-1990-2005' AND variable = 'PRECT'")
	if len(hit) != 1 || hit[0] != "s3://ncar-cesm-lens/atm/hourly6-1990-2005/cesmLE-20C-PRECT.zarr" {
		t.Fatalf("catalog search: %q", hit)
	}
	if _, err := db.Exec("CALL register_search('lens', 'lens_prect', 'frequency=hourly6-1990-2005 variable=PRECT')"); err != nil {
		t.Fatal(err)
	}
	got := column(t, db, "SELECT url, region FROM datasets WHERE name = 'lens_prect'")
	if len(got) != 1 || !strings.HasPrefix(got[0], "s3://ncar-cesm-lens/atm/hourly6-1990-2005/cesmLE-20C-PRECT.zarr?") || !strings.HasSuffix(got[0], "|aws:us-west-2") {
		t.Fatalf("registered: %q", got)
	}
}

// TestDemo: with no dataset arguments the server writes and serves the demo stores.
func TestDemo(t *testing.T) {
	cfg := server.Defaults()
	cfg.Builtins = false
	db := start(t, cfg)
	got := column(t, db, "SELECT COUNT(*) FROM era5 WHERE time = '1990-01-01 00:00:00'")
	if got[0] != "2664" { // 37 x 72
		t.Fatalf("era5 cells at one time: %v", got)
	}
	got = column(t, db, "SELECT COUNT(DISTINCT member_id) FROM lens WHERE time = '1990-03-01 00:00:00' AND lat = 0")
	if len(got) != 1 {
		t.Fatalf("lens: %v", got)
	}
}
