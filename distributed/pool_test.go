package distributed

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/zarrsql/zarrsql/planner"
)

// TestSeedQueriesOnRegionalExecutors runs both seed queries at once through a pool of
// a GCP and an AWS executor: the rows equal the in-process run, every ERA5 fragment ran
// on the GCP executor and every LENS one on the AWS executor, and what came back to
// the coordinator is under twice the partials' size.
func TestSeedQueriesOnRegionalExecutors(t *testing.T) {
	want := reference(t)
	xg, xa := startExecutor(t, gcp, nil), startExecutor(t, aws, nil)
	p := newPool(t, PoolOptions{}, xg, xa)
	if err := p.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{Runner: p}
	e := newEngine(t, seedDatasets(t), planner.Options{Runner: rec, FragmentChunks: 1})
	got := runSeeds(t, e, p)
	sameRows(t, "era5", got.era5, want.era5)
	sameRows(t, "lens", got.lens, want.lens)
	n := rec.byDataset()
	for _, c := range []struct {
		name  string
		st    QueryStats
		frags int
		on    *testExecutor
	}{{"era5", got.era5S, n["era5"], xg}, {"lens", got.lensS, n["lens"], xa}} {
		checkPlacement(t, c.name, c.st, c.frags, c.on.addr, c.on.Region())
	}
}

// checkPlacement checks that all of a query's frags fragments ran on x, once each,
// and the bytes that came back.
func checkPlacement(t *testing.T, name string, st QueryStats, frags int, addr, region string) {
	t.Helper()
	if frags < 2 || st.Fragments != frags || st.Attempts != frags || st.Retries != 0 {
		t.Errorf("%s: %d fragments planned, %d accepted of %d attempts (%d retries)", name, frags, st.Fragments, st.Attempts, st.Retries)
	}
	if len(st.Executors) != 1 || st.Executors[addr].Fragments != frags || st.Executors[addr].Region != region {
		t.Errorf("%s ran on %+v, want all %d fragments on the %s executor %s", name, st.Executors, frags, region, addr)
	}
	sent, read := st.TotalBytesSent(), st.BytesRead[region]
	if sent <= 0 || sent >= 2*st.PartialBytes || read <= 0 || st.RemoteBytesRead != 0 || st.BytesSent[region] != sent {
		t.Errorf("%s: %d bytes sent for %d bytes of partials; %d read in %s (%v), %d remote", name, sent, st.PartialBytes, read, region, st.BytesRead, st.RemoteBytesRead)
	}
	t.Logf("%s: %d fragments on %s: read %s from object storage, partials %s, sent to the coordinator %s (%.2fx)",
		name, frags, region, fmtBytes(read), fmtBytes(st.PartialBytes), fmtBytes(sent), float64(sent)/float64(st.PartialBytes))
}

// TestUncompressedPartials: without compression the Flight stream is the partials plus
// a little framing, still under 2x.
func TestUncompressedPartials(t *testing.T) {
	none := func(o *ExecutorOptions) { o.Compression = "none" }
	xg, xa := startExecutor(t, gcp, none), startExecutor(t, aws, none)
	p := newPool(t, PoolOptions{}, xg, xa)
	rec := &recorder{Runner: p}
	got := runSeeds(t, newEngine(t, seedDatasets(t), planner.Options{Runner: rec, FragmentChunks: 1}), p)
	n := rec.byDataset()
	checkPlacement(t, "era5 (no compression)", got.era5S, n["era5"], xg.addr, gcp)
	checkPlacement(t, "lens (no compression)", got.lensS, n["lens"], xa.addr, aws)
}

// TestInProcessRunner: the in-process runner, and a pool without executors (which runs
// local data itself), give the same rows.
func TestInProcessRunner(t *testing.T) {
	want := reference(t)
	ip := NewInProcess(InProcessOptions{Workers: 2})
	t.Cleanup(func() { ip.Close() })
	local := seedDatasets(t)
	for i := range local {
		local[i].Region = LocalRegion
	}
	got := runSeeds(t, newEngine(t, local, planner.Options{Runner: ip, FragmentChunks: 1}), nil)
	sameRows(t, "era5 in-process", got.era5, want.era5)
	sameRows(t, "lens in-process", got.lens, want.lens)
	p := newPool(t, PoolOptions{})
	got = runSeeds(t, newEngine(t, local, planner.Options{Runner: p, FragmentChunks: 1}), p)
	sameRows(t, "era5 pool without executors", got.era5, want.era5)
	if s := got.era5S; s.Executors[InProcessName].Fragments != s.Fragments || s.TotalBytesSent() != 0 || s.BytesRead[LocalRegion] == 0 {
		t.Errorf("in-process stats %+v", s)
	}
}

// TestNoExecutorForRegion: a fragment of a region without executors fails the query
// with an error that names the dataset, its region and the configured regions; with
// remote reads allowed it runs elsewhere and the bytes read count as remote.
func TestNoExecutorForRegion(t *testing.T) {
	want := reference(t)
	xg := startExecutor(t, gcp, nil)
	p := newPool(t, PoolOptions{}, xg)
	e := newEngine(t, seedDatasets(t), planner.Options{Runner: p, FragmentChunks: 1})
	_, err := e.query(context.Background(), example(t, "lens_histogram.sql"))
	if !errors.Is(err, ErrNoExecutor) {
		t.Fatalf("error %v, want ErrNoExecutor", err)
	}
	for _, s := range []string{"lens", aws, gcp, "allow remote reads"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not say %q", err, s)
		}
	}
	remote := newPool(t, PoolOptions{AllowRemote: true}, xg)
	lens := planner.Fragment{Dataset: "lens", Region: aws}
	if pl, err := remote.Place(lens); err != nil || !pl.Remote || len(pl.Executors) != 1 || pl.Executors[0] != xg.addr {
		t.Errorf("placement of a lens fragment with remote reads: %+v, %v", pl, err)
	}
	if _, err := p.Place(lens); !errors.Is(err, ErrNoExecutor) {
		t.Errorf("placement of a lens fragment: %v", err)
	}
	e = newEngine(t, seedDatasets(t), planner.Options{Runner: remote, FragmentChunks: 1})
	got := runSeeds(t, e, remote)
	sameRows(t, "lens read remotely", got.lens, want.lens)
	s := got.lensS
	if s.Executors[xg.addr].Fragments != s.Fragments || s.RemoteBytesRead == 0 || s.RemoteBytesRead != s.BytesRead[aws] {
		t.Errorf("remote reads: %+v", s)
	}
	t.Logf("lens on the GCP executor: %s read across regions", fmtBytes(s.RemoteBytesRead))
}

// TestExecutorRefusesOtherRegions: an executor asked directly for a fragment of another
// region refuses it unless the ticket allows remote reads.
func TestExecutorRefusesOtherRegions(t *testing.T) {
	xa := startExecutor(t, aws, nil)
	p := newPool(t, PoolOptions{Retries: -1}, xa)
	f := planner.Fragment{Dataset: "era5", URL: seedDatasets(t)[0].URL, Region: gcp, Variable: "tp"}
	_, err := p.runRemote(context.Background(), p.targets[0], Ticket{Query: "q", Fragment: f}, &attemptResult{})
	if err == nil || !strings.Contains(err.Error(), "FailedPrecondition") || !strings.Contains(err.Error(), gcp) {
		t.Fatalf("error %v, want a refusal naming %s", err, gcp)
	}
}

// TestMetrics: the pool's and the executors' collectors register and count.
func TestMetrics(t *testing.T) {
	xg, xa := startExecutor(t, gcp, nil), startExecutor(t, aws, nil)
	p := newPool(t, PoolOptions{}, xg, xa)
	reg := prometheus.NewRegistry() // the coordinator's and one executor's (each process has one)
	if err := errors.Join(p.Register(reg), xg.Register(reg), xa.Register(prometheus.NewRegistry())); err != nil {
		t.Fatal(err)
	}
	runSeeds(t, newEngine(t, seedDatasets(t), planner.Options{Runner: p, FragmentChunks: 1}), p)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, mf := range mfs {
		seen[mf.GetName()] = true
	}
	for _, n := range []string{"zarrsql_coordinator_fragment_attempts_total", "zarrsql_coordinator_received_bytes_total",
		"zarrsql_coordinator_read_bytes_total", "zarrsql_executor_fragments_total", "zarrsql_executor_read_bytes_total"} {
		if !seen[n] {
			t.Errorf("metric %s not gathered", n)
		}
	}
}

// TestQueryIDFromSQLContext: without WithQueryID, a query's Runs are kept under its
// process id and start time, as go-mysql-server's context gives them.
func TestQueryIDFromSQLContext(t *testing.T) {
	xg := startExecutor(t, gcp, nil)
	p := newPool(t, PoolOptions{}, xg)
	e := newEngine(t, seedDatasets(t)[:1], planner.Options{Runner: p, FragmentChunks: 1})
	sctx := sql.NewContext(context.Background(), sql.WithSession(sql.NewBaseSession()), sql.WithPid(7))
	sctx.SetCurrentDatabase("zarrsql")
	_, iter, _, err := e.e.Query(sctx, example(t, "era5_histogram.sql"))
	if err == nil {
		_, err = sql.RowIterToRows(sctx, iter)
	}
	if err != nil {
		t.Fatal(err)
	}
	st, ok := p.Stats(QueryIDOf(7, sctx.QueryTime()))
	if !ok || st.Fragments == 0 {
		t.Fatalf("no stats under %s: %+v", QueryIDOf(7, sctx.QueryTime()), p.Recent())
	}
}
