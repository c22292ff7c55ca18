package distributed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/zarrsql/zarrsql/planner"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// runFragment runs f on one of ts, retrying failed attempts (preferably elsewhere)
// with backoff, and returns the first partial an attempt completes.
func (p *Pool) runFragment(ctx context.Context, q *queryRecord, ts []*target, f planner.Fragment) (*planner.Partial, error) {
	var tried []*target
	var last error
	for n := 0; n <= p.opts.Retries; n++ {
		if n > 0 {
			p.metrics.retries.WithLabelValues(f.Region).Inc()
			if err := sleep(ctx, p.backoff(n)); err != nil {
				return nil, context.Cause(ctx)
			}
		}
		t, err := p.acquire(ctx, ts, tried)
		if err != nil {
			return nil, context.Cause(ctx)
		}
		part, err := p.attempt(ctx, q, t, f, n)
		switch {
		case err == nil:
			p.release(t, healthy)
			return part, nil
		case ctx.Err() != nil:
			p.release(t, unknown)
			return nil, context.Cause(ctx)
		}
		p.release(t, failed)
		last = fmt.Errorf("on %s: %w", t.name, err)
		p.opts.Log.Warn("fragment attempt failed", "dataset", f.Dataset, "fragment", f.Index, "region", f.Region,
			"attempt", n, "executor", t.name, "err", err)
		if permanent(err) {
			return nil, fmt.Errorf("fragment %d of %s (region %s): %w", f.Index, f.Dataset, f.Region, last)
		}
		tried = append(tried, t)
	}
	return nil, fmt.Errorf("fragment %d of %s (region %s): %d attempts failed on executors %s; the last %w",
		f.Index, f.Dataset, f.Region, p.opts.Retries+1, names(tried), last)
}

func names(ts []*target) string {
	var out []string
	for _, t := range ts {
		if !slices.Contains(out, t.name) {
			out = append(out, t.name)
		}
	}
	return fmt.Sprint(out)
}

// backoff is the sleep before retry n: "full jitter" over an exponential bound.
func (p *Pool) backoff(n int) time.Duration {
	bound := p.opts.BackoffMax
	if n < 40 {
		bound = min(bound, p.opts.BackoffBase<<(n-1))
	}
	return rand.N(bound + 1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// permanent reports whether an attempt's error would recur on any executor: the
// fragment is bad, or its data missing or forbidden.
func permanent(err error) bool {
	if permanentLocal(err) {
		return true
	}
	switch status.Code(err) {
	case codes.InvalidArgument, codes.NotFound, codes.PermissionDenied:
		return true
	}
	return false
}

// acquire takes an attempt slot on one of ts: the least loaded of those with room,
// among the healthy ones not tried yet for this fragment if any exist (waiting for
// room there rather than going back to an executor that failed).
func (p *Pool) acquire(ctx context.Context, ts, tried []*target) (*target, error) {
	for {
		p.mu.Lock()
		t := pick(ts, tried, time.Now())
		if t != nil {
			t.inFlight++
			p.mu.Unlock()
			p.metrics.inFlight.WithLabelValues(t.name, t.region).Inc()
			return t, nil
		}
		wait := p.freed
		p.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// pick chooses a target (with p.mu held); nil when the preferred ones are all busy.
func pick(ts, tried []*target, now time.Time) *target {
	preferred := make([]*target, 0, len(ts))
	for _, t := range ts {
		if !slices.Contains(tried, t) && !now.Before(t.healthyAt) {
			preferred = append(preferred, t)
		}
	}
	if len(preferred) == 0 {
		preferred = ts
	}
	var best *target
	for _, t := range preferred {
		if t.inFlight < t.max && (best == nil || t.inFlight < best.inFlight) {
			best = t
		}
	}
	return best
}

// health is what an attempt says of its executor.
type health int

const (
	unknown health = iota // the query ended first
	healthy
	failed
)

// release returns t's slot and records what the attempt said of t: a failure keeps t
// out of first choice for a cooldown that doubles with consecutive failures.
func (p *Pool) release(t *target, h health) {
	p.metrics.inFlight.WithLabelValues(t.name, t.region).Dec()
	p.mu.Lock()
	defer p.mu.Unlock()
	t.inFlight--
	switch h {
	case healthy:
		t.failures, t.healthyAt = 0, time.Time{}
	case failed:
		t.failures++
		t.healthyAt = time.Now().Add(min(time.Second<<min(t.failures-1, 5), 30*time.Second))
	}
	close(p.freed)
	p.freed = make(chan struct{})
}
