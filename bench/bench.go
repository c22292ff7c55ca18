package bench

import (
	"context"
	"fmt"
)

// Report is what one run measured.
type Report struct {
	Store          Store
	Workers        int // GOMAXPROCS-sized parallelism given to every measurement
	Repeat         int
	Query          Measure // (a)
	Decode         Measure // (b)
	CBlosc         Measure // (c)
	Xarray         Measure // (d)
	Rows           int     // result rows of the query
	RSS            RSS
	Comparison     *Comparison // the query's rows against (d)'s; nil when not compared
	ComparisonNote string      // why the rows were not compared
}

// RSS is the Go process's peak resident set size in bytes around the query. The peak of
// (b) is in Report.Decode.PeakRSS, measured from a reset after the query when
// ResetDecode.
type RSS struct {
	Reset       bool  // the peak was reset after the store was made (else it includes it)
	BeforeQuery int64 // peak before the query
	AfterQuery  int64 // peak after the query's runs
	ResetDecode bool  // the peak was reset again before (b)
}

// Run makes sure the store is there, then measures (a) to (d) in order and compares the
// rows of (a) with (d)'s. A measurement that fails or cannot run is recorded in the
// Report; only a store that cannot be made, or the end of ctx, fails Run.
func Run(ctx context.Context, o Options) (*Report, error) {
	o, err := o.normalized()
	if err != nil {
		return nil, err
	}
	st, err := ensureStore(ctx, o)
	if err != nil {
		return nil, err
	}
	r := &Report{Store: st, Workers: o.Workers, Repeat: o.Repeat}
	r.RSS.Reset = settleMemory()
	r.RSS.BeforeQuery = peakRSS()
	q, rows := measureQuery(ctx, o, st)
	r.Query, r.Rows, r.RSS.AfterQuery = q, len(rows.rows), peakRSS()
	r.Query.PeakRSS = r.RSS.AfterQuery
	r.RSS.ResetDecode = settleMemory()
	r.Decode = measureDecode(ctx, o, st)
	r.Decode.PeakRSS = peakRSS()
	ref := r.measurePython(ctx, o)
	r.compare(rows, ref)
	if err := ctx.Err(); err != nil {
		return r, fmt.Errorf("bench: %w", err)
	}
	return r, nil
}

// measurePython runs (c) and (d) unless told not to, and returns (d)'s result.
func (r *Report) measurePython(ctx context.Context, o Options) table {
	r.CBlosc = Measure{Label: "(c) C-blosc decode only"}
	r.Xarray = Measure{Label: "(d) xarray + dask"}
	if o.SkipPython {
		r.CBlosc.Skipped, r.Xarray.Skipped = "--skip-python", "--skip-python"
		return table{}
	}
	r.CBlosc = measureCBlosc(ctx, o, r.Store)
	m, ref := measureXarray(ctx, o, r.Store)
	r.Xarray = m
	return ref
}

// compare fills the comparison of the query's rows with the reference's when both ran.
func (r *Report) compare(rows, ref table) {
	switch {
	case !r.Query.OK():
		r.ComparisonNote = "the query did not run"
		return
	case !r.Xarray.OK():
		r.ComparisonNote = "the reference did not run"
		return
	}
	c, err := compare(rows, ref)
	if err != nil {
		r.ComparisonNote = err.Error()
		return
	}
	r.Comparison = &c
}
