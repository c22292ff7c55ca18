package planner

import "github.com/dolthub/go-mysql-server/sql"

// buildArray returns the iterator of n's array plan, or nil when n is not one the array
// path takes.
func (b *Builder) buildArray(ctx *sql.Context, n sql.Node) (sql.RowIter, error) {
	if b.opts.Disabled {
		return nil, nil
	}
	return nil, nil
}
