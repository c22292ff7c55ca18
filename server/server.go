package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"time"

	sqle "github.com/dolthub/go-mysql-server"
	gms "github.com/dolthub/go-mysql-server/server"
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/analyzer"
	"github.com/dolthub/vitess/go/mysql"

	"github.com/zarrsql/zarrsql/connectors/catalog"
	"github.com/zarrsql/zarrsql/connectors/catalog/pgcatalog"
	"github.com/zarrsql/zarrsql/connectors/demo"
	"github.com/zarrsql/zarrsql/connectors/sqltable"
	"github.com/zarrsql/zarrsql/distributed"
	"github.com/zarrsql/zarrsql/planner"
	statuspage "github.com/zarrsql/zarrsql/server/status"
)

// Server is one zarrsql coordinator: a catalog, the SQL engine over it and, once Listen
// is called, a MySQL protocol listener and an HTTP listener (metrics, health, status).
type Server struct {
	cfg     Config
	log     *slog.Logger
	cat     catalog.Catalog
	colls   *collections
	stores  *regionStores
	db      *database
	engine  *sqle.Engine
	planner *planner.Builder
	mysql   *gms.Server
	metrics *metrics
	web     *web
	pool    *distributed.Pool // nil: fragments run in-process

	closeCatalog func()
}

// New builds the catalog (built-in entries, the catalog file, --table flags and, when on,
// the demo stores, written on first start) and the engine. Remote stores are not opened:
// a store that cannot be reached fails the queries that use it.
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, colls: newCollections()}
	if err := s.initOps(); err != nil {
		return nil, err
	}
	cat, closeCat, err := buildCatalog(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	s.cat, s.closeCatalog = cat, closeCat
	s.stores = newRegionStores(s.storeOptions)
	tables := sqltable.NewDatabase(cfg.Database, &catalogSource{cat: cat, open: s.stores},
		sqltable.Options{MaxRowCells: cfg.MaxRowCells})
	s.db = &database{Database: tables, system: s.systemTables}
	pro := newProvider(s.db, s.procedures())
	a := analyzer.NewDefault(pro)
	opts := planner.Options{Disabled: cfg.RowPathOnly, MaxGroups: cfg.MaxGroups, MaxRowCells: cfg.MaxRowCells}
	if s.pool, err = s.executorPool(ctx); err != nil {
		s.closeCatalog()
		return nil, err
	}
	if s.pool != nil {
		opts.Runner = s.pool
	}
	if s.planner, err = planner.Install(a, opts); err != nil {
		s.closeCatalog()
		return nil, err
	}
	s.engine = sqle.New(a, &sqle.Config{IsReadOnly: true, IncludeRootAccount: true})
	s.HandleHTTP("/", statuspage.New(statuspage.NewSource(s.planner, s.engine.ProcessList)))
	return s, nil
}

func (s *Server) systemTables() []*sysTable {
	return []*sysTable{datasetsTable(s.cat), s.colls.table(), s.queryStatsTable()}
}

// buildCatalog assembles the datasets of cfg in one catalog; the function it returns
// releases the catalog's connections.
func buildCatalog(ctx context.Context, cfg Config, log *slog.Logger) (catalog.Catalog, func(), error) {
	cat, closeCat, err := baseCatalog(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	add, err := ownDatasets(ctx, cfg, log)
	if err == nil {
		for _, d := range add {
			if err = cat.Register(ctx, d); err != nil {
				err = fmt.Errorf("register %s: %w", d.Name, err)
				break
			}
		}
	}
	if err != nil {
		closeCat()
		return nil, nil, err
	}
	return cat, closeCat, nil
}

// ownDatasets are the datasets this process declares: built-in entries, --table flags
// and the demo stores. They are never written to a shared catalog.
func ownDatasets(ctx context.Context, cfg Config, log *slog.Logger) ([]catalog.Dataset, error) {
	var add []catalog.Dataset
	if cfg.Builtins {
		add = append(add, catalog.Builtins()...)
	}
	for _, flag := range cfg.Tables {
		d, err := catalog.ParseTableFlag(flag)
		if err != nil {
			return nil, fmt.Errorf("--table %s: %w", flag, err)
		}
		add = append(add, d)
	}
	if cfg.DemoOn() {
		ds, err := demoDatasets(ctx, cfg.DataDir, log)
		if err != nil {
			return nil, err
		}
		add = append(add, ds...)
	}
	return add, nil
}

// baseCatalog is where registrations made by SQL live: PostgreSQL (shared by several
// coordinators, behind an Overlay that keeps this process's own entries local), a YAML
// file, or memory.
func baseCatalog(ctx context.Context, cfg Config) (catalog.Catalog, func(), error) {
	switch {
	case strings.HasPrefix(cfg.CatalogFile, "postgres://"), strings.HasPrefix(cfg.CatalogFile, "postgresql://"):
		pg, err := pgcatalog.Open(ctx, cfg.CatalogFile, pgcatalog.Options{})
		if err != nil {
			return nil, nil, err
		}
		return catalog.NewOverlay(pg), pg.Close, nil
	case cfg.CatalogFile != "":
		f, err := catalog.OpenFile(ctx, cfg.CatalogFile, catalog.FileOptions{WriteBack: true})
		return f, func() {}, err
	}
	m, err := catalog.NewMemory()
	return m, func() {}, err
}

// demoDatasets writes the demo stores if needed and returns their catalog entries.
func demoDatasets(ctx context.Context, dataDir string, log *slog.Logger) ([]catalog.Dataset, error) {
	start := time.Now()
	st, err := demo.Write(ctx, filepath.Join(dataDir, "demo"), demo.Options{})
	if err != nil {
		return nil, fmt.Errorf("write demo stores: %w", err)
	}
	log.Info("demo stores ready", "era5", st.ERA5, "lens", st.LENS, "written", st.Written, "took", time.Since(start).Round(time.Millisecond))
	now := time.Now().UTC()
	return []catalog.Dataset{
		{Name: "era5", URL: st.ERA5, Region: catalog.RegionLocal, Source: catalog.SourceBuiltin, Registered: now,
			Description: "demo: ERA5-like hourly total precipitation (synthetic, 5 degree grid)"},
		{Name: "lens", URL: st.LENS, Region: catalog.RegionLocal, Source: catalog.SourceBuiltin, Registered: now,
			Description: "demo: CESM LENS-like 6-hourly PRECT (synthetic, noleap calendar)"},
	}, nil
}

// Listen opens the MySQL protocol listener on cfg.Listen and the HTTP one on cfg.HTTP.
func (s *Server) Listen() error {
	tlsCfg, err := s.cfg.Auth.tlsConfig()
	if err != nil {
		return err
	}
	cfg := gms.Config{Protocol: "tcp", Address: s.cfg.Listen, TLSConfig: tlsCfg, RequireSecureTransport: s.cfg.Auth.RequireSecureTransport}
	srv, err := gms.NewServerWithHandler(cfg, s.engine, sql.NewContext, s.session, nil, s.observeQueries)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	if err := s.web.listen(s.cfg.HTTP, s.log); err != nil {
		return errors.Join(err, srv.Close())
	}
	s.mysql = srv
	return nil
}

// Addr is the listener's address (after Listen).
func (s *Server) Addr() net.Addr { return s.mysql.Listener.Addr() }

// Serve accepts connections until Close.
func (s *Server) Serve() error {
	if s.mysql == nil {
		return errors.New("serve: Listen was not called")
	}
	s.web.serve(s.log)
	return s.mysql.Start()
}

// Close stops the listeners and closes the opened stores.
func (s *Server) Close() error {
	var errs []error
	if s.mysql != nil {
		errs = append(errs, s.mysql.Close())
	}
	errs = append(errs, s.web.close())
	if s.pool != nil {
		errs = append(errs, s.pool.Close())
	}
	errs = append(errs, s.stores.Close())
	s.closeCatalog()
	return errors.Join(errs...)
}

// session starts a connection's session in the datasets' database.
func (s *Server) session(_ context.Context, c *mysql.Conn, addr string) (sql.Session, error) {
	host, _, err := net.SplitHostPort(c.RemoteAddr().String())
	if err != nil {
		host = c.RemoteAddr().String()
	}
	client := sql.Client{Address: host, User: c.User, Capabilities: c.Capabilities}
	sess := sql.NewBaseSessionWithClientServer(addr, client, c.ConnectionID)
	sess.SetCurrentDatabase(s.cfg.Database)
	return sess, nil
}

// Planner returns the array planner (its Running plans' progress, for status pages).
func (s *Server) Planner() *planner.Builder { return s.planner }

// Engine returns the SQL engine (for one-shot queries and tests).
func (s *Server) Engine() *sqle.Engine { return s.engine }

func nowUTC() time.Time { return time.Now().UTC() }
