package functions

import (
	"fmt"

	"github.com/dolthub/go-mysql-server/sql"
)

// aggBase is what every aggregate here shares: its arguments, column id and the
// refusal to run as a window function.
type aggBase struct {
	name string
	args []sql.Expression
	id   sql.ColumnId
	win  *sql.WindowDefinition
}

func (a *aggBase) FunctionName() string { return a.name }
func (a *aggBase) Description() string  { return "zarrsql array aggregate " + a.name }
func (a *aggBase) Resolved() bool {
	for _, e := range a.args {
		if !e.Resolved() {
			return false
		}
	}
	return true
}
func (a *aggBase) Children() []sql.Expression    { return a.args }
func (a *aggBase) String() string                { return callString(a.name, a.args) }
func (a *aggBase) Id() sql.ColumnId              { return a.id }
func (a *aggBase) Window() *sql.WindowDefinition { return a.win }

// Eval implements sql.Expression: aggregates are evaluated through their buffers.
func (a *aggBase) Eval(*sql.Context, sql.Row) (any, error) {
	return nil, fmt.Errorf("%s is an aggregate: use it in a SELECT with GROUP BY", a.name)
}

// NewWindowFunction implements sql.WindowAdaptableExpression: not supported.
func (a *aggBase) NewWindowFunction(*sql.Context) (sql.WindowFunction, error) {
	return nil, fmt.Errorf("%s cannot be used as a window function (OVER)", a.name)
}

func (a *aggBase) withArgs(children []sql.Expression) (aggBase, error) {
	if len(children) != len(a.args) {
		return aggBase{}, sql.ErrInvalidChildrenNumber.New(a.name, len(children), len(a.args))
	}
	na := *a
	na.args = children
	return na, nil
}
