package functions

import (
	"fmt"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/types"
)

// Float32Op is arithmetic between a FLOAT (float32) column and a constant done as numpy
// does it for a float32 array and a Python scalar: in float32, the constant rounded to
// float32. The planner puts it in place of GMS's float64 arithmetic over Zarr tables, so
// that PRECT * (6 * 3600) is the seed's float32 product.
type Float32Op struct {
	Op    byte // one of + - * /
	Left  sql.Expression
	Right sql.Expression
}

var _ sql.Expression = (*Float32Op)(nil)

func (f *Float32Op) Resolved() bool               { return f.Left.Resolved() && f.Right.Resolved() }
func (f *Float32Op) Type(*sql.Context) sql.Type   { return types.Float32 }
func (f *Float32Op) IsNullable(*sql.Context) bool { return true }
func (f *Float32Op) Children() []sql.Expression   { return []sql.Expression{f.Left, f.Right} }
func (f *Float32Op) String() string {
	return fmt.Sprintf("(%s %c %s)", f.Left, f.Op, f.Right)
}

// WithChildren implements sql.Expression.
func (f *Float32Op) WithChildren(_ *sql.Context, children ...sql.Expression) (sql.Expression, error) {
	if len(children) != 2 {
		return nil, sql.ErrInvalidChildrenNumber.New(f, len(children), 2)
	}
	return &Float32Op{Op: f.Op, Left: children[0], Right: children[1]}, nil
}

// Eval implements sql.Expression.
func (f *Float32Op) Eval(ctx *sql.Context, row sql.Row) (any, error) {
	a, err := f.operand(ctx, row, f.Left)
	if err != nil || a == nil {
		return nil, err
	}
	b, err := f.operand(ctx, row, f.Right)
	if err != nil || b == nil {
		return nil, err
	}
	return Float32Apply(f.Op, *a, *b), nil
}

func (f *Float32Op) operand(ctx *sql.Context, row sql.Row, e sql.Expression) (*float32, error) {
	v, err := e.Eval(ctx, row)
	if err != nil || v == nil {
		return nil, err
	}
	x, ok := ToFloat(v)
	if !ok {
		return nil, fmt.Errorf("%s: %v is not a number", f, v)
	}
	r := float32(x)
	return &r, nil
}

// Float32Apply computes a op b in float32.
func Float32Apply(op byte, a, b float32) float32 {
	switch op {
	case '+':
		return a + b
	case '-':
		return a - b
	case '*':
		return a * b
	}
	return a / b
}
