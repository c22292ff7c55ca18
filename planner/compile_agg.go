package planner

import (
	"sort"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/expression"
	"github.com/dolthub/go-mysql-server/sql/expression/function/aggregation"
	"github.com/dolthub/go-mysql-server/sql/plan"
)

// aggPlan compiles a GROUP BY of dimension columns of one Zarr table computing COUNT,
// SUM, AVG, MIN and MAX of one variable (optionally times a constant), e.g.
//
//	SELECT latitude, AVG(tp), MAX(tp) FROM era5 WHERE time >= ... GROUP BY latitude
func (c *compiler) aggPlan(g *plan.GroupBy) (*Plan, bool) {
	src, ok := c.scanOf(g.Child)
	if !ok {
		return nil, false
	}
	groups, co, ok := c.keys(g, src)
	if !ok || co != nil {
		return nil, false
	}
	value, ok := c.aggValue(g, src)
	if !ok {
		return nil, false
	}
	p, ok := c.newPlan(src, value.column)
	if !ok {
		return nil, false
	}
	p.PreScale = value.scale
	for d := range groups {
		p.Group = append(p.Group, d)
	}
	sort.Ints(p.Group)
	for _, d := range g.SelectDeps {
		fn, _ := aggFunc(d)
		if fn != "" {
			p.Out = append(p.Out, OutCol{Kind: OutAgg, Agg: len(p.Aggs)})
			p.Aggs = append(p.Aggs, AggStep{Func: fn, Scale: value.scale})
			continue
		}
		r, ok := c.resolve(g.Child, d)
		if !ok || r.kind != refDim || !groups[r.dim] {
			return nil, false
		}
		p.Out = append(p.Out, OutCol{Kind: OutCoord, Dim: r.dim})
	}
	return p, true
}

// aggValue returns the one value (variable times scale) the aggregates read.
func (c *compiler) aggValue(g *plan.GroupBy, src *scan) (*ref, bool) {
	var value *ref
	for _, d := range g.SelectDeps {
		fn, arg := aggFunc(d)
		if fn == "" || arg == nil {
			continue
		}
		v, ok := c.resolve(g.Child, arg)
		if !ok || v.kind != refValue || v.src != src {
			return nil, false
		}
		if value != nil && (value.column != v.column || value.scale != v.scale) {
			return nil, false
		}
		value = v
	}
	return value, value != nil
}

// aggFunc names an aggregate the array path computes, and its argument (nil for
// COUNT(*)).
func aggFunc(d sql.Expression) (string, sql.Expression) {
	switch d := unalias(d).(type) {
	case *aggregation.Count:
		switch d.Child.(type) {
		case *expression.Star, *expression.Literal:
			return "COUNT(*)", nil
		}
		return "COUNT", d.Child
	case *aggregation.Sum:
		return "SUM", d.Child
	case *aggregation.Avg:
		return "AVG", d.Child
	case *aggregation.Min:
		return "MIN", d.Child
	case *aggregation.Max:
		return "MAX", d.Child
	}
	return "", nil
}
