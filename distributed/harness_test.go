package distributed

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	sqle "github.com/dolthub/go-mysql-server"
	"github.com/dolthub/go-mysql-server/memory"
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/analyzer"
	"github.com/zarrsql/zarrsql/connectors/sqltable"
	"github.com/zarrsql/zarrsql/planner"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The regions of the seed's data.
const (
	gcp = "gcp:us-central1"
	aws = "aws:us-west-2"
)

// corpus is the project's copy of the xarray-written stores.
const corpus = "../testdata/zarr-corpus/xarray-cf"

// seedDatasets places era5 in GCP and lens in AWS, as the seed does.
func seedDatasets(t *testing.T) []sqltable.Dataset {
	return []sqltable.Dataset{
		{Name: "era5", URL: abs(t, filepath.Join(corpus, "era5-small.zarr")), Region: gcp},
		{Name: "lens", URL: abs(t, filepath.Join(corpus, "lens-small.zarr")), Region: aws},
	}
}

func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// engine is an in-process GMS engine over Zarr datasets with the planner installed.
type engine struct {
	t *testing.T
	e *sqle.Engine
}

// newEngine opens the datasets with the planner's options o (Workers 2 when unset).
func newEngine(t *testing.T, ds []sqltable.Dataset, o planner.Options) *engine {
	t.Helper()
	src := sqltable.NewMemSource(sqltable.MemSourceOptions{}, ds...)
	t.Cleanup(func() { src.Close() })
	db := sqltable.NewDatabase("zarrsql", src, sqltable.Options{MaxRowCells: 1 << 40})
	a := analyzer.NewDefault(memory.NewDBProvider(db))
	if o.Workers == 0 {
		o.Workers = 2
	}
	if _, err := planner.Install(a, o); err != nil {
		t.Fatal(err)
	}
	return &engine{t: t, e: sqle.New(a, &sqle.Config{IsReadOnly: true})}
}

// query runs q under ctx.
func (e *engine) query(ctx context.Context, q string) ([]sql.Row, error) {
	sctx := sql.NewContext(ctx, sql.WithSession(sql.NewBaseSession()))
	sctx.SetCurrentDatabase("zarrsql")
	_, iter, _, err := e.e.Query(sctx, q)
	if err != nil {
		return nil, err
	}
	return sql.RowIterToRows(sctx, iter)
}

func (e *engine) mustQuery(ctx context.Context, q string) []sql.Row {
	e.t.Helper()
	rows, err := e.query(ctx, q)
	if err != nil {
		e.t.Fatalf("%.60s...: %v", q, err)
	}
	return rows
}

// example returns an examples/*.sql file's statement.
func example(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(strings.TrimSpace(string(b)), ";")
}

// sameRows fails t unless the two results are identical, row by row.
func sameRows(t *testing.T, what string, got, want []sql.Row) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: the reference has no rows", what)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("%s: row %d = %v, want %v", what, i, got[i], want[i])
		}
	}
}

// recorder is a Runner that records the fragments it passes on.
type recorder struct {
	planner.Runner
	mu    sync.Mutex
	frags []planner.Fragment
	// onRun, when set, is called (under mu) before the Runner runs a plan's fragments.
	onRun func(frags []planner.Fragment)
}

func (r *recorder) Run(ctx context.Context, frags []planner.Fragment) ([]*planner.Partial, error) {
	r.mu.Lock()
	r.frags = append(r.frags, frags...)
	if r.onRun != nil {
		r.onRun(frags)
	}
	r.mu.Unlock()
	return r.Runner.Run(ctx, frags)
}

// byDataset counts the recorded fragments per dataset.
func (r *recorder) byDataset() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for _, f := range r.frags {
		out[f.Dataset]++
	}
	return out
}

// testExecutor is an executor serving on loopback for one test.
type testExecutor struct {
	*Executor
	addr string
	lis  *trackingListener
}

// startExecutor serves an executor of region on 127.0.0.1 until the test ends; faults,
// when set, is its failpoint hook.
func startExecutor(t *testing.T, region string, edit func(*ExecutorOptions), faults ...func(*testExecutor, context.Context, string, Ticket) error) *testExecutor {
	t.Helper()
	o := ExecutorOptions{Region: region, Workers: 2}
	if edit != nil {
		edit(&o)
	}
	ex, err := NewExecutor(o)
	if err != nil {
		t.Fatal(err)
	}
	x := &testExecutor{Executor: ex}
	for _, f := range faults {
		ex.faults = func(ctx context.Context, stage string, tk Ticket) error { return f(x, ctx, stage, tk) }
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tl := &trackingListener{Listener: l}
	x.addr, x.lis = l.Addr().String(), tl
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ex.Serve(ctx, tl) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, net.ErrClosed) {
			t.Errorf("executor %s: %v", region, err)
		}
	})
	return x
}

func (x *testExecutor) endpoint() Endpoint { return Endpoint{Region: x.Region(), Addr: x.addr} }

// newPool returns a pool over the executors, closed when the test ends.
func newPool(t *testing.T, o PoolOptions, xs ...*testExecutor) *Pool {
	t.Helper()
	for _, x := range xs {
		o.Executors = append(o.Executors, x.endpoint())
	}
	if o.Workers == 0 {
		o.Workers = 2
	}
	p, err := NewPool(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	})
	return p
}

// trackingListener keeps the connections it accepted, to cut them (a crash).
type trackingListener struct {
	net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.mu.Lock()
		l.conns = append(l.conns, c)
		l.mu.Unlock()
	}
	return c, err
}

// cut closes every accepted connection, as a crashed process' would be.
func (l *trackingListener) cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.conns {
		c.Close()
	}
	l.conns = nil
}

// seedRun is the outcome of both seed queries through one engine.
type seedRun struct {
	era5, lens   []sql.Row
	era5S, lensS QueryStats
}

// runSeeds runs the two seed queries at the same time, each under its query id.
func runSeeds(t *testing.T, e *engine, p *Pool) seedRun {
	t.Helper()
	var r seedRun
	var wg sync.WaitGroup
	ctx := context.Background()
	errs := make([]error, 2)
	q := func(i int, stmt, id string, rows *[]sql.Row) {
		defer wg.Done()
		*rows, errs[i] = e.query(WithQueryID(ctx, id), stmt)
	}
	era5, lens := example(t, "era5_histogram.sql"), example(t, "lens_histogram.sql")
	id := fmt.Sprintf("%s@%d", t.Name(), time.Now().UnixNano()) // a new query each run
	wg.Add(2)
	go q(0, era5, id+"/era5", &r.era5)
	go q(1, lens, id+"/lens", &r.lens)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if p != nil {
		var ok1, ok2 bool
		r.era5S, ok1 = p.Stats(id + "/era5")
		r.lensS, ok2 = p.Stats(id + "/lens")
		if !ok1 || !ok2 {
			t.Fatalf("no stats for the seed queries")
		}
	}
	return r
}

// reference is the seed queries' result in-process without fragments.
func reference(t *testing.T) seedRun {
	t.Helper()
	return runSeeds(t, newEngine(t, seedDatasets(t), planner.Options{}), nil)
}

// waitFor polls cond for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

func fmtBytes(n int64) string { return fmt.Sprintf("%.1f kB", float64(n)/1000) }
