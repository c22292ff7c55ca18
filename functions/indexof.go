package functions

import (
	"fmt"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/expression"
	"github.com/dolthub/go-mysql-server/sql/types"
)

// IndexOf is INDEX_OF(dim): the 0-based position of a row along dimension column dim
// in the store, so that WHERE INDEX_OF(member_id) = 0 is xarray's isel(member_id=0).
type IndexOf struct {
	arg  *expression.GetField
	axis *Axis
}

var _ sql.FunctionExpression = (*IndexOf)(nil)

func newIndexOf(_ *sql.Context, args ...sql.Expression) (sql.Expression, error) {
	if err := arity("INDEX_OF", args, 1, 1); err != nil {
		return nil, err
	}
	gf, ok := args[0].(*expression.GetField)
	if !ok {
		return nil, argError("INDEX_OF", 1, "dimension", "must be a dimension column of a Zarr table, not %s", args[0])
	}
	return &IndexOf{arg: gf}, nil
}

// Dim returns the dimension column.
func (x *IndexOf) Dim() *expression.GetField { return x.arg }

// Bound reports whether the planner bound x to its dimension.
func (x *IndexOf) Bound() bool { return x.axis != nil }

// Bind returns x bound to the axis of its dimension.
func (x *IndexOf) Bind(a *Axis) *IndexOf { return &IndexOf{arg: x.arg, axis: a} }

func (x *IndexOf) FunctionName() string         { return "index_of" }
func (x *IndexOf) Description() string          { return "the position of a dimension value (xarray isel)" }
func (x *IndexOf) Resolved() bool               { return x.arg.Resolved() }
func (x *IndexOf) Type(*sql.Context) sql.Type   { return types.Int64 }
func (x *IndexOf) IsNullable(*sql.Context) bool { return true }
func (x *IndexOf) Children() []sql.Expression   { return []sql.Expression{x.arg} }
func (x *IndexOf) String() string               { return "INDEX_OF(" + x.arg.String() + ")" }

// WithChildren implements sql.Expression.
func (x *IndexOf) WithChildren(_ *sql.Context, children ...sql.Expression) (sql.Expression, error) {
	if len(children) != 1 {
		return nil, sql.ErrInvalidChildrenNumber.New(x, len(children), 1)
	}
	gf, ok := children[0].(*expression.GetField)
	if !ok {
		return nil, argError("INDEX_OF", 1, "dimension", "must be a dimension column of a Zarr table, not %s", children[0])
	}
	return &IndexOf{arg: gf, axis: x.axis}, nil
}

// Eval implements sql.Expression.
func (x *IndexOf) Eval(ctx *sql.Context, row sql.Row) (any, error) {
	if x.axis == nil {
		return nil, fmt.Errorf("%s: argument 1 (%s) must be a dimension column of a Zarr table in the same SELECT's FROM", x, x.arg.Name())
	}
	v, err := x.arg.Eval(ctx, row)
	if err != nil || v == nil {
		return nil, err
	}
	if p, ok := x.axis.Position(v); ok {
		return p, nil
	}
	return nil, nil
}
