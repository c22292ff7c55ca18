package server

import (
	"flag"
	"fmt"
	"github.com/zarrsql/zarrsql/planner"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// Config is everything a coordinator is configured with: one struct, loadable from YAML,
// with flags overriding it. Every limit has a safe non-zero default (see Defaults).
type Config struct {
	// Listen is the MySQL protocol address.
	Listen string `yaml:"listen"`
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
}

// Defaults returns the configuration used where nothing else is said.
func Defaults() Config {
	return Config{
		Listen:      "127.0.0.1:3306",
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

// RegisterFlags binds the configuration to flags; values already in c are the defaults.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Listen, "listen", c.Listen, "MySQL protocol address")
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
	return nil
}
