package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Print writes the report as a plain text table.
func (r *Report) Print(w io.Writer) error {
	var b strings.Builder
	r.printStore(&b)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "measure\tseconds\tMcells/s\tGB/s decoded\tpeak RSS*\tnote")
	for _, m := range []Measure{r.Query, r.Decode, r.CBlosc, r.Xarray} {
		r.printMeasure(tw, m)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("* (a), (b): this process's VmHWM after the run (reset before it); (c), (d): the Python process's VmHWM\n")
	r.printRatios(&b)
	r.printRSS(&b)
	r.printComparison(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) printStore(b *strings.Builder) {
	s := r.Store
	made := fmt.Sprintf("reused, checked in %.1f s", s.Seconds)
	if s.Generated {
		made = fmt.Sprintf("generated in %.1f s", s.Seconds)
	}
	fmt.Fprintf(b, "store     %s (%s)\n", s.Path, made)
	fmt.Fprintf(b, "tp        float32 (%d, %d, %d), chunks (%d, %d, %d), blosc lz4 + shuffle, %d chunk files\n",
		s.Shape[0], s.Shape[1], s.Shape[2], timeChunk, s.Shape[1], s.Shape[2], s.Chunks)
	fmt.Fprintf(b, "cells     %d (the seed's selection from %s: %d)\n", s.Cells(), seedStart, s.SelectedCells())
	fmt.Fprintf(b, "bytes     %d decoded, %d compressed (ratio %.2f)\n", s.Cells()*4, s.Bytes, float64(s.Cells()*4)/float64(s.Bytes))
	fmt.Fprintf(b, "runs      best of %d; parallelism %d (GOMAXPROCS)\n\n", r.Repeat, r.Workers)
}

func (r *Report) printMeasure(w io.Writer, m Measure) {
	if !m.OK() {
		why := "skipped: " + m.Skipped
		if m.Err != nil {
			why = fmt.Sprintf("FAILED after %.1f s: %v", m.Seconds, m.Err)
		}
		fmt.Fprintf(w, "%s\t-\t-\t-\t-\t%s\n", m.Label, why)
		return
	}
	cells := r.Store.Cells()
	note := m.Detail
	if m.Label == r.Query.Label {
		note = fmt.Sprintf("%s, %d rows", note, r.Rows)
	}
	fmt.Fprintf(w, "%s\t%.3f\t%.1f\t%.2f\t%s\t%s\n", m.Label, m.Seconds, m.Rate(cells)/1e6,
		float64(cells*4)/m.Seconds/1e9, mib(m.PeakRSS), note)
}

func (r *Report) printRatios(b *strings.Builder) {
	fmt.Fprintln(b, "\nratios of cells/s (above 1: the query is faster)")
	cells := r.Store.Cells()
	for _, p := range []struct {
		name string
		of   Measure
	}{{"(a)/(c) query vs C-blosc decode", r.CBlosc}, {"(a)/(d) query vs xarray + dask", r.Xarray}, {"(a)/(b) query vs zarrsql decode", r.Decode}} {
		if !r.Query.OK() || !p.of.OK() {
			fmt.Fprintf(b, "  %-34s -\n", p.name)
			continue
		}
		fmt.Fprintf(b, "  %-34s %.3f\n", p.name, r.Query.Rate(cells)/p.of.Rate(cells))
	}
}

func (r *Report) printRSS(b *strings.Builder) {
	note := ""
	if !r.RSS.Reset {
		note = " (peak not reset: includes making the store)"
	}
	fmt.Fprintf(b, "\nGo process peak RSS (VmHWM)%s: before the query %s, after it %s\n",
		note, mib(r.RSS.BeforeQuery), mib(r.RSS.AfterQuery))
}

func (r *Report) printComparison(b *strings.Builder) {
	c := r.Comparison
	if c == nil {
		fmt.Fprintf(b, "query rows vs reference: not compared (%s)\n", r.ComparisonNote)
		return
	}
	fmt.Fprintf(b, "query rows vs reference: %d cells compared, %d mismatches (|diff| > %g), max |diff| %g",
		c.Compared, c.Mismatches, tolerance, c.MaxDiff)
	if c.AbsentZero > 0 {
		fmt.Fprintf(b, ", %d zero cells absent from the query", c.AbsentZero)
	}
	fmt.Fprintln(b)
	for _, e := range c.Examples {
		fmt.Fprintf(b, "  %s\n", e)
	}
}

// mib formats bytes in MiB; "-" when unknown.
func mib(n int64) string {
	if n <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}
