package planner

import (
	"fmt"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/analyzer"
	"github.com/dolthub/go-mysql-server/sql/plan"
	"github.com/dolthub/go-mysql-server/sql/rowexec"
	"github.com/zarrsql/zarrsql/functions"
)

// Builder is the priority exec builder: it binds array functions in every node and runs
// the GROUP BYs it can compile as array plans, leaving everything else to GMS.
type Builder struct {
	base    *rowexec.BaseBuilder
	opts    Options
	running Running
	bufs    buffers
}

// Running returns the progress of the array plans running now, by connection id.
func (b *Builder) Running() map[uint32]ProgressSnapshot { return b.running.Snapshot() }

var _ sql.NodeExecBuilder = (*Builder)(nil)

// Install registers the array functions in a's catalog and puts a Builder in front of
// its exec builder.
func Install(a *analyzer.Analyzer, opts Options) (*Builder, error) {
	base := a.ExecBuilder
	if base == nil {
		return nil, fmt.Errorf("planner: the analyzer has no exec builder")
	}
	functions.InstallAggregates()
	ctx := sql.NewEmptyContext()
	for _, f := range functions.Functions() {
		if _, dup := a.Catalog.Function(ctx, f.FunctionName()); dup {
			return nil, fmt.Errorf("planner: function %s is already registered", f.FunctionName())
		}
	}
	a.Catalog.RegisterFunction(ctx, functions.Functions()...)
	b := &Builder{base: base, opts: opts.withDefaults()}
	base.PriorityBuilder = b
	return b, nil
}

// Build implements sql.NodeExecBuilder: a nil iterator lets GMS build n.
func (b *Builder) Build(ctx *sql.Context, n sql.Node, row sql.Row) (sql.RowIter, error) {
	iter, err := b.build(ctx, n, row)
	return iter, withCode(err)
}

func (b *Builder) build(ctx *sql.Context, n sql.Node, row sql.Row) (sql.RowIter, error) {
	bound, changed, err := bindNode(ctx, n)
	if err != nil {
		return nil, err
	}
	if changed {
		return b.base.Build(ctx, bound, row)
	}
	switch n := n.(type) {
	case *ArrayNode:
		return b.iter(n.Plan)
	case *plan.DescribeQuery:
		if b.opts.Disabled {
			return nil, nil
		}
		if q, ok := b.explained(ctx, n); ok {
			return b.base.Build(ctx, q, row)
		}
		return nil, nil
	}
	iter, err := b.buildArray(ctx, n)
	if iter != nil || err != nil {
		return iter, err
	}
	return nil, b.checkRowCap(ctx, n)
}
