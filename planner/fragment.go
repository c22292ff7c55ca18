package planner

import (
	"context"
	"errors"
	"fmt"

	"github.com/zarrsql/zarrsql/connectors/cf"
	"github.com/zarrsql/zarrsql/connectors/zarr"
	"github.com/zarrsql/zarrsql/functions/kernels"
)

// Fragment is the part of an array plan one executor runs: the plan's steps over a slab
// of its selection along the split dimension. Slabs start at chunk boundaries or, when
// coarsening, at the first window boundary at or after one, so that every window is
// computed whole by one executor (float32 window sums stay xarray's). A Fragment is
// plain data: it travels to executors as JSON.
type Fragment struct {
	Dataset  string  `json:"dataset"`
	URL      string  `json:"url"`
	Region   string  `json:"region"`
	Variable string  `json:"variable"` // the array's path in the store
	Start    []int64 `json:"start"`    // the slab: positions Start[d] <= i < Stop[d]
	Stop     []int64 `json:"stop"`
	PreScale float64 `json:"pre_scale,omitempty"`

	Coarsen   *CoarsenStep `json:"coarsen,omitempty"` // Boundary exact except in the last slab
	Edges     []float64    `json:"edges,omitempty"`   // histogram plans
	HistDim   int          `json:"hist_dim,omitempty"`
	HistScale float64      `json:"hist_scale,omitempty"`
	Aggs      []AggStep    `json:"aggs,omitempty"` // aggregate plans
	Group     []int        `json:"group,omitempty"`
	Index     int          `json:"index"` // the fragment's number in its plan
}

// Partial is a fragment's result: mergeable partial aggregates.
type Partial struct {
	Hist  *kernels.HistCounts `json:"hist,omitempty"`
	Agg   *kernels.AggState   `json:"agg,omitempty"`
	Cells int64               `json:"cells"` // cells read
}

// Merge adds o's partial aggregates to p's.
func (p *Partial) Merge(o *Partial) error {
	p.Cells += o.Cells
	switch {
	case p.Hist != nil && o.Hist != nil:
		return p.Hist.Merge(o.Hist)
	case p.Agg != nil && o.Agg != nil:
		return p.Agg.Merge(o.Agg)
	}
	return errors.New("merge partials of different kinds")
}

// Runner runs fragments where their data is (package distributed implements it over
// executors; nil in Options runs everything in-process).
type Runner interface {
	Run(ctx context.Context, frags []Fragment) ([]*Partial, error)
}

// Fragments splits the plan into slabs of about chunks chunks along the split dimension.
// A plan grouped by its split dimension stays one fragment (its slabs' partials would
// hold different groups, not mergeable ones).
func (p *Plan) Fragments(chunks int) []Fragment {
	cuts := p.cuts(max(chunks, 1))
	if contains(p.Group, p.splitDim()) {
		cuts = []int64{cuts[0], cuts[len(cuts)-1]}
	}
	out := make([]Fragment, 0, len(cuts)-1)
	for i := 0; i+1 < len(cuts); i++ {
		out = append(out, p.fragment(i, cuts[i], cuts[i+1], i+2 == len(cuts)))
	}
	return out
}

// cuts returns the slab boundaries along the split dimension (positions), first and
// last included.
func (p *Plan) cuts(chunks int) []int64 {
	d := p.splitDim()
	lo, hi := p.Box.Start[d], p.Box.Stop[d]
	if cellsOf(p.counts()) == 0 {
		return []int64{lo, lo}
	}
	cs := int64(p.Arr.ChunkShape[d]) * int64(chunks)
	out := []int64{lo}
	for b := (lo/cs + 1) * cs; b < hi; b += cs {
		c := b
		if p.Coarsen != nil {
			w := int64(p.Coarsen.Window)
			c = lo + (b-lo+w-1)/w*w // the next window boundary
		}
		if c < hi && c > out[len(out)-1] {
			out = append(out, c)
		}
	}
	return append(out, hi)
}

func (p *Plan) fragment(i int, lo, hi int64, last bool) Fragment {
	d := p.splitDim()
	f := Fragment{Dataset: p.Dataset, URL: p.URL, Region: p.Region, Variable: p.Arr.Path,
		Start: append([]int64(nil), p.Box.Start...), Stop: append([]int64(nil), p.Box.Stop...),
		PreScale: p.PreScale, Aggs: p.Aggs, Group: p.Group, Index: i}
	f.Start[d], f.Stop[d] = lo, hi
	if c := p.Coarsen; c != nil {
		cc := *c
		if !last {
			cc.Boundary = kernels.BoundaryExact
		}
		f.Coarsen = &cc
	}
	if h := p.Hist; h != nil {
		f.Edges, f.HistDim, f.HistScale = h.Edges.Values(), h.Dim, h.Scale
	}
	return f
}

// Plan rebuilds the fragment's plan over arr, the array at f.Variable of f.URL.
func (f Fragment) Plan(arr *zarr.Array) (*Plan, error) {
	if len(f.Start) != len(arr.Shape) || len(f.Stop) != len(arr.Shape) {
		return nil, fmt.Errorf("fragment %d of %s: %d/%d dimensions for an array of %d", f.Index, f.Dataset, len(f.Start), len(f.Stop), len(arr.Shape))
	}
	for d := range f.Start {
		if f.Start[d] < 0 || f.Start[d] > f.Stop[d] || f.Stop[d] > arr.Shape[d] {
			return nil, fmt.Errorf("fragment %d of %s: positions [%d, %d) of dimension %d outside 0..%d", f.Index, f.Dataset, f.Start[d], f.Stop[d], d, arr.Shape[d])
		}
	}
	vals, err := cf.NewValues(arr.DType, arr.Attrs, arr.Format, arr.FillValue)
	if err != nil {
		return nil, fmt.Errorf("fragment %d of %s: %w", f.Index, f.Dataset, err)
	}
	p := &Plan{Dataset: f.Dataset, URL: f.URL, Region: f.Region, Variable: f.Variable, Arr: arr, Values: vals,
		Dims: make([]string, len(arr.Shape)), Box: zarr.Region{Start: f.Start, Stop: f.Stop},
		PreScale: f.PreScale, Coarsen: f.Coarsen, Aggs: f.Aggs, Group: f.Group}
	if f.Edges != nil {
		e, err := kernels.NewEdges(f.Edges)
		if err != nil {
			return nil, fmt.Errorf("fragment %d of %s: %w", f.Index, f.Dataset, err)
		}
		p.Hist = &HistStep{Edges: e, Dim: f.HistDim, Scale: f.HistScale}
	}
	return p, p.check()
}

// check validates a rebuilt plan's steps against its array (fragments come from the
// network).
func (p *Plan) check() error {
	n := len(p.Arr.Shape)
	bad := func(d int) bool { return d < 0 || d >= n }
	for _, g := range p.Group {
		if bad(g) {
			return fmt.Errorf("fragment of %s: group dimension %d out of range", p.Dataset, g)
		}
	}
	if p.Hist != nil && bad(p.Hist.Dim) || p.Coarsen != nil && (bad(p.Coarsen.Dim) || p.Coarsen.Window <= 0) {
		return fmt.Errorf("fragment of %s: dimension or window out of range", p.Dataset)
	}
	if p.Hist == nil && len(p.Aggs) == 0 {
		return fmt.Errorf("fragment of %s: neither a histogram nor aggregates", p.Dataset)
	}
	if p.Coarsen != nil && !p.coarsenFits() {
		return fmt.Errorf("fragment of %s: the coarsened dimension cannot lead the kernels", p.Dataset)
	}
	return nil
}

// RunFragment runs a fragment's plan over arr on workers goroutines.
func RunFragment(ctx context.Context, f Fragment, arr *zarr.Array, workers int) (*Partial, error) {
	p, err := f.Plan(arr)
	if err != nil {
		return nil, err
	}
	return p.partial(ctx, execEnv{workers: max(workers, 1)})
}

// partial runs the plan and returns its partial aggregates.
func (p *Plan) partial(ctx context.Context, env execEnv) (*Partial, error) {
	cells := cellsOf(p.counts())
	if p.Hist == nil {
		st, err := p.aggResult(ctx, env)
		return &Partial{Agg: st, Cells: cells}, err
	}
	c, err := p.histResult(ctx, env)
	return &Partial{Hist: c, Cells: cells}, err
}
