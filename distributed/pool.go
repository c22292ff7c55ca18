package distributed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/zarrsql/zarrsql/connectors/blobstore"
	"github.com/zarrsql/zarrsql/connectors/zarr"
	"github.com/zarrsql/zarrsql/planner"
)

// PoolOptions configure a Pool. Zero fields take the defaults below.
type PoolOptions struct {
	// Executors are the executors by region; several per region share its fragments.
	Executors []Endpoint
	// AllowRemote lets a fragment whose region has no executor run on any executor, or
	// in this process when there is none; the bytes it reads count as remote reads.
	AllowRemote bool
	// Region is where this process runs (default "local"): fragments of that region
	// (and of "local" or no region) run in this process when no executor serves it.
	Region string
	// Retries is how many times a failed fragment is tried again (default 5, the seed's
	// retries=5); negative: never.
	Retries int
	// BackoffBase and BackoffMax shape the sleep before retry n: uniformly random in
	// [0, min(BackoffMax, BackoffBase·2ⁿ⁻¹)]. Defaults 100ms and 5s.
	BackoffBase, BackoffMax time.Duration
	// StallTimeout abandons an attempt that sent nothing for that long (executors send
	// heartbeats every StallTimeout/4); default 15s.
	StallTimeout time.Duration
	// FragmentTimeout bounds one attempt; default 30m.
	FragmentTimeout time.Duration
	// MaxInFlight bounds the attempts in flight per executor (default 4) and in this
	// process (then 1).
	MaxInFlight int
	// KeepQueries is how many queries' stats Stats and Recent keep (default 256).
	KeepQueries int
	Security    Security
	// Workers, MaxStores, Store and Zarr configure fragments run in this process.
	Workers   int
	MaxStores int
	Store     blobstore.Options
	Zarr      zarr.Options
	Log       *slog.Logger // nil: no logs
}

// Defaults of PoolOptions.
const (
	DefaultRetries         = 5
	DefaultBackoffBase     = 100 * time.Millisecond
	DefaultBackoffMax      = 5 * time.Second
	DefaultStallTimeout    = 15 * time.Second
	DefaultFragmentTimeout = 30 * time.Minute
	DefaultMaxInFlight     = 4
	LocalRegion            = "local"
)

func (o PoolOptions) withDefaults() PoolOptions {
	if o.Region == "" {
		o.Region = LocalRegion
	}
	switch {
	case o.Retries == 0:
		o.Retries = DefaultRetries
	case o.Retries < 0:
		o.Retries = 0
	}
	o.BackoffBase = orDefault(o.BackoffBase, DefaultBackoffBase)
	o.BackoffMax = orDefault(o.BackoffMax, DefaultBackoffMax)
	o.StallTimeout = orDefault(o.StallTimeout, DefaultStallTimeout)
	o.FragmentTimeout = orDefault(o.FragmentTimeout, DefaultFragmentTimeout)
	o.MaxInFlight = orDefault(o.MaxInFlight, DefaultMaxInFlight)
	o.KeepQueries = orDefault(o.KeepQueries, 256)
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

func orDefault[T time.Duration | int](v, d T) T {
	if v <= 0 {
		return d
	}
	return v
}

// Pool runs fragments on executors in their data's region (planner.Runner). Safe for
// concurrent use by any number of queries.
type Pool struct {
	opts     PoolOptions
	targets  []*target // the executors, in configuration order
	byRegion map[string][]*target
	inProc   *target
	local    *local
	metrics  *poolMetrics
	stats    *statsBook

	mu    sync.Mutex    // guards targets' load and health
	freed chan struct{} // closed (and replaced) when an attempt releases its target
}

var _ planner.Runner = (*Pool)(nil)

// NewPool checks o and returns a Pool. Connections are made on first use.
func NewPool(o PoolOptions) (*Pool, error) {
	o = o.withDefaults()
	p := &Pool{opts: o, byRegion: map[string][]*target{}, metrics: newPoolMetrics(),
		stats: newStatsBook(o.KeepQueries), freed: make(chan struct{})}
	p.local = newLocal(o.Workers, o.MaxStores, o.Store, o.Zarr)
	p.inProc = &target{name: InProcessName, region: o.Region, max: 1, local: p.local}
	seen := map[string]bool{}
	for _, e := range o.Executors {
		if seen[e.Addr] {
			return nil, errors.Join(fmt.Errorf("executor %s configured twice", e.Addr), p.Close())
		}
		seen[e.Addr] = true
		t, err := dialTarget(e, o)
		if err != nil {
			return nil, errors.Join(err, p.Close())
		}
		p.targets = append(p.targets, t)
		p.byRegion[e.Region] = append(p.byRegion[e.Region], t)
	}
	return p, nil
}

// Close closes the connections to executors and the stores opened in this process.
func (p *Pool) Close() error {
	var errs []error
	for _, t := range p.targets {
		errs = append(errs, t.close())
	}
	return errors.Join(append(errs, p.local.Close())...)
}

// Regions returns the regions that have executors, sorted.
func (p *Pool) Regions() []string {
	out := make([]string, 0, len(p.byRegion))
	for r := range p.byRegion {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// Stats returns the stats of query id (see WithQueryID).
func (p *Pool) Stats(id string) (QueryStats, bool) { return p.stats.get(id) }

// Recent returns the stats of the last queries, newest first.
func (p *Pool) Recent() []QueryStats { return p.stats.recent() }

// Run runs the fragments where their data is and returns their partials in fragment
// order, or the first fragment's failure after its retries (the others cancelled).
func (p *Pool) Run(ctx context.Context, frags []planner.Fragment) ([]*planner.Partial, error) {
	parts, _, err := p.RunStats(ctx, frags)
	return parts, err
}

// RunStats is Run that also returns the query's stats so far (all of its Runs).
func (p *Pool) RunStats(ctx context.Context, frags []planner.Fragment) ([]*planner.Partial, QueryStats, error) {
	q := p.stats.begin(queryID(ctx))
	parts, err := p.run(ctx, q, frags)
	q.end(err)
	return parts, q.snapshot(), err
}

// group is the fragments that share their candidate executors.
type group struct {
	targets []*target
	frags   []int
}

func (p *Pool) run(ctx context.Context, q *queryRecord, frags []planner.Fragment) ([]*planner.Partial, error) {
	groups, err := p.place(frags)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	out := make([]*planner.Partial, len(frags))
	var wg sync.WaitGroup
	for _, g := range groups {
		next := make(chan int, len(g.frags))
		for _, i := range g.frags {
			next <- i
		}
		close(next)
		for range min(len(g.frags), slots(g.targets)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := p.worker(ctx, q, g.targets, frags, next, out); err != nil {
					cancel(err)
				}
			}()
		}
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	return out, nil
}

// worker runs the fragments it takes from next until they run out or ctx ends.
func (p *Pool) worker(ctx context.Context, q *queryRecord, ts []*target, frags []planner.Fragment, next <-chan int, out []*planner.Partial) (err error) {
	defer recoverTo(&err, "fragment worker")
	for i := range next {
		if ctx.Err() != nil {
			return nil
		}
		part, err := p.runFragment(ctx, q, ts, frags[i])
		if err != nil {
			return err
		}
		out[i] = part // only this worker ever handles fragment i: accepted once
	}
	return nil
}

func slots(ts []*target) int {
	n := 0
	for _, t := range ts {
		n += t.max
	}
	return n
}

// place groups the fragments by the executors that may run them.
func (p *Pool) place(frags []planner.Fragment) ([]group, error) {
	byKey := map[string]*group{}
	var keys []string
	for i, f := range frags {
		ts, key, err := p.candidates(f)
		if err != nil {
			return nil, err
		}
		g := byKey[key]
		if g == nil {
			g = &group{targets: ts}
			byKey[key] = g
			keys = append(keys, key)
		}
		g.frags = append(g.frags, i)
	}
	out := make([]group, len(keys))
	for i, k := range keys {
		out[i] = *byKey[k]
	}
	return out, nil
}

// candidates returns the executors that may run f, and a key naming that set.
func (p *Pool) candidates(f planner.Fragment) ([]*target, string, error) {
	if ts := p.byRegion[f.Region]; len(ts) > 0 {
		return ts, "region " + f.Region, nil
	}
	switch {
	case f.Region == "" || f.Region == LocalRegion || f.Region == p.opts.Region:
		return []*target{p.inProc}, "in-process", nil
	case p.opts.AllowRemote && len(p.targets) > 0:
		return p.targets, "any executor", nil
	case p.opts.AllowRemote:
		return []*target{p.inProc}, "in-process", nil
	}
	return nil, "", &NoExecutorError{Dataset: f.Dataset, Region: f.Region, Configured: p.Regions()}
}

// Placement says where a fragment will run.
type Placement struct {
	Region    string   // the data's region
	Executors []string // the addresses it may run on; InProcessName for this process
	// Remote is true when it will read its data from outside the data's region
	// (remote reads allowed): EXPLAIN and a warning should say so.
	Remote bool
}

// Place returns where f would run, or a *NoExecutorError.
func (p *Pool) Place(f planner.Fragment) (Placement, error) {
	ts, _, err := p.candidates(f)
	if err != nil {
		return Placement{}, err
	}
	pl := Placement{Region: f.Region}
	for _, t := range ts {
		pl.Executors = append(pl.Executors, t.name)
		pl.Remote = pl.Remote || !t.near(f.Region)
	}
	return pl, nil
}

// ErrNoExecutor is what a NoExecutorError Is.
var ErrNoExecutor = errors.New("no executor for the data's region")

// NoExecutorError: a fragment's region has no executor and remote reads are not
// allowed.
type NoExecutorError struct {
	Dataset, Region string
	Configured      []string // the regions that have executors
}

func (e *NoExecutorError) Error() string {
	conf := "none"
	if len(e.Configured) > 0 {
		conf = strings.Join(e.Configured, ", ")
	}
	return fmt.Sprintf("dataset %s is in region %q, which has no executor (executors are configured for: %s); "+
		"add an executor for %s or allow remote reads", e.Dataset, e.Region, conf, e.Region)
}

func (e *NoExecutorError) Is(target error) bool { return target == ErrNoExecutor }

// Where describes where f would run, for EXPLAIN: the region and executors, and the
// bytes that cross regions when it reads remotely.
func (p *Pool) Where(f planner.Fragment) (string, error) {
	pl, err := p.Place(f)
	if err != nil {
		return "", err
	}
	s := fmt.Sprintf("on %s executors %s", pl.Region, strings.Join(pl.Executors, ", "))
	if pl.Remote {
		s += fmt.Sprintf(" (REMOTE READ from %s: its chunks cross regions)", f.Region)
	}
	return s, nil
}

// Accounting describes what ctx's query did on the executors, for EXPLAIN ANALYZE:
// fragments, attempts and retries, bytes read per region and bytes sent to the
// coordinator per region.
func (p *Pool) Accounting(ctx *sql.Context) (string, bool) {
	q, ok := p.Stats(queryID(ctx))
	if !ok {
		return "", false
	}
	return fmt.Sprintf("%d fragments, %d attempts (%d retries), %d cells; read %s; sent to the coordinator %s (partials %d bytes)",
		q.Fragments, q.Attempts, q.Retries, q.Cells, byRegion(q.BytesRead), byRegion(q.BytesSent), q.PartialBytes), true
}

// byRegion formats bytes by region, sorted.
func byRegion(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d bytes from %s", m[k], k)
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}
