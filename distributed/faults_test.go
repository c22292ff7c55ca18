package distributed

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zarrsql/zarrsql/planner"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// fault is a failpoint: what an executor does at a stage of every fragment.
type fault func(x *testExecutor, ctx context.Context, stage string, t Ticket) error

// at applies do at one stage only.
func at(stage string, do fault) fault {
	return func(x *testExecutor, ctx context.Context, s string, t Ticket) error {
		if s != stage {
			return nil
		}
		return do(x, ctx, s, t)
	}
}

func fail(*testExecutor, context.Context, string, Ticket) error {
	return status.Error(codes.Internal, "failpoint")
}

// crash cuts the executor's connections, as a process that dies would.
func crash(x *testExecutor, ctx context.Context, _ string, _ Ticket) error {
	x.lis.cut()
	<-ctx.Done()
	return ctx.Err()
}

// die closes the listener too: the executor is gone for good.
func die(x *testExecutor, ctx context.Context, s string, t Ticket) error {
	x.lis.Close()
	return crash(x, ctx, s, t)
}

func stall(_ *testExecutor, ctx context.Context, _ string, _ Ticket) error {
	<-ctx.Done()
	return ctx.Err()
}

// quick are pool options for fault tests: short backoffs and stall detection.
func quick() PoolOptions {
	return PoolOptions{BackoffBase: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond, StallTimeout: 300 * time.Millisecond}
}

// TestFaultyExecutorReassigned: one of two GCP executors fails, crashes, dies or
// stalls, before or after sending its partials, on every fragment; its fragments are
// reassigned to the other, the rows are identical, each fragment is accepted once.
func TestFaultyExecutorReassigned(t *testing.T) {
	want := reference(t)
	cases := []struct {
		name string
		f    fault
	}{
		{"fail before sending", at("start", fail)},
		{"fail after sending", at("sent", fail)},
		{"crash before sending", at("start", crash)},
		{"crash after sending", at("sent", crash)},
		{"stall before sending", at("start", stall)},
		{"stall after sending", at("sent", stall)},
		{"die", at("start", die)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := startExecutor(t, gcp, nil, c.f)
			good, xa := startExecutor(t, gcp, nil), startExecutor(t, aws, nil)
			p := newPool(t, quick(), bad, good, xa)
			rec := &recorder{Runner: p}
			start := time.Now()
			got := runSeeds(t, newEngine(t, seedDatasets(t), planner.Options{Runner: rec, FragmentChunks: 1}), p)
			sameRows(t, "era5", got.era5, want.era5)
			sameRows(t, "lens", got.lens, want.lens)
			st, n := got.era5S, rec.byDataset()["era5"]
			if st.Fragments != n || st.Executors[good.addr].Fragments != n || st.Executors[bad.addr].Fragments != 0 ||
				st.Executors[bad.addr].Failures == 0 || st.Retries == 0 {
				t.Errorf("era5 stats: %d fragments planned; %+v", n, st)
			}
			t.Logf("%d fragments, %d attempts (%d on the faulty executor), %v", st.Fragments, st.Attempts, st.Executors[bad.addr].Attempts, time.Since(start).Round(time.Millisecond))
		})
	}
}

// TestTransientFailureRetried: a region's only executor fails each fragment's first
// attempt; the retries on it succeed.
func TestTransientFailureRetried(t *testing.T) {
	want := reference(t)
	var seen sync.Map
	once := func(_ *testExecutor, _ context.Context, s string, tk Ticket) error {
		if s != "sent" {
			return nil
		}
		if _, dup := seen.LoadOrStore(tk.Fragment.Dataset+string(rune('0'+tk.Fragment.Index)), true); dup {
			return nil
		}
		return fail(nil, nil, s, tk)
	}
	xg, xa := startExecutor(t, gcp, nil, once), startExecutor(t, aws, nil)
	p := newPool(t, quick(), xg, xa)
	rec := &recorder{Runner: p}
	got := runSeeds(t, newEngine(t, seedDatasets(t), planner.Options{Runner: rec, FragmentChunks: 1}), p)
	sameRows(t, "era5", got.era5, want.era5)
	n := rec.byDataset()["era5"]
	if st := got.era5S; st.Fragments != n || st.Retries != n || st.Attempts != 2*n || st.RetriedBytesRead == 0 {
		t.Errorf("era5: %d fragments; %+v", n, st)
	}
}

// TestRegionGone: with every executor of a region dead the query fails promptly with
// an error naming the region.
func TestRegionGone(t *testing.T) {
	xg, xa := startExecutor(t, gcp, nil), startExecutor(t, aws, nil)
	xa.lis.Close()
	xa.lis.cut()
	p := newPool(t, quick(), xg, xa)
	e := newEngine(t, seedDatasets(t), planner.Options{Runner: p, FragmentChunks: 1})
	start := time.Now()
	_, err := e.query(context.Background(), example(t, "lens_histogram.sql"))
	took := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), aws) || !strings.Contains(err.Error(), "6 attempts failed") {
		t.Fatalf("error %v, want one naming %s after 6 attempts", err, aws)
	}
	if took > 3*time.Second {
		t.Errorf("the error took %v", took)
	}
	t.Logf("%v after %v", err, took.Round(time.Millisecond))
}

// TestCancelStopsFragments: cancelling a query cancels its fragments on the executors
// within a second, and Run returns as promptly.
func TestCancelStopsFragments(t *testing.T) {
	var started, stopped atomic.Int32
	var mu sync.Mutex
	var lastStop time.Time
	hold := func(_ *testExecutor, ctx context.Context, s string, _ Ticket) error {
		if s != "start" {
			return nil
		}
		started.Add(1)
		<-ctx.Done()
		mu.Lock()
		lastStop = time.Now()
		mu.Unlock()
		stopped.Add(1)
		return ctx.Err()
	}
	xg := startExecutor(t, gcp, nil, hold)
	p := newPool(t, PoolOptions{}, xg)
	e := newEngine(t, seedDatasets(t), planner.Options{Runner: p, FragmentChunks: 1})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := e.query(ctx, example(t, "era5_histogram.sql"))
		done <- err
	}()
	if !waitFor(5*time.Second, func() bool { return started.Load() == 4 }) {
		t.Fatalf("%d fragments started, want 4", started.Load())
	}
	cancelled := time.Now()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("query error %v, want context.Canceled", err)
		}
	case <-time.After(time.Second):
		t.Fatal("the query did not return within 1s of its cancellation")
	}
	if !waitFor(time.Second, func() bool { return stopped.Load() == started.Load() }) {
		t.Fatalf("%d of %d fragments stopped on the executor", stopped.Load(), started.Load())
	}
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d fragments stopped on the executor %v after the cancel", stopped.Load(), lastStop.Sub(cancelled).Round(time.Microsecond))
}

// TestInFlightBound: no executor runs more of a pool's fragments at once than
// MaxInFlight.
func TestInFlightBound(t *testing.T) {
	for _, bound := range []int{1, 2} {
		var now, peak atomic.Int32
		slow := func(_ *testExecutor, _ context.Context, s string, _ Ticket) error {
			if s == "start" {
				n := now.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				time.Sleep(30 * time.Millisecond)
				now.Add(-1)
			}
			return nil
		}
		xg := startExecutor(t, gcp, nil, slow)
		p := newPool(t, PoolOptions{MaxInFlight: bound}, xg)
		e := newEngine(t, seedDatasets(t)[:1], planner.Options{Runner: p, FragmentChunks: 1})
		e.mustQuery(context.Background(), example(t, "era5_histogram.sql"))
		if int(peak.Load()) != bound {
			t.Errorf("MaxInFlight %d: %d fragments at once", bound, peak.Load())
		}
	}
}
