package planner

import (
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/plan"
	"github.com/zarrsql/zarrsql/connectors/sqltable"
)

// checkRowCap fails a GROUP BY left to the row path that would scan more cells than
// MaxRowCells before it starts. The tables enforce the cap as rows flow, which lets a
// LIMIT stop a large scan early, but a GROUP BY reads everything before its first row
// and holds its groups meanwhile: found late, the cap would come after minutes and
// gigabytes.
func (b *Builder) checkRowCap(ctx *sql.Context, n sql.Node) error {
	gb, ok := n.(*plan.GroupBy)
	if !ok || b.opts.MaxRowCells <= 0 {
		return nil
	}
	for _, s := range sources(ctx, gb) {
		sel, err := s.table.Selection(ctx, s.lookup)
		if err != nil {
			return nil // the scan reports it
		}
		rows := int64(1)
		for _, spans := range sel {
			var n int64
			for _, sp := range spans {
				n += sp.Hi - sp.Lo
			}
			rows *= n
		}
		if rows > b.opts.MaxRowCells {
			return sqltable.ErrRowCellCap.New(s.table.Name(), rows, b.opts.MaxRowCells)
		}
	}
	return nil
}
