package planner

import (
	"strings"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/expression"
	"github.com/dolthub/go-mysql-server/sql/expression/function/aggregation"
	"github.com/dolthub/go-mysql-server/sql/plan"
	"github.com/zarrsql/zarrsql/connectors/sqltable"
	"github.com/zarrsql/zarrsql/functions"
)

// refKind says what a column of an intermediate result is, in array terms.
type refKind int

const (
	refDim       refKind = iota + 1 // a dimension's coordinate
	refCoarsen                      // a COARSEN window label
	refValue                        // the variable's cell value (times scale)
	refWindowSum                    // SUM/AVG of values per GROUP BY (times post)
	refHist                         // HISTOGRAM counts per GROUP BY
)

// ref is the meaning of a column: what it is computed from.
type ref struct {
	kind    refKind
	src     *scan
	dim     int
	coarsen *functions.Coarsen
	column  string  // refValue: the variable's column
	scale   float64 // refValue: times scale (0: none)
	post    float64 // refWindowSum: times post (0: none)
	mean    bool
	inner   *ref // refWindowSum: the summed value; refHist: the counted value
	hist    *functions.Histogram
	group   *plan.GroupBy // refWindowSum, refHist: the GROUP BY computing it
}

// scan is a Zarr table read with its pushed-down selection and INDEX_OF filters.
type scan struct {
	src   source
	fixed map[int]int64 // dimension -> the one position INDEX_OF(dim) = k keeps
}

// compiler recognises array plans in an analysed plan.
type compiler struct {
	ctx   *sql.Context
	scans map[sql.Node]*scan
}

func newCompiler(ctx *sql.Context) *compiler {
	return &compiler{ctx: ctx, scans: map[sql.Node]*scan{}}
}

// nameOf returns the name a projected expression is known by.
func nameOf(e sql.Expression) string {
	if n, ok := e.(sql.Nameable); ok {
		return n.Name()
	}
	return e.String()
}

// scanOf returns n as a scan of a Zarr table, if it is one.
func (c *compiler) scanOf(n sql.Node) (*scan, bool) {
	if s, ok := c.scans[n]; ok {
		return s, s != nil
	}
	s := c.newScan(n)
	c.scans[n] = s
	return s, s != nil
}

func (c *compiler) newScan(n sql.Node) *scan {
	switch n := n.(type) {
	case *plan.Filter:
		s, ok := c.scanOf(n.Child)
		if !ok {
			return nil
		}
		fixed, ok := c.indexFilters(s, n.Expression)
		if !ok {
			return nil
		}
		return &scan{src: s.src, fixed: fixed}
	case *plan.IndexedTableAccess, *plan.ResolvedTable, *plan.TableAlias:
		srcs := sources(c.ctx, n)
		if len(srcs) != 1 {
			return nil
		}
		return &scan{src: srcs[0], fixed: map[int]int64{}}
	}
	return nil
}

// indexFilters reads conjuncts INDEX_OF(dim) = k.
func (c *compiler) indexFilters(s *scan, e sql.Expression) (map[int]int64, bool) {
	fixed := map[int]int64{}
	for k, v := range s.fixed {
		fixed[k] = v
	}
	for _, conj := range expression.SplitConjunction(c.ctx, e) {
		eq, ok := conj.(*expression.Equals)
		if !ok {
			return nil, false
		}
		x, lit := eq.Left(), eq.Right()
		if _, ok := x.(*functions.IndexOf); !ok {
			x, lit = lit, x
		}
		idx, ok1 := x.(*functions.IndexOf)
		l, ok2 := lit.(*expression.Literal)
		if !ok1 || !ok2 {
			return nil, false
		}
		d, ok := dimIndex(s.src.table, idx.Dim())
		k, ok3 := toInt(l.Value())
		if !ok || !ok3 || !strings.EqualFold(idx.Dim().Table(), s.src.name) {
			return nil, false
		}
		if old, dup := fixed[d]; dup && old != k {
			k = -1 // contradictory: selects nothing
		}
		fixed[d] = k
	}
	return fixed, true
}

func dimIndex(t *sqltable.Table, gf *expression.GetField) (int, bool) {
	for d, name := range t.Dimensions() {
		if strings.EqualFold(name, gf.Name()) {
			return d, true
		}
	}
	return 0, false
}

func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case int:
		return int64(x), true
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	}
	return 0, false
}

// resolve returns what expression e, evaluated on the rows of node n, is.
func (c *compiler) resolve(n sql.Node, e sql.Expression) (*ref, bool) {
	switch e := unalias(e).(type) {
	case *expression.GetField:
		return c.column(n, e)
	case *functions.Coarsen:
		r, ok := c.resolve(n, e.Dim())
		if !ok || r.kind != refDim {
			return nil, false
		}
		return &ref{kind: refCoarsen, src: r.src, dim: r.dim, coarsen: e}, true
	case *expression.Arithmetic, *functions.Float32Op:
		return c.scaled(n, e)
	}
	return nil, false
}

// scaled resolves x * constant (or constant * x).
func (c *compiler) scaled(n sql.Node, e sql.Expression) (*ref, bool) {
	var l, r sql.Expression
	switch e := e.(type) {
	case *expression.Arithmetic:
		if e.Op != "*" {
			return nil, false
		}
		l, r = e.LeftChild, e.RightChild
	case *functions.Float32Op:
		if e.Op != '*' {
			return nil, false
		}
		l, r = e.Left, e.Right
	}
	if !isConstNumber(c.ctx, r) {
		l, r = r, l
	}
	if !isConstNumber(c.ctx, r) {
		return nil, false
	}
	v, err := r.Eval(c.ctx, nil)
	f, ok := functions.ToFloat(v)
	if err != nil || !ok || f == 0 {
		return nil, false
	}
	x, ok := c.resolve(n, l)
	if !ok {
		return nil, false
	}
	nx := *x
	switch {
	case x.kind == refValue && x.scale == 0:
		nx.scale = f
	case x.kind == refWindowSum && x.post == 0:
		nx.post = f
	default:
		return nil, false
	}
	return &nx, true
}

// column resolves a column read from node n.
func (c *compiler) column(n sql.Node, gf *expression.GetField) (*ref, bool) {
	switch n := n.(type) {
	case *plan.SubqueryAlias:
		if !strings.EqualFold(gf.Table(), n.Name()) {
			return nil, false
		}
		return c.output(n.Child, gf.Name())
	case *plan.Project:
		for _, p := range n.Projections {
			if sameColumn(p, gf) {
				return c.resolve(n.Child, p)
			}
		}
		return c.resolve(n.Child, gf)
	case *plan.GroupBy:
		for _, d := range n.SelectDeps {
			if sameColumn(d, gf) {
				return c.dep(n, d)
			}
		}
		return nil, false
	}
	s, ok := c.scanOf(n)
	if !ok || !strings.EqualFold(gf.Table(), s.src.name) {
		return nil, false
	}
	if d, ok := dimIndex(s.src.table, gf); ok {
		return &ref{kind: refDim, src: s, dim: d}, true
	}
	if s.src.table.Variable(gf.Name()) != nil {
		return &ref{kind: refValue, src: s, column: gf.Name()}, true
	}
	return nil, false
}

// sameColumn reports whether projected expression p produces the column gf reads.
func sameColumn(p sql.Expression, gf *expression.GetField) bool {
	if id, ok := p.(sql.IdExpression); ok && gf.Id() != 0 && id.Id() == gf.Id() {
		return true
	}
	if pg, ok := p.(*expression.GetField); ok {
		return strings.EqualFold(pg.Name(), gf.Name()) && strings.EqualFold(pg.Table(), gf.Table())
	}
	return strings.EqualFold(nameOf(p), gf.Name())
}

// output resolves the output column name of node n (the child of a subquery alias).
func (c *compiler) output(n sql.Node, name string) (*ref, bool) {
	switch n := n.(type) {
	case *plan.Project:
		for _, p := range n.Projections {
			if strings.EqualFold(nameOf(p), name) {
				return c.resolve(n.Child, p)
			}
		}
	case *plan.GroupBy:
		for _, d := range n.SelectDeps {
			if strings.EqualFold(nameOf(d), name) {
				return c.dep(n, d)
			}
		}
	}
	return nil, false
}

// dep resolves a SELECT dependency of a GROUP BY: an aggregate, or a column of its input.
func (c *compiler) dep(gb *plan.GroupBy, d sql.Expression) (*ref, bool) {
	switch d := unalias(d).(type) {
	case *functions.Histogram:
		x, ok := c.resolve(gb.Child, d.X())
		return &ref{kind: refHist, src: srcOf(x), inner: x, hist: d, group: gb}, ok
	case *aggregation.Sum:
		return c.windowSum(gb, d.Child, false)
	case *aggregation.Avg:
		return c.windowSum(gb, d.Child, true)
	case *functions.WindowSum:
		return c.windowSum(gb, d.X(), d.Mean)
	}
	return c.resolve(gb.Child, d)
}

func (c *compiler) windowSum(gb *plan.GroupBy, x sql.Expression, mean bool) (*ref, bool) {
	if !hasCoarsenKey(gb) {
		return nil, false
	}
	v, ok := c.resolve(gb.Child, x)
	if !ok || v.kind != refValue {
		return nil, false
	}
	return &ref{kind: refWindowSum, src: v.src, inner: v, mean: mean, group: gb}, true
}

func srcOf(r *ref) *scan {
	if r == nil {
		return nil
	}
	return r.src
}
