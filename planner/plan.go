package planner

import (
	"fmt"
	"strings"

	"github.com/zarrsql/zarrsql/connectors/cf"
	"github.com/zarrsql/zarrsql/connectors/sqltable"
	"github.com/zarrsql/zarrsql/connectors/zarr"
	"github.com/zarrsql/zarrsql/functions/kernels"
)

// Plan is an array plan: which cells of one variable a query reads, the transforms
// applied to them chunk by chunk, the mergeable partial aggregates and how the merged
// result becomes rows. A Plan is immutable once compiled; Exec runs it.
type Plan struct {
	Table    string
	Dataset  string
	URL      string // the dataset's store
	Region   string // where the store is
	Variable string
	Dims     []string
	Box      zarr.Region // selected positions, one span per dimension
	Arr      *zarr.Array
	Values   cf.Values // the variable's CF decoding (masking) to float32
	Coords   [][]any   // SQL values of each dimension's positions

	PreScale float64      // value * PreScale (float32) before coarsening; 0: none
	Coarsen  *CoarsenStep // nil: no coarsening
	Hist     *HistStep    // the HISTOGRAM; nil for plain aggregates
	Aggs     []AggStep    // plain aggregates (Hist == nil)
	Group    []int        // dimensions kept as groups, ascending
	Out      []OutCol     // the row, column by column
}

// CoarsenStep coarsens dimension Dim (the first selected one with more than one
// position) in windows of Window positions.
type CoarsenStep struct {
	Dim      int
	Window   int
	Boundary kernels.Boundary
	Mean     bool // AVG instead of SUM
}

// HistStep counts values per bin along dimension Dim, per group, and averages the
// counts over the other dimensions.
type HistStep struct {
	Edges kernels.Edges
	Dim   int
	Scale float64 // value * Scale (float32) before binning; 0: none
}

// AggStep is one plain aggregate of the variable (optionally scaled).
type AggStep struct {
	Func  string // COUNT(*), COUNT, SUM, AVG, MIN, MAX
	Scale float64
}

// OutKind says what an output column holds.
type OutKind int

const (
	OutCoord OutKind = iota // the coordinate of group dimension Dim
	OutBin                  // the 1-based bin number (JSON_TABLE's FOR ORDINALITY)
	OutMean                 // the mean count of the bin
	OutAgg                  // aggregate Agg
)

// OutCol is one output column.
type OutCol struct {
	Kind OutKind
	Dim  int
	Agg  int
}

// counts returns the number of selected positions per dimension.
func (p *Plan) counts() []int {
	return p.Box.Count()
}

// String describes the plan, one step per line, for EXPLAIN, run in-process.
func (p *Plan) String() string { return p.explain(p.inProcessLine()) }

// inProcessLine is EXPLAIN's fragments line of a plan run in-process.
func (p *Plan) inProcessLine() string {
	return fmt.Sprintf("fragments: %d (one per chunk along %s), in-process", len(p.tasks()), p.Dims[p.splitDim()])
}

// explain describes the plan with fragments as its last line.
func (p *Plan) explain(fragments string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ArrayPlan(%s.%s)\n", p.Table, p.Variable)
	fmt.Fprintf(&b, " ├─ selection: %s\n", p.selection())
	if p.PreScale != 0 {
		fmt.Fprintf(&b, " ├─ scale: %s * %v (float32)\n", p.Variable, p.PreScale)
	}
	if c := p.Coarsen; c != nil {
		op := "sum"
		if c.Mean {
			op = "mean"
		}
		fmt.Fprintf(&b, " ├─ coarsen: %s=%d boundary=%s %s (float32, position order)\n", p.Dims[c.Dim], c.Window, c.Boundary, op)
	}
	if h := p.Hist; h != nil {
		if h.Scale != 0 {
			fmt.Fprintf(&b, " ├─ scale: * %v (float32)\n", h.Scale)
		}
		fmt.Fprintf(&b, " ├─ histogram: along %s, %d bins [%v .. %v], mean over %s\n",
			p.Dims[h.Dim], h.Edges.Bins(), h.Edges.At(0), h.Edges.At(h.Edges.Len()-1), strings.Join(p.averaged(), ", "))
	}
	for _, a := range p.Aggs {
		fmt.Fprintf(&b, " ├─ aggregate: %s\n", a.Func)
	}
	fmt.Fprintf(&b, " ├─ groups: %s\n", p.groupString())
	chunks, bytes := p.Arr.EstimateBytes(p.Box)
	fmt.Fprintf(&b, " ├─ reads: %d chunks, %d bytes decoded (%d cells)\n", chunks, bytes, cellsOf(p.counts()))
	lines := strings.Split(fragments, "\n")
	for i, l := range lines {
		if i == len(lines)-1 {
			fmt.Fprintf(&b, " └─ %s", l)
		} else {
			fmt.Fprintf(&b, " ├─ %s\n", l)
		}
	}
	return b.String()
}

func (p *Plan) selection() string {
	parts := make([]string, len(p.Dims))
	for d, name := range p.Dims {
		parts[d] = fmt.Sprintf("%s[%d:%d]", name, p.Box.Start[d], p.Box.Stop[d])
	}
	return strings.Join(parts, " ")
}

func (p *Plan) groupString() string {
	if len(p.Group) == 0 {
		return "none"
	}
	names := make([]string, len(p.Group))
	for i, d := range p.Group {
		names[i] = p.Dims[d]
	}
	return strings.Join(names, ", ")
}

// averaged lists the dimensions a histogram's counts are averaged over.
func (p *Plan) averaged() []string {
	var out []string
	for d, name := range p.Dims {
		if d != p.Hist.Dim && !contains(p.Group, d) && p.counts()[d] > 1 {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		return []string{"nothing"}
	}
	return out
}

func contains(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func cellsOf(counts []int) int64 {
	n := int64(1)
	for _, c := range counts {
		n *= int64(c)
	}
	return n
}

// spanOf returns the single span of a dimension's selection, if it is one.
func spanOf(s []sqltable.Span, size int64) (lo, hi int64, ok bool) {
	switch len(s) {
	case 0:
		return 0, 0, true
	case 1:
		return s[0].Lo, s[0].Hi, true
	}
	return 0, 0, false
}
