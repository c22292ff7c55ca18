package planner

import (
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/plan"
	"github.com/dolthub/go-mysql-server/sql/transform"
)

// ArrayNode is a GROUP BY compiled to an array plan, as EXPLAIN shows it (and as EXPLAIN
// ANALYZE runs it). It is a leaf: the plan reads the table itself.
type ArrayNode struct {
	Plan   *Plan
	schema sql.Schema
}

var _ sql.Node = (*ArrayNode)(nil)

func (n *ArrayNode) Resolved() bool                 { return true }
func (n *ArrayNode) String() string                 { return n.Plan.String() }
func (n *ArrayNode) Schema(*sql.Context) sql.Schema { return n.schema }
func (n *ArrayNode) Children() []sql.Node           { return nil }
func (n *ArrayNode) IsReadOnly() bool               { return true }

// WithChildren implements sql.Node.
func (n *ArrayNode) WithChildren(_ *sql.Context, children ...sql.Node) (sql.Node, error) {
	if len(children) != 0 {
		return nil, sql.ErrInvalidChildrenNumber.New(n, len(children), 0)
	}
	return n, nil
}

// explained returns q with every GROUP BY the array path takes replaced by its
// ArrayNode (the rest of the tree is what GMS runs).
func explained(ctx *sql.Context, q *plan.DescribeQuery) (*plan.DescribeQuery, bool) {
	changed := false
	child, _, err := transform.NodeWithOpaque(ctx, q.Child, func(_ *sql.Context, n sql.Node) (sql.Node, transform.TreeIdentity, error) {
		return n, transform.SameTree, nil
	})
	if err != nil {
		return q, false
	}
	child = replaceTopDown(ctx, child, &changed)
	if !changed {
		return q, false
	}
	nq := *q
	nq.Child = child
	return &nq, true
}

// replaceTopDown replaces compilable GROUP BYs, outermost first.
func replaceTopDown(ctx *sql.Context, n sql.Node, changed *bool) sql.Node {
	if p, ok := compile(ctx, n); ok {
		*changed = true
		return &ArrayNode{Plan: p, schema: n.Schema(ctx)}
	}
	kids := n.Children()
	if len(kids) == 0 {
		return n
	}
	nk := make([]sql.Node, len(kids))
	for i, k := range kids {
		nk[i] = replaceTopDown(ctx, k, changed)
	}
	out, err := n.WithChildren(ctx, nk...)
	if err != nil {
		return n
	}
	return out
}
