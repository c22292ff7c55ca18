package functions

import (
	"fmt"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/expression"
	"github.com/zarrsql/zarrsql/functions/kernels"
)

// Coarsen is COARSEN(dim, n [, boundary]): the label of the window of n consecutive
// selected positions of dimension column dim that a row falls in, as xarray's
// coarsen(dim=n) labels it (the mean of the window's coordinates; hours 00..05 give
// 02:30). Windows count from the first position the query's WHERE selects on that
// dimension. boundary is 'exact' (default: the selection must divide into windows),
// 'trim' (rows of an incomplete last window get NULL) or 'pad' (the last window is
// shorter). GROUP BY COARSEN(...) aggregates each window, as .coarsen(...).sum() does.
type Coarsen struct {
	args     []sql.Expression
	Window   int
	Boundary kernels.Boundary
	bound    *CoarsenBinding
}

// CoarsenBinding is what a bound COARSEN knows of its dimension: the ordinal of each
// selected coordinate value, the window plan and the window labels.
type CoarsenBinding struct {
	Ordinal map[any]int // Key(value) -> index among the selected positions
	Windows kernels.Windows
	Labels  []any
}

var _ sql.FunctionExpression = (*Coarsen)(nil)

func newCoarsen(ctx *sql.Context, args ...sql.Expression) (sql.Expression, error) {
	if err := arity("COARSEN", args, 2, 3); err != nil {
		return nil, err
	}
	if ctx == nil {
		ctx = sql.NewEmptyContext()
	}
	if _, ok := args[0].(*expression.GetField); !ok {
		return nil, argError("COARSEN", 1, "dimension", "must be a dimension column of a Zarr table, not %s", args[0])
	}
	c := &Coarsen{args: args, Boundary: kernels.BoundaryExact}
	n, err := intArg(ctx, "COARSEN", 2, "n", args[1])
	if err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, argError("COARSEN", 2, "n", "must be a window of at least 1 position, got %d", n)
	}
	c.Window = n
	if len(args) == 3 {
		if c.Boundary, err = boundaryArg(ctx, args[2]); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func boundaryArg(ctx *sql.Context, e sql.Expression) (kernels.Boundary, error) {
	v, err := constArg(ctx, "COARSEN", 3, "boundary", e)
	if err != nil {
		return 0, err
	}
	s, ok := v.(string)
	if !ok {
		return 0, argError("COARSEN", 3, "boundary", "must be 'exact', 'trim' or 'pad', not %v", v)
	}
	b, err := kernels.ParseBoundary(s)
	if err != nil {
		return 0, argError("COARSEN", 3, "boundary", "must be 'exact', 'trim' or 'pad', not '%s'", s)
	}
	return b, nil
}

// Dim returns the dimension column.
func (c *Coarsen) Dim() *expression.GetField { return c.args[0].(*expression.GetField) }

// Bound reports whether the planner bound c to its dimension.
func (c *Coarsen) Bound() bool { return c.bound != nil }

// Bind returns c bound to b.
func (c *Coarsen) Bind(b *CoarsenBinding) *Coarsen {
	nc := *c
	nc.bound = b
	return &nc
}

func (c *Coarsen) FunctionName() string { return "coarsen" }
func (c *Coarsen) Description() string {
	return "the xarray coarsen window label of a dimension value"
}
func (c *Coarsen) Resolved() bool                 { return expression.ExpressionsResolved(c.args...) }
func (c *Coarsen) Type(ctx *sql.Context) sql.Type { return c.args[0].Type(ctx) }
func (c *Coarsen) IsNullable(*sql.Context) bool   { return true }
func (c *Coarsen) Children() []sql.Expression     { return c.args }
func (c *Coarsen) String() string                 { return callString("COARSEN", c.args) }
func (c *Coarsen) CollationCoercibility(*sql.Context) (sql.CollationID, byte) {
	return sql.Collation_binary, 5
}

// WithChildren implements sql.Expression.
func (c *Coarsen) WithChildren(_ *sql.Context, children ...sql.Expression) (sql.Expression, error) {
	if len(children) != len(c.args) {
		return nil, sql.ErrInvalidChildrenNumber.New(c, len(children), len(c.args))
	}
	if _, ok := children[0].(*expression.GetField); !ok {
		return nil, argError("COARSEN", 1, "dimension", "must be a dimension column of a Zarr table, not %s", children[0])
	}
	nc := *c
	nc.args = children
	return &nc, nil
}

// Eval implements sql.Expression.
func (c *Coarsen) Eval(ctx *sql.Context, row sql.Row) (any, error) {
	if c.bound == nil {
		return nil, fmt.Errorf("%s: argument 1 (%s) must be a dimension column of a Zarr table in the same SELECT's FROM", c, c.Dim().Name())
	}
	v, err := c.args[0].Eval(ctx, row)
	if err != nil || v == nil {
		return nil, err
	}
	o, ok := c.bound.Ordinal[Key(v)]
	if !ok || o >= c.bound.Windows.Used {
		return nil, nil // not selected, or trimmed
	}
	return c.bound.Labels[o/c.Window], nil
}
