package planner

import (
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/plan"
)

// compile returns the array plan of a GROUP BY, if it has one.
func compile(ctx *sql.Context, n sql.Node) (*Plan, bool) {
	gb, ok := n.(*plan.GroupBy)
	if !ok {
		return nil, false
	}
	c := newCompiler(ctx)
	if p, ok := c.histPlan(gb); ok {
		return p, true
	}
	return c.aggPlan(gb)
}

// buildArray returns the iterator of n's array plan, or nil when n is not one the array
// path takes.
func (b *Builder) buildArray(ctx *sql.Context, n sql.Node) (sql.RowIter, error) {
	if b.opts.Disabled {
		return nil, nil
	}
	p, ok := compile(ctx, n)
	if !ok {
		return nil, nil
	}
	return b.iter(p)
}

// iter returns the iterator running p, if p stays within the limits.
func (b *Builder) iter(p *Plan) (sql.RowIter, error) {
	if g := p.groups(); g > int64(b.opts.MaxGroups) {
		return nil, ErrTooManyGroups.New(p.Table, g, b.opts.MaxGroups)
	}
	return &planIter{p: p, workers: b.opts.Workers, running: &b.running, bufs: &b.bufs,
		runner: b.opts.Runner, fragmentChunks: b.opts.FragmentChunks}, nil
}
