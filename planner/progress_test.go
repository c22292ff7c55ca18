package planner

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dolthub/go-mysql-server/sql"
)

// conn is a connection registered in the engine's process list, as the MySQL server
// registers its clients.
type conn struct {
	e    *engine
	sess *sql.BaseSession
	pid  uint64
}

func (e *engine) conn(id uint32) *conn {
	pl := e.e.ProcessList
	pl.AddConnection(id, "127.0.0.1:1")
	sess := sql.NewBaseSessionWithClientServer("zarrsql", sql.Client{Address: "127.0.0.1:1", User: "root"}, id)
	pl.ConnectionReady(sess)
	e.t.Cleanup(func() { pl.RemoveConnection(id) })
	return &conn{e: e, sess: sess, pid: uint64(id) * 1000}
}

// query runs q as the server does: registered in the process list while it runs.
func (c *conn) query(q string) ([]sql.Row, error) {
	pl := c.e.e.ProcessList
	c.pid++
	ctx := sql.NewContext(context.Background(), sql.WithSession(c.sess), sql.WithProcessList(pl),
		sql.WithPid(c.pid), sql.WithQuery(q))
	ctx.SetCurrentDatabase("zarrsql")
	ctx, err := pl.BeginQuery(ctx, q)
	if err != nil {
		return nil, err
	}
	defer pl.EndQuery(ctx)
	_, iter, _, err := c.e.e.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	return sql.RowIterToRows(ctx, iter)
}

// stateOf returns SHOW PROCESSLIST's State of connection id, as another connection sees it.
func (c *conn) stateOf(id uint32) (string, error) {
	rows, err := c.query("SHOW PROCESSLIST")
	if err != nil {
		return "", err
	}
	for _, r := range rows {
		if fmt.Sprint(r[0]) == fmt.Sprint(id) {
			return fmt.Sprint(r[6]), nil
		}
	}
	return "", fmt.Errorf("connection %d not in SHOW PROCESSLIST: %v", id, rows)
}

func era5Engine(t *testing.T) *engine {
	e := newEngine(t, false, map[string]string{"era5": filepath.Join(corpus, "era5-small.zarr")})
	e.opts(func(o *Options) { o.Workers = 1 })
	return e
}

// pauseAfter runs during in the plan's worker right after its n-th task (with one
// worker, the plan waits for it).
func pauseAfter(e *engine, n int64, during func(*Progress)) {
	e.b.running.hook = func(p *Progress) {
		if p.tasksDone.Load() == n {
			during(p)
		}
	}
}

// TestProgressInProcessList: while the ERA5 seed query runs, SHOW PROCESSLIST's State
// and Builder.Running show the chunks done of total; when it ends, Recent holds the
// query and its histogram.
func TestProgressInProcessList(t *testing.T) {
	e := era5Engine(t)
	q := example(t, "era5_histogram.sql")
	runner, watcher := e.conn(7), e.conn(8)
	var state string
	var snap ProgressSnapshot
	var stateErr error
	pauseAfter(e, 1, func(*Progress) {
		state, stateErr = watcher.stateOf(7)
		snap = e.b.Running()[7]
	})
	rows, err := runner.query(q)
	if err != nil || stateErr != nil {
		t.Fatal(err, stateErr)
	}
	t.Logf("SHOW PROCESSLIST State after 1 of 4 chunks: %q", state)
	for _, want := range []string{"era5 (1/4 partitions)", "tp cells read (", "/946080 rows)"} {
		if !strings.Contains(state, want) {
			t.Errorf("SHOW PROCESSLIST State %q lacks %q", state, want)
		}
	}
	if snap.TasksDone != 1 || snap.TasksTotal != 4 || snap.Split != "time" || snap.Query != q || snap.BytesTotal == 0 {
		t.Errorf("Running()[7] = %+v", snap)
	}
	if len(e.b.Running()) != 0 {
		t.Errorf("Running() after the query: %v", e.b.Running())
	}
	checkRecentHist(t, e.b.Recent(), q, len(rows))
}

func checkRecentHist(t *testing.T, recent []Finished, q string, rows int) {
	t.Helper()
	if len(recent) != 1 {
		t.Fatalf("Recent() = %d plans, want 1", len(recent))
	}
	f := recent[0]
	if f.Query != q || f.Conn != 7 || f.Err != "" || f.Progress.TasksDone != 4 || f.Progress.CellsRead != 946080 || f.Duration <= 0 {
		t.Errorf("Recent()[0] = %+v", f)
	}
	h := f.Hist
	if h == nil || h.GroupDim != "latitude" || len(h.Groups) != 73 || len(h.GroupValues) != 73 || len(h.Edges) != 51 || rows != 73*50 {
		t.Fatalf("Recent()[0].Hist = %+v (%d rows)", h, rows)
	}
	want := readHistCSV(t, filepath.Join(corpus, "era5-small.hist.csv"))
	for g, lat := range h.GroupValues {
		for b, v := range h.Mean[g] {
			if w := want[histKey{fmt.Sprintf("%.6f", lat), b}]; v != w {
				t.Fatalf("Hist lat %v bin %d = %v, query gave %v", lat, b, v, w)
			}
		}
	}
}

// TestRecentKeepsErrors: a plan killed while it runs is among the recent ones with
// its error and the progress it made.
func TestRecentKeepsErrors(t *testing.T) {
	e := era5Engine(t)
	c := e.conn(3)
	pauseAfter(e, 2, func(*Progress) { e.e.ProcessList.Kill(3) })
	if _, err := c.query(example(t, "era5_histogram.sql")); err == nil {
		t.Fatal("killed query succeeded")
	}
	r := e.b.Recent()
	if len(r) != 1 || !strings.Contains(r[0].Err, "context canceled") || r[0].Hist != nil || r[0].Progress.TasksDone != 2 {
		t.Fatalf("Recent() = %+v", r)
	}
}

// TestRecentIsBounded: the last 20 plans are kept, newest first.
func TestRecentIsBounded(t *testing.T) {
	e := era5Engine(t)
	const q = "SELECT latitude, SUM(tp) FROM era5 WHERE time < '1900-01-01' GROUP BY latitude"
	for range maxRecent + 3 {
		e.mustQuery(q)
	}
	r := e.b.Recent()
	if len(r) != maxRecent || r[0].Seq != maxRecent+3 || r[maxRecent-1].Seq != 4 {
		t.Fatalf("Recent(): %d plans, seq %d .. %d", len(r), r[0].Seq, r[len(r)-1].Seq)
	}
	if r[0].Hist != nil || r[0].Progress.Table != "era5" || r[0].Duration > time.Minute {
		t.Errorf("Recent()[0] = %+v", r[0])
	}
}
