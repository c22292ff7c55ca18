package functions

import (
	"math"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/types"
)

// WindowSum is SUM or AVG inside GROUP BY COARSEN(...): xarray's coarsen().sum() and
// .mean() rather than SQL's. Values add in the order rows arrive (position order),
// in float32 when the argument is FLOAT (numpy sums float32 in float32), NULL skipped;
// a window without values sums to 0 (xarray's skipna sum) and averages to NULL. The
// planner puts it in place of SUM and AVG; it is not a SQL function of its own.
type WindowSum struct {
	aggBase
	Mean bool
}

var _ sql.Aggregation = (*WindowSum)(nil)

// NewWindowSum returns the window SUM (or AVG, when mean) of x with column id id.
func NewWindowSum(x sql.Expression, mean bool, id sql.ColumnId) *WindowSum {
	name := "SUM"
	if mean {
		name = "AVG"
	}
	return &WindowSum{aggBase: aggBase{name: name, args: []sql.Expression{x}, id: id}, Mean: mean}
}

// X returns the summed expression.
func (w *WindowSum) X() sql.Expression { return w.args[0] }

func (w *WindowSum) Type(*sql.Context) sql.Type   { return types.Float64 }
func (w *WindowSum) IsNullable(*sql.Context) bool { return w.Mean }

// WithChildren implements sql.Expression.
func (w *WindowSum) WithChildren(_ *sql.Context, children ...sql.Expression) (sql.Expression, error) {
	b, err := w.withArgs(children)
	if err != nil {
		return nil, err
	}
	return &WindowSum{aggBase: b, Mean: w.Mean}, nil
}

// WithId implements sql.IdExpression.
func (w *WindowSum) WithId(id sql.ColumnId) sql.IdExpression {
	nw := *w
	nw.id = id
	return &nw
}

// WithWindow implements sql.WindowAdaptableExpression.
func (w *WindowSum) WithWindow(_ *sql.Context, d *sql.WindowDefinition) sql.WindowAdaptableExpression {
	nw := *w
	nw.win = d
	return &nw
}

// NewBuffer implements sql.Aggregation.
func (w *WindowSum) NewBuffer(ctx *sql.Context) (sql.AggregationBuffer, error) {
	f32 := w.args[0].Type(ctx).Equals(types.Float32)
	return &windowBuffer{x: w.args[0], f32: f32, mean: w.Mean}, nil
}

type windowBuffer struct {
	deferredErr
	x         sql.Expression
	f32, mean bool
	s32       float32
	s64       float64
	n         int64
}

func (b *windowBuffer) Update(ctx *sql.Context, row sql.Row) error {
	if b.err != nil {
		return nil
	}
	v, err := b.x.Eval(ctx, row)
	if err != nil || v == nil {
		b.err = err
		return nil
	}
	f, ok := ToFloat(v)
	if !ok {
		b.err = argError(b.name(), 1, "x", "must be a number, not %v", v)
		return nil
	}
	if math.IsNaN(f) {
		return nil
	}
	b.n++
	if b.f32 {
		b.s32 += float32(f)
	} else {
		b.s64 += f
	}
	return nil
}

func (b *windowBuffer) name() string {
	if b.mean {
		return "AVG"
	}
	return "SUM"
}

// Eval returns the sum, or the mean as numpy's nanmean computes it (the float32 sum
// divided by the count in float64, rounded to float32).
func (b *windowBuffer) Eval(*sql.Context) (any, error) {
	switch {
	case b.err != nil:
		return nil, b.err
	case !b.mean && b.f32:
		return float64(b.s32), nil
	case !b.mean:
		return b.s64, nil
	case b.n == 0:
		return nil, nil
	case b.f32:
		return float64(float32(float64(b.s32) / float64(b.n))), nil
	}
	return b.s64 / float64(b.n), nil
}

func (b *windowBuffer) Dispose(*sql.Context) {}
