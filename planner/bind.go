package planner

import (
	"fmt"
	"strings"
	"time"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/expression"
	"github.com/dolthub/go-mysql-server/sql/expression/function/aggregation"
	"github.com/dolthub/go-mysql-server/sql/plan"
	"github.com/dolthub/go-mysql-server/sql/transform"
	"github.com/dolthub/go-mysql-server/sql/types"
	"github.com/zarrsql/zarrsql/connectors/cf"
	"github.com/zarrsql/zarrsql/connectors/sqltable"
	"github.com/zarrsql/zarrsql/functions"
	"github.com/zarrsql/zarrsql/functions/kernels"
)

// source is a Zarr table read by a plan node, with the lookup pushed into it.
type source struct {
	table  *sqltable.Table
	name   string // the name columns are qualified with (alias or table name)
	lookup *sql.IndexLookup
}

// sources returns the Zarr tables in n's subtree, not looking into subqueries (their
// columns have other names).
func sources(ctx *sql.Context, n sql.Node) []source {
	var out []source
	transform.Inspect(n, func(n sql.Node) bool {
		switch n := n.(type) {
		case *plan.SubqueryAlias:
			return false
		case *plan.IndexedTableAccess:
			if t, ok := zarrTable(n.TableNode); ok {
				if lk, ok, err := n.GetLookup(ctx, nil); err == nil && ok {
					out = append(out, source{table: t, name: n.Name(), lookup: &lk})
				}
			}
			return false
		case *plan.TableAlias:
			if t, ok := zarrTable(n.Child); ok {
				out = append(out, source{table: t, name: n.Name()})
				return false
			}
		case *plan.ResolvedTable:
			if t, ok := zarrTable(n); ok {
				out = append(out, source{table: t, name: n.Name()})
			}
		}
		return true
	})
	return out
}

func zarrTable(n sql.Node) (*sqltable.Table, bool) {
	switch n := n.(type) {
	case *plan.ResolvedTable:
		return unwrapTable(n.Table)
	case *plan.TableAlias:
		return zarrTable(n.Child)
	case *plan.IndexedTableAccess:
		return zarrTable(n.TableNode)
	}
	return nil, false
}

// sourceOf returns the Zarr table whose dimension column gf is.
func sourceOf(ctx *sql.Context, n sql.Node, gf *expression.GetField, fn string) (source, int, error) {
	for _, s := range sources(ctx, n) {
		if !strings.EqualFold(s.name, gf.Table()) {
			continue
		}
		for d, dim := range s.table.Dimensions() {
			if strings.EqualFold(dim, gf.Name()) {
				return s, d, nil
			}
		}
		return source{}, 0, &functions.ArgError{Func: fn, Arg: 1, Name: "dimension",
			Msg: fmt.Sprintf("%s is not a dimension of %s (dimensions: %s)", gf.Name(), s.table.Name(), strings.Join(s.table.Dimensions(), ", "))}
	}
	return source{}, 0, &functions.ArgError{Func: fn, Arg: 1, Name: "dimension",
		Msg: fmt.Sprintf("%s must be a dimension column of a Zarr table in the same SELECT's FROM", gf)}
}

// bindNode binds the array functions in n's own expressions and replaces SQL's
// arithmetic and window aggregates by numpy's, as the doc comment of the package says.
// It returns n itself when there was nothing to do.
func bindNode(ctx *sql.Context, n sql.Node) (sql.Node, bool, error) {
	if _, ok := n.(sql.Expressioner); !ok {
		return n, false, nil
	}
	windowed := hasCoarsenKey(n)
	out, same, err := transform.NodeExprs(ctx, n, func(ctx *sql.Context, e sql.Expression) (sql.Expression, transform.TreeIdentity, error) {
		return bindExpr(ctx, n, e, windowed)
	})
	if err != nil {
		return nil, false, err
	}
	if windowed {
		var added bool
		if out, added = dropOutsideWindows(out.(*plan.GroupBy)); added {
			same = transform.NewTree
		}
	}
	return out, same == transform.NewTree, nil
}

// inWindow holds for rows that fall in a window of a bound COARSEN: rows outside the
// query's selection of the dimension, or in a window the 'trim' boundary drops, are not
// aggregated (xarray never sees them).
type inWindow struct{ c *functions.Coarsen }

func (w inWindow) Resolved() bool               { return true }
func (w inWindow) String() string               { return w.c.String() + " IS NOT NULL" }
func (w inWindow) Type(*sql.Context) sql.Type   { return types.Boolean }
func (w inWindow) IsNullable(*sql.Context) bool { return false }
func (w inWindow) Children() []sql.Expression   { return nil }
func (w inWindow) WithChildren(_ *sql.Context, c ...sql.Expression) (sql.Expression, error) {
	if len(c) != 0 {
		return nil, sql.ErrInvalidChildrenNumber.New(w, len(c), 0)
	}
	return w, nil
}
func (w inWindow) Eval(ctx *sql.Context, row sql.Row) (any, error) {
	v, err := w.c.Eval(ctx, row)
	return v != nil, err
}

// dropOutsideWindows puts an inWindow filter under a GROUP BY COARSEN(...) once.
func dropOutsideWindows(gb *plan.GroupBy) (sql.Node, bool) {
	if f, ok := gb.Child.(*plan.Filter); ok {
		if _, done := f.Expression.(inWindow); done {
			return gb, false
		}
	}
	for _, e := range gb.GroupByExprs {
		if c, ok := unalias(e).(*functions.Coarsen); ok && c.Bound() {
			ngb := *gb
			ngb.Child = plan.NewFilter(inWindow{c}, gb.Child)
			return &ngb, true
		}
	}
	return gb, false
}

// hasCoarsenKey reports whether n is a GROUP BY with a COARSEN key.
func hasCoarsenKey(n sql.Node) bool {
	gb, ok := n.(*plan.GroupBy)
	if !ok {
		return false
	}
	for _, e := range gb.GroupByExprs {
		if _, ok := unalias(e).(*functions.Coarsen); ok {
			return true
		}
	}
	return false
}

func bindExpr(ctx *sql.Context, n sql.Node, e sql.Expression, windowed bool) (sql.Expression, transform.TreeIdentity, error) {
	switch e := e.(type) {
	case *functions.Coarsen:
		if e.Bound() {
			return e, transform.SameTree, nil
		}
		b, err := bindCoarsen(ctx, n, e)
		if err != nil {
			return nil, transform.SameTree, err
		}
		return e.Bind(b), transform.NewTree, nil
	case *functions.IndexOf:
		if e.Bound() {
			return e, transform.SameTree, nil
		}
		s, _, err := sourceOf(ctx, n, e.Dim(), "INDEX_OF")
		if err != nil {
			return nil, transform.SameTree, err
		}
		vals, err := s.table.CoordValues(ctx, e.Dim().Name())
		if err != nil {
			return nil, transform.SameTree, err
		}
		return e.Bind(functions.NewAxis(e.Dim().Name(), vals)), transform.NewTree, nil
	case *expression.Arithmetic, *expression.Div:
		if f, ok := float32Op(ctx, e); ok {
			return f, transform.NewTree, nil
		}
	case *functions.Histogram:
		if _, err := e.Edges(ctx); err != nil { // fail before GMS runs the GROUP BY
			return nil, transform.SameTree, err
		}
	case *aggregation.Sum:
		if windowed {
			return functions.NewWindowSum(e.Child, false, e.Id()), transform.NewTree, nil
		}
	case *aggregation.Avg:
		if windowed {
			return functions.NewWindowSum(e.Child, true, e.Id()), transform.NewTree, nil
		}
	}
	return e, transform.SameTree, nil
}

// float32Op returns e as numpy's float32 arithmetic when one operand is FLOAT and the
// other a constant number.
func float32Op(ctx *sql.Context, e sql.Expression) (sql.Expression, bool) {
	var op byte
	var l, r sql.Expression
	switch e := e.(type) {
	case *expression.Arithmetic:
		if len(e.Op) != 1 || !strings.Contains("+-*", e.Op) {
			return nil, false
		}
		op, l, r = e.Op[0], e.LeftChild, e.RightChild
	case *expression.Div:
		op, l, r = '/', e.LeftChild, e.RightChild
	}
	isF32 := func(x sql.Expression) bool { return x.Type(ctx).Equals(types.Float32) }
	isConst := func(x sql.Expression) bool { return isConstNumber(ctx, x) }
	if (isF32(l) && isConst(r)) || (isConst(l) && isF32(r)) {
		return &functions.Float32Op{Op: op, Left: l, Right: r}, true
	}
	return nil, false
}

// isConstNumber reports whether x is a numeric expression of literals only.
func isConstNumber(ctx *sql.Context, x sql.Expression) bool {
	ok := types.IsNumber(x.Type(ctx))
	transform.InspectExpr(ctx, x, func(_ *sql.Context, e sql.Expression) bool {
		switch e.(type) {
		case *expression.Literal, *expression.Arithmetic, *expression.Div, *expression.UnaryMinus:
		default:
			ok = false
		}
		return !ok
	})
	return ok
}

// bindCoarsen computes what COARSEN(dim, n, boundary) needs: the dimension's selected
// positions, its windows and their labels.
func bindCoarsen(ctx *sql.Context, n sql.Node, c *functions.Coarsen) (*functions.CoarsenBinding, error) {
	s, d, err := sourceOf(ctx, n, c.Dim(), "COARSEN")
	if err != nil {
		return nil, err
	}
	sel, err := s.table.Selection(ctx, s.lookup)
	if err != nil {
		return nil, err
	}
	vals, err := s.table.CoordValues(ctx, c.Dim().Name())
	if err != nil {
		return nil, err
	}
	picked := pick(vals, sel[d])
	w, err := kernels.PlanWindows(len(picked), c.Window, c.Boundary)
	if err != nil {
		return nil, &functions.ArgError{Func: "COARSEN", Arg: 3, Name: "boundary", Msg: fmt.Sprintf(
			"'%s': the query selects %d positions of %s, not a multiple of the window %d; use boundary 'trim' or 'pad'",
			c.Boundary, len(picked), c.Dim().Name(), c.Window)}
	}
	labels, err := windowLabels(s.table, c.Dim().Name(), picked, w)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c, err)
	}
	ord := make(map[any]int, len(picked))
	for i, v := range picked {
		ord[functions.Key(v)] = i
	}
	return &functions.CoarsenBinding{Ordinal: ord, Windows: w, Labels: labels}, nil
}

// pick returns the values at the positions of spans, in order.
func pick(vals []any, spans []sqltable.Span) []any {
	var out []any
	for _, s := range spans {
		out = append(out, vals[s.Lo:s.Hi]...)
	}
	return out
}

// windowLabels returns the SQL value of every window's label (xarray's mean of the
// window's coordinates) for the dimension's selected values.
func windowLabels(t *sqltable.Table, dim string, vals []any, w kernels.Windows) ([]any, error) {
	if len(vals) == 0 {
		return nil, nil
	}
	switch vals[0].(type) {
	case time.Time:
		return timeWindowLabels(t, dim, vals, w)
	case float32:
		return floatLabels[float32](vals, w)
	case float64:
		return floatLabels[float64](vals, w)
	}
	f := make([]any, len(vals))
	for i, v := range vals {
		x, ok := functions.ToFloat(v)
		if !ok {
			return nil, fmt.Errorf("cannot coarsen %s: its values (%T) are not numbers or times", dim, v)
		}
		f[i] = x
	}
	return floatLabels[float64](f, w)
}

func floatLabels[F kernels.Float](vals []any, w kernels.Windows) ([]any, error) {
	x := make([]F, len(vals))
	for i, v := range vals {
		x[i] = v.(F)
	}
	l, err := kernels.CoarsenLabels(x, w)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(l))
	for i, v := range l {
		out[i] = v
	}
	return out, nil
}

// timeWindowLabels labels windows of times: datetime64 means for the standard
// calendars, cftime means (on the calendar's own time line: noleap has no Feb 29
// between Feb 28 and Mar 1) for the others.
func timeWindowLabels(t *sqltable.Table, dim string, vals []any, w kernels.Windows) ([]any, error) {
	cal, cftime := cftimeCalendar(t, dim)
	ticks := make([]int64, len(vals))
	for i, v := range vals {
		if cftime {
			ticks[i] = calendarMicros(cal, v.(time.Time))
		} else {
			ticks[i] = v.(time.Time).UnixNano()
		}
	}
	var l []int64
	var err error
	if cftime {
		l, err = kernels.CoarsenCFTimeLabels(ticks, w)
	} else {
		l, err = kernels.CoarsenTimeLabels(ticks, w)
	}
	if err != nil {
		return nil, err
	}
	out := make([]any, len(l))
	for i, v := range l {
		switch {
		case v == kernels.NaT:
			out[i] = nil
		case cftime:
			out[i] = calendarTime(cal, v)
		default:
			out[i] = time.Unix(0, v).UTC()
		}
	}
	return out, nil
}

const microsPerDay = 86400 * 1_000_000

// calendarMicros is t's fields as microseconds on calendar cal's time line.
func calendarMicros(cal cf.Calendar, t time.Time) int64 {
	day := cal.DayNumber(int64(t.Year()), int64(t.Month()), int64(t.Day()))
	return day*microsPerDay + (int64(t.Hour())*3600+int64(t.Minute())*60+int64(t.Second()))*1_000_000 + int64(t.Nanosecond()/1000)
}

// calendarTime is the inverse of calendarMicros.
func calendarTime(cal cf.Calendar, us int64) time.Time {
	day := us / microsPerDay
	if us%microsPerDay < 0 {
		day--
	}
	y, m, d := cal.Date(day)
	return time.Date(int(y), time.Month(m), int(d), 0, 0, 0, 0, time.UTC).Add(time.Duration(us-day*microsPerDay) * time.Microsecond)
}

// cftimeCalendar returns dim's calendar when xarray decodes its times to cftime
// objects: calendars other than standard, gregorian and proleptic_gregorian.
func cftimeCalendar(t *sqltable.Table, dim string) (cf.Calendar, bool) {
	a := t.Coordinate(dim)
	if a == nil {
		return 0, false
	}
	name, _ := a.Attrs["calendar"].(string)
	switch strings.ToLower(name) {
	case "", "standard", "gregorian", "proleptic_gregorian":
		return 0, false
	}
	cal, err := cf.ParseCalendar(name)
	return cal, err == nil
}

// unalias returns the expression under any aliases.
func unalias(e sql.Expression) sql.Expression {
	for {
		a, ok := e.(*expression.Alias)
		if !ok {
			return e
		}
		e = a.Child
	}
}

// unwrapTable returns the Zarr table under GMS's wrappers (e.g. the process list's).
func unwrapTable(t sql.Table) (*sqltable.Table, bool) {
	for {
		switch x := t.(type) {
		case *sqltable.Table:
			return x, true
		case sql.TableWrapper:
			t = x.Underlying()
		default:
			return nil, false
		}
	}
}
