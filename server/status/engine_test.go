package status

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	sqle "github.com/dolthub/go-mysql-server"
	"github.com/dolthub/go-mysql-server/memory"
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/analyzer"
	"github.com/zarrsql/zarrsql/connectors/sqltable"
	"github.com/zarrsql/zarrsql/connectors/zarr"
	"github.com/zarrsql/zarrsql/planner"
)

// gatedStore holds back every chunk read of variable tp until the test lets one through.
type gatedStore struct {
	zarr.Store
	gate  chan struct{}
	chunk *regexp.Regexp
}

func (s gatedStore) wait(ctx context.Context, key string) error {
	if !s.chunk.MatchString(key) {
		return nil
	}
	select {
	case <-s.gate:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s gatedStore) Get(ctx context.Context, key string) ([]byte, error) {
	if err := s.wait(ctx, key); err != nil {
		return nil, err
	}
	return s.Store.Get(ctx, key)
}

func (s gatedStore) GetRange(ctx context.Context, key string, off, n int64) ([]byte, error) {
	if err := s.wait(ctx, key); err != nil {
		return nil, err
	}
	return s.Store.GetRange(ctx, key, off, n)
}

// seedEngine is an in-process engine over the corpus's ERA5-like store (73 latitudes,
// 144 longitudes, 100 hours in 4 chunks) with the planner installed, one worker, and
// chunk reads let through one by one with release.
type seedEngine struct {
	t    *testing.T
	e    *sqle.Engine
	b    *planner.Builder
	gate chan struct{}
}

func newSeedEngine(t *testing.T) *seedEngine {
	store, err := filepath.Abs("../../testdata/zarr-corpus/xarray-cf/era5-small.zarr")
	if err != nil {
		t.Fatal(err)
	}
	se := &seedEngine{t: t, gate: make(chan struct{})}
	chunk := regexp.MustCompile(`(^|/)tp/\d+\.\d+\.\d+$`)
	src := sqltable.NewMemSource(sqltable.MemSourceOptions{Wrap: func(s zarr.Store) zarr.Store {
		return gatedStore{Store: s, gate: se.gate, chunk: chunk}
	}}, sqltable.Dataset{Name: "era5", URL: store, Region: "local"})
	t.Cleanup(func() { src.Close() })
	a := analyzer.NewDefault(memory.NewDBProvider(sqltable.NewDatabase("zarrsql", src, sqltable.Options{MaxRowCells: 1 << 40})))
	if se.b, err = planner.Install(a, planner.Options{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	se.e = sqle.New(a, &sqle.Config{IsReadOnly: true})
	return se
}

// release lets n chunk reads through.
func (se *seedEngine) release(n int) {
	for range n {
		select {
		case se.gate <- struct{}{}:
		case <-time.After(10 * time.Second):
			se.t.Fatal("no chunk read is waiting")
		}
	}
}

// query runs q on connection id as the MySQL server does, registered in the process
// list, and sends its rows' count or error on the channel it returns.
func (se *seedEngine) query(id uint32, q string) <-chan error {
	pl := se.e.ProcessList
	pl.AddConnection(id, "10.0.0.7:50123")
	sess := sql.NewBaseSessionWithClientServer("zarrsql", sql.Client{Address: "10.0.0.7:50123", User: "scientist"}, id)
	sess.SetCurrentDatabase("zarrsql")
	pl.ConnectionReady(sess)
	se.t.Cleanup(func() { pl.Kill(id); pl.RemoveConnection(id) }) // a plan still waiting for chunks ends
	done := make(chan error, 1)
	go func() {
		ctx := sql.NewContext(context.Background(), sql.WithSession(sess), sql.WithProcessList(pl),
			sql.WithPid(uint64(id)), sql.WithQuery(q))
		done <- runQuery(ctx, se.e, q)
	}()
	return done
}

func runQuery(ctx *sql.Context, e *sqle.Engine, q string) error {
	ctx, err := e.ProcessList.BeginQuery(ctx, q)
	if err != nil {
		return err
	}
	defer e.ProcessList.EndQuery(ctx)
	_, iter, _, err := e.Query(ctx, q)
	if err != nil {
		return err
	}
	_, err = sql.RowIterToRows(ctx, iter)
	return err
}

// waitChunks waits until the plan on connection id has done n chunks.
func (se *seedEngine) waitChunks(id uint32, n int64) {
	deadline := time.Now().Add(10 * time.Second)
	for se.b.Running()[id].TasksDone < n {
		if time.Now().After(deadline) {
			se.t.Fatalf("plan on connection %d: %d chunks done, waiting for %d", id, se.b.Running()[id].TasksDone, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func seedQuery(t *testing.T) string {
	b, err := os.ReadFile("../../examples/era5_histogram.sql")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(strings.TrimSpace(string(b)), ";")
}
