package planner

import (
	"sort"
	"strings"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/expression"
	"github.com/dolthub/go-mysql-server/sql/expression/function/aggregation"
	"github.com/dolthub/go-mysql-server/sql/plan"
	"github.com/zarrsql/zarrsql/connectors/cf"
	"github.com/zarrsql/zarrsql/connectors/dtype"
	"github.com/zarrsql/zarrsql/connectors/zarr"
)

// jsonCounts is the JSON_TABLE that turns HISTOGRAM's counts into rows:
// JSON_TABLE(h.counts, '$[*]' COLUMNS (bin FOR ORDINALITY, n DOUBLE PATH '$')).
type jsonCounts struct {
	name   string // the JSON_TABLE's alias
	bin, n string // its columns
	data   *expression.GetField
}

func jsonCountsOf(jt *plan.JSONTable) (jsonCounts, bool) {
	gf, ok := jt.DataExpr.(*expression.GetField)
	if !ok || strings.ReplaceAll(jt.RootPath, " ", "") != "$[*]" || len(jt.Cols) != 2 {
		return jsonCounts{}, false
	}
	j := jsonCounts{name: jt.Name(), data: gf}
	for _, col := range jt.Cols {
		switch {
		case len(col.NestedCols) > 0 || col.Opts == nil:
			return jsonCounts{}, false
		case col.Opts.ForOrd:
			j.bin = col.Opts.Name
		case strings.TrimSpace(col.Path) == "$" && !col.Opts.Exists:
			j.n = col.Opts.Name
		}
	}
	return j, j.bin != "" && j.n != ""
}

// histPlan compiles the seed's shape: the mean over some dimensions of per-group
// HISTOGRAM counts, as rows (group coordinates, bin, mean count):
//
//	GROUP BY keys, bin: AVG(n)
//	  LATERAL CROSS JOIN
//	    h: GROUP BY dims: HISTOGRAM(x, edges)     x = value*c, or a COARSEN window SUM
//	    JSON_TABLE(h.counts ...)
func (c *compiler) histPlan(g *plan.GroupBy) (*Plan, bool) {
	j, ok := g.Child.(*plan.JoinNode)
	if !ok || j.Op != plan.JoinTypeLateralCross {
		return nil, false
	}
	h, ok1 := j.Left().(*plan.SubqueryAlias)
	jt, ok2 := j.Right().(*plan.JSONTable)
	if !ok1 || !ok2 {
		return nil, false
	}
	js, ok := jsonCountsOf(jt)
	if !ok {
		return nil, false
	}
	counts, ok := c.column(h, js.data)
	if !ok || counts.kind != refHist {
		return nil, false
	}
	p, hKeys, ok := c.histCore(counts)
	if !ok {
		return nil, false
	}
	return c.histOutput(p, g, h, js, hKeys)
}

// histCore builds the plan of the HISTOGRAM's GROUP BY; it returns the dimensions that
// GROUP BY keys on (a COARSEN key counts as its dimension).
func (c *compiler) histCore(counts *ref) (*Plan, map[int]bool, bool) {
	x := counts.inner
	if x == nil {
		return nil, nil, false
	}
	hKeys, hCoarsen, ok := c.keys(counts.group, x.src)
	if !ok {
		return nil, nil, false
	}
	var value *ref
	var step *CoarsenStep
	switch x.kind {
	case refValue:
		if hCoarsen != nil {
			return nil, nil, false // a histogram over the cells of a window: not the seed's
		}
		value = x
	case refWindowSum:
		if value, step, ok = c.coarsenStep(x, hCoarsen); !ok {
			return nil, nil, false
		}
		hKeys[step.Dim] = true
	default:
		return nil, nil, false
	}
	p, ok := c.newPlan(value.src, value.column)
	if !ok {
		return nil, nil, false
	}
	edges, err := counts.hist.Edges(c.ctx)
	if err != nil {
		return nil, nil, false // the row path reports it
	}
	p.PreScale, p.Coarsen = value.scale, step
	p.Hist = &HistStep{Edges: edges, Scale: value.scale}
	if x.kind == refWindowSum {
		p.Hist.Scale = x.post
	} else {
		p.PreScale = 0
	}
	p.Hist.Dim, ok = histDim(p.counts(), hKeys)
	if step != nil && !p.coarsenFits() {
		return nil, nil, false
	}
	return p, hKeys, ok
}

// coarsenStep checks the COARSEN GROUP BY behind window sum x (keyed by its window and
// every other dimension with more than one position, so that each group is one window
// of one cell) and returns the summed value and the step.
func (c *compiler) coarsenStep(x, hCoarsen *ref) (*ref, *CoarsenStep, bool) {
	value := x.inner
	cKeys, cCoarsen, ok := c.keys(x.group, value.src)
	if !ok || cCoarsen == nil || hCoarsen == nil || hCoarsen.src != value.src {
		return nil, nil, false
	}
	a, b := cCoarsen.coarsen, hCoarsen.coarsen
	if cCoarsen.dim != hCoarsen.dim || a.Window != b.Window || a.Boundary != b.Boundary {
		return nil, nil, false
	}
	if _, pinned := value.src.fixed[cCoarsen.dim]; pinned {
		return nil, nil, false
	}
	p, ok := c.newPlan(value.src, value.column)
	if !ok {
		return nil, nil, false
	}
	for d, n := range p.counts() {
		if d != cCoarsen.dim && n > 1 && !cKeys[d] {
			return nil, nil, false
		}
	}
	return value, &CoarsenStep{Dim: cCoarsen.dim, Window: a.Window, Boundary: a.Boundary, Mean: x.mean}, true
}

// keys resolves a GROUP BY's keys: dimensions of src, and at most one COARSEN.
func (c *compiler) keys(gb *plan.GroupBy, src *scan) (map[int]bool, *ref, bool) {
	dims := map[int]bool{}
	var co *ref
	for _, k := range gb.GroupByExprs {
		r, ok := c.resolve(gb.Child, k)
		switch {
		case !ok || r.src != src:
			return nil, nil, false
		case r.kind == refDim:
			dims[r.dim] = true
		case r.kind == refCoarsen && co == nil:
			co = r
		default:
			return nil, nil, false
		}
	}
	return dims, co, true
}

// histDim picks the dimension the histogram runs along: the one dimension not grouped
// by with more than one position (the others not grouped by must have one), else the
// last one not grouped by.
func histDim(counts []int, keys map[int]bool) (int, bool) {
	dim, many := -1, 0
	for d, n := range counts {
		if keys[d] {
			continue
		}
		if n > 1 {
			many++
			dim = d
		} else if many == 0 {
			dim = d
		}
	}
	return dim, dim >= 0 && many <= 1
}

// newPlan starts a plan reading column of src: its selection, array and decoding.
func (c *compiler) newPlan(src *scan, column string) (*Plan, bool) {
	t := src.src.table
	arr := t.Variable(column)
	if arr == nil || arr.DType.Kind != dtype.Float && arr.DType.Kind != dtype.Int && arr.DType.Kind != dtype.Uint {
		return nil, false
	}
	vals, err := cf.NewValues(arr.DType, arr.Attrs, arr.Format, arr.FillValue)
	if err != nil || vals.Out().Kind != dtype.Float || vals.Out().Size != 4 {
		return nil, false
	}
	box, ok := c.box(src)
	if !ok {
		return nil, false
	}
	ds := t.Dataset()
	p := &Plan{Table: t.Name(), Dataset: ds.Name, URL: ds.URL, Region: ds.Region, Variable: column, Dims: t.Dimensions(),
		Box: box, Arr: arr, Values: vals}
	for _, d := range p.Dims {
		v, err := t.CoordValues(c.ctx, d)
		if err != nil {
			return nil, false
		}
		p.Coords = append(p.Coords, v)
	}
	return p, true
}

// box returns the selected positions of src as one span per dimension.
func (c *compiler) box(src *scan) (zarr.Region, bool) {
	sel, err := src.src.table.Selection(c.ctx, src.src.lookup)
	if err != nil {
		return zarr.Region{}, false
	}
	r := zarr.Region{Start: make([]int64, len(sel)), Stop: make([]int64, len(sel))}
	for d, s := range sel {
		lo, hi, ok := spanOf(s, 0)
		if !ok {
			return zarr.Region{}, false
		}
		if k, pinned := src.fixed[d]; pinned {
			lo, hi = max(lo, k), min(hi, k+1)
		}
		if hi < lo {
			hi = lo
		}
		r.Start[d], r.Stop[d] = lo, hi
	}
	return r, true
}

// histOutput maps the outer GROUP BY's keys and columns to the plan's groups and rows.
func (c *compiler) histOutput(p *Plan, g *plan.GroupBy, h *plan.SubqueryAlias, js jsonCounts, hKeys map[int]bool) (*Plan, bool) {
	isBin := func(gf *expression.GetField) bool {
		return strings.EqualFold(gf.Table(), js.name) && strings.EqualFold(gf.Name(), js.bin)
	}
	groups := map[int]bool{}
	binKey := false
	for _, k := range g.GroupByExprs {
		gf, ok := unalias(k).(*expression.GetField)
		if !ok {
			return nil, false
		}
		if isBin(gf) {
			binKey = true
			continue
		}
		r, ok := c.column(h, gf)
		if !ok || r.kind != refDim || !hKeys[r.dim] {
			return nil, false
		}
		groups[r.dim] = true
	}
	if !binKey || (p.Coarsen != nil && groups[p.Coarsen.Dim]) {
		return nil, false
	}
	for d := range groups {
		p.Group = append(p.Group, d)
	}
	sort.Ints(p.Group)
	for _, d := range g.SelectDeps {
		col, ok := c.histColumn(h, js, d, groups, isBin)
		if !ok {
			return nil, false
		}
		p.Out = append(p.Out, col)
	}
	return p, true
}

func (c *compiler) histColumn(h *plan.SubqueryAlias, js jsonCounts, d sql.Expression, groups map[int]bool, isBin func(*expression.GetField) bool) (OutCol, bool) {
	switch d := unalias(d).(type) {
	case *aggregation.Avg:
		gf, ok := d.Child.(*expression.GetField)
		if ok && strings.EqualFold(gf.Table(), js.name) && strings.EqualFold(gf.Name(), js.n) {
			return OutCol{Kind: OutMean}, true
		}
	case *expression.GetField:
		if isBin(d) {
			return OutCol{Kind: OutBin}, true
		}
		if r, ok := c.column(h, d); ok && r.kind == refDim && groups[r.dim] {
			return OutCol{Kind: OutCoord, Dim: r.dim}, true
		}
	}
	return OutCol{}, false
}

// valueOf returns the ref of the value a histogram counts (through a window sum).
func valueOf(x *ref) *ref {
	if x.kind == refWindowSum {
		return x.inner
	}
	return x
}
