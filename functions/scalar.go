package functions

import (
	"fmt"
	"strings"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/expression"
	"github.com/dolthub/go-mysql-server/sql/types"
)

// evalFunc evaluates a scalar function's arguments on a row.
type evalFunc func(ctx *sql.Context, row sql.Row, args []sql.Expression) (any, error)

// scalar is a scalar function expression defined by its name, type and evaluation.
type scalar struct {
	name     string
	args     []sql.Expression
	typ      sql.Type
	nullable bool
	eval     evalFunc
}

var _ sql.FunctionExpression = (*scalar)(nil)

func (s *scalar) FunctionName() string { return strings.ToLower(s.name) }
func (s *scalar) Description() string  { return "zarrsql array function " + s.name }
func (s *scalar) Resolved() bool       { return expression.ExpressionsResolved(s.args...) }
func (s *scalar) Type(*sql.Context) sql.Type {
	return s.typ
}
func (s *scalar) IsNullable(*sql.Context) bool { return s.nullable }
func (s *scalar) Children() []sql.Expression   { return s.args }
func (s *scalar) String() string               { return callString(s.name, s.args) }
func (s *scalar) Eval(ctx *sql.Context, row sql.Row) (any, error) {
	return s.eval(ctx, row, s.args)
}

// WithChildren implements sql.Expression.
func (s *scalar) WithChildren(_ *sql.Context, children ...sql.Expression) (sql.Expression, error) {
	if len(children) != len(s.args) {
		return nil, sql.ErrInvalidChildrenNumber.New(s, len(children), len(s.args))
	}
	ns := *s
	ns.args = children
	return &ns, nil
}

// callString formats NAME(arg, ...).
func callString(name string, args []sql.Expression) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.String()
	}
	return fmt.Sprintf("%s(%s)", name, strings.Join(parts, ", "))
}

// jsonArray returns a JSON array value.
func jsonArray(v []any) sql.JSONWrapper { return types.JSONDocument{Val: v} }

// arity checks the number of arguments of fn.
func arity(fn string, args []sql.Expression, lo, hi int) error {
	if n := len(args); n < lo || n > hi {
		if lo == hi {
			return sql.ErrInvalidArgumentNumber.New(fn, lo, n)
		}
		return sql.ErrInvalidArgumentNumber.New(fn, fmt.Sprintf("%d to %d", lo, hi), n)
	}
	return nil
}
