package planner

import (
	"fmt"
	"strings"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/plan"
	"github.com/dolthub/go-mysql-server/sql/transform"
	"github.com/zarrsql/zarrsql/connectors/zarr"
)

// ArrayNode is a GROUP BY compiled to an array plan, as EXPLAIN shows it (and as EXPLAIN
// ANALYZE runs it). It is a leaf: the plan reads the table itself.
type ArrayNode struct {
	Plan      *Plan
	schema    sql.Schema
	fragments string        // EXPLAIN's fragments line; empty: in-process
	actual    func() string // EXPLAIN ANALYZE: what the run did, once it ran
}

var _ sql.Node = (*ArrayNode)(nil)

func (n *ArrayNode) Resolved() bool { return true }
func (n *ArrayNode) String() string {
	if n.fragments == "" && n.actual == nil {
		return n.Plan.String()
	}
	lines := n.fragments
	if lines == "" {
		lines = n.Plan.inProcessLine()
	}
	if n.actual != nil {
		if a := n.actual(); a != "" {
			lines += "\n" + a
		}
	}
	return n.Plan.explain(lines)
}
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
func (b *Builder) explained(ctx *sql.Context, q *plan.DescribeQuery) (*plan.DescribeQuery, bool) {
	changed := false
	child := replaceTopDown(ctx, q.Child, &changed)
	transform.InspectWithOpaque(ctx, child, func(_ *sql.Context, n sql.Node) bool {
		if a, ok := n.(*ArrayNode); ok {
			a.fragments = b.fragmentsLine(a.Plan)
			if q.Format.Analyze {
				a.actual = func() string { return b.accounting(ctx) }
			}
		}
		return true
	})
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

// Placer is a Runner that can say where a fragment would run (EXPLAIN asks).
type Placer interface {
	Where(f Fragment) (string, error)
}

// fragmentsLine describes a plan's fragments and where they run.
func (b *Builder) fragmentsLine(p *Plan) string {
	placer, ok := b.opts.Runner.(Placer)
	if !ok {
		return ""
	}
	frags := p.Fragments(b.opts.FragmentChunks)
	where := map[string]int{}
	var order []string
	for _, f := range frags {
		w, err := placer.Where(f)
		if err != nil {
			w = "cannot run: " + err.Error()
		}
		if where[w]++; where[w] == 1 {
			order = append(order, w)
		}
	}
	parts := make([]string, len(order))
	for i, w := range order {
		parts[i] = fmt.Sprintf("%d %s", where[w], w)
	}
	line := fmt.Sprintf("fragments: %d (about %d chunks each along %s): %s", len(frags), b.opts.FragmentChunks,
		p.Dims[p.splitDim()], strings.Join(parts, "; "))
	if n := remoteBytes(p, placer, frags); n > 0 {
		line += fmt.Sprintf("; %d bytes (compressed chunks, at most) will cross regions", n)
	}
	return line
}

// remoteBytes estimates the stored bytes of the fragments that read across regions.
func remoteBytes(p *Plan, placer Placer, frags []Fragment) int64 {
	var n int64
	for _, f := range frags {
		if w, err := placer.Where(f); err == nil && strings.Contains(w, "REMOTE") {
			_, b := p.Arr.EstimateBytes(zarr.Region{Start: f.Start, Stop: f.Stop})
			n += b
		}
	}
	return n
}

// Accountant is a Runner that keeps what a query's fragments did (EXPLAIN ANALYZE asks).
type Accountant interface {
	Accounting(ctx *sql.Context) (string, bool)
}

// accounting describes what ctx's query did: the runner's account, or the in-process
// run's progress.
func (b *Builder) accounting(ctx *sql.Context) string {
	if a, ok := b.opts.Runner.(Accountant); ok {
		if s, ok := a.Accounting(ctx); ok {
			return "actual: " + s
		}
	}
	return ""
}
