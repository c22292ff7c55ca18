package distributed

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/zarrsql/zarrsql/connectors/blobstore"
	"github.com/zarrsql/zarrsql/connectors/zarr"
	"github.com/zarrsql/zarrsql/planner"
)

// DefaultMaxStores is how many opened stores an executor (or the in-process runner)
// keeps by default.
const DefaultMaxStores = 16

// local runs fragments in this process: the core of an Executor and of InProcess.
type local struct {
	stores  *storeCache
	workers int
}

func newLocal(workers, maxStores int, b blobstore.Options, z zarr.Options) *local {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if maxStores <= 0 {
		maxStores = DefaultMaxStores
	}
	return &local{stores: newStoreCache(maxStores, b, z), workers: workers}
}

// run runs f and returns its partial; rc counts the bytes it reads as it goes.
func (l *local) run(ctx context.Context, f planner.Fragment, rc *readCounter) (p *planner.Partial, err error) {
	defer recoverTo(&err, "fragment %d of %s", f.Index, f.Dataset)
	ctx = withReadCounter(ctx, rc)
	e, err := l.stores.acquire(ctx, f.URL)
	if err != nil {
		return nil, fmt.Errorf("fragment %d of %s: %w", f.Index, f.Dataset, err)
	}
	defer l.stores.release(e)
	arr := e.grp.Array(f.Variable)
	if arr == nil {
		return nil, badFragment(fmt.Errorf("fragment %d of %s: no array %q in %s", f.Index, f.Dataset, f.Variable, f.URL))
	}
	if _, err := f.Plan(arr); err != nil {
		return nil, badFragment(err)
	}
	return planner.RunFragment(ctx, f, arr, l.workers)
}

// Close closes the stores.
func (l *local) Close() error { return l.stores.Close() }

// recoverTo turns a panic into *err (call it deferred at every goroutine root).
func recoverTo(err *error, format string, args ...any) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: panic: %v\n%s", fmt.Sprintf(format, args...), r, debug.Stack())
	}
}

// fragmentError is a fragment that no executor can run (bad plan, missing array): it
// is not retried.
type fragmentError struct{ err error }

func (e *fragmentError) Error() string { return e.err.Error() }
func (e *fragmentError) Unwrap() error { return e.err }

func badFragment(err error) error { return &fragmentError{err} }

// permanentLocal reports whether a local failure would fail again anywhere.
func permanentLocal(err error) bool {
	var fe *fragmentError
	return errors.As(err, &fe) || errors.Is(err, blobstore.ErrNotFound) || errors.Is(err, blobstore.ErrPermission)
}

// InProcessOptions configure an InProcess runner.
type InProcessOptions struct {
	Workers   int // goroutines per fragment; 0: GOMAXPROCS
	MaxStores int // opened stores kept; 0: DefaultMaxStores
	Store     blobstore.Options
	Zarr      zarr.Options
}

// InProcess runs fragments one after the other in this process, each on Workers
// goroutines: the single-machine runner, and a reference for the distributed one.
type InProcess struct{ l *local }

// NewInProcess returns an InProcess runner; Close it to close its stores.
func NewInProcess(o InProcessOptions) *InProcess {
	return &InProcess{l: newLocal(o.Workers, o.MaxStores, o.Store, o.Zarr)}
}

var _ planner.Runner = (*InProcess)(nil)

// Run runs every fragment and returns their partials in fragment order.
func (r *InProcess) Run(ctx context.Context, frags []planner.Fragment) ([]*planner.Partial, error) {
	out := make([]*planner.Partial, len(frags))
	for i, f := range frags {
		p, err := r.l.run(ctx, f, &readCounter{})
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// Close closes the opened stores.
func (r *InProcess) Close() error { return r.l.Close() }
