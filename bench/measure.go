package bench

import (
	"context"
	"fmt"
	"time"
)

// Measure is one measurement: the best of Repeat runs, or why it did not run.
type Measure struct {
	Label   string  // e.g. "(b) zarrsql decode only"
	Detail  string  // how it ran
	Seconds float64 // best wall time of the measured part; for a failure, the time until it
	PeakRSS int64   // peak RSS in bytes of a measured subprocess; 0 when not one or unknown
	Skipped string  // why it did not run
	Err     error   // why it failed
}

// OK says whether the measurement ran and gave a time.
func (m Measure) OK() bool { return m.Skipped == "" && m.Err == nil && m.Seconds > 0 }

// Rate is cells per second, 0 when the measurement did not run.
func (m Measure) Rate(cells int64) float64 {
	if !m.OK() {
		return 0
	}
	return float64(cells) / m.Seconds
}

// bestOf runs fn n times and returns its shortest wall time. It stops at the first
// error and returns the time until that error.
func bestOf(ctx context.Context, n int, fn func() error) (float64, error) {
	best := 0.0
	for i := range n {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		start := time.Now()
		if err := fn(); err != nil {
			return time.Since(start).Seconds(), err
		}
		if d := time.Since(start).Seconds(); i == 0 || d < best {
			best = d
		}
	}
	return best, nil
}

// recoverAs turns a panic of the calling goroutine into *err.
func recoverAs(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("bench: internal error: %v", r)
	}
}
