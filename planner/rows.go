package planner

import (
	"context"
	"fmt"
	"io"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/zarrsql/zarrsql/functions/kernels"
)

// histRows turns merged counts into the plan's rows: one per group and bin, for groups
// that have at least one histogram (an empty selection gives no rows, as GROUP BY does).
func (p *Plan) histRows(c *kernels.HistCounts) []sql.Row {
	var rows []sql.Row
	for g := range c.Groups() {
		if c.Histograms(g) == 0 {
			continue
		}
		pos := p.groupPositions(g)
		for b := range c.Bins {
			rows = append(rows, p.histRow(c, g, b, pos))
		}
	}
	return rows
}

func (p *Plan) histRow(c *kernels.HistCounts, g, b int, pos map[int]int64) sql.Row {
	row := make(sql.Row, len(p.Out))
	for i, o := range p.Out {
		switch o.Kind {
		case OutCoord:
			row[i] = p.Coords[o.Dim][pos[o.Dim]]
		case OutBin:
			row[i] = b + 1
		case OutMean:
			row[i] = c.Mean(g, b)
		}
	}
	return row
}

// groupPositions returns the position along each group dimension of group g (groups
// are numbered in C order over the group dimensions' selections).
func (p *Plan) groupPositions(g int) map[int]int64 {
	pos := make(map[int]int64, len(p.Group))
	counts := p.counts()
	for i := len(p.Group) - 1; i >= 0; i-- {
		d := p.Group[i]
		pos[d] = p.Box.Start[d] + int64(g%counts[d])
		g /= counts[d]
	}
	return pos
}

// planIter runs a plan on its first Next and returns its rows.
type planIter struct {
	p       *Plan
	workers int
	running *Running
	bufs    *buffers
	runner  Runner
	// fragmentChunks: chunks per fragment when a runner runs the plan
	fragmentChunks int
	rows           []sql.Row
	ran            bool
}

func (it *planIter) Next(ctx *sql.Context) (sql.Row, error) {
	if !it.ran {
		it.ran = true
		it.warnRemote(ctx)
		pr, end := it.running.start(ctx, it.p)
		rows, err := it.p.run(ctx, execEnv{workers: it.workers, progress: pr, bufs: it.bufs, runner: it.runner, fragmentChunks: it.fragmentChunks})
		end(rows, err)
		if err != nil {
			return nil, err
		}
		it.rows = rows
	}
	if len(it.rows) == 0 {
		return nil, io.EOF
	}
	r := it.rows[0]
	it.rows = it.rows[1:]
	return r, nil
}

func (it *planIter) Close(*sql.Context) error { return nil }

// run executes the plan and returns its rows.
func (p *Plan) run(ctx context.Context, env execEnv) ([]sql.Row, error) {
	part, err := p.runParts(ctx, env)
	if err != nil {
		return nil, err
	}
	if p.Hist == nil {
		return p.aggRows(part.Agg), nil
	}
	return p.histRows(part.Hist), nil
}

// runParts runs the plan in-process, or as fragments on env's runner, and merges the
// partial aggregates.
func (p *Plan) runParts(ctx context.Context, env execEnv) (*Partial, error) {
	if env.runner == nil {
		return p.partial(ctx, env)
	}
	parts, err := env.runner.Run(ctx, p.Fragments(env.fragmentChunks))
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return p.partial(ctx, env) // an empty selection: empty partials, no I/O
	}
	for _, o := range parts[1:] {
		if err := parts[0].Merge(o); err != nil {
			return nil, err
		}
	}
	return parts[0], nil
}

// warnRemote adds a warning to the session when fragments will read across regions.
func (it *planIter) warnRemote(ctx *sql.Context) {
	placer, ok := it.runner.(Placer)
	if !ok || ctx.Session == nil {
		return
	}
	frags := it.p.Fragments(it.fragmentChunks)
	if n := remoteBytes(it.p, placer, frags); n > 0 {
		ctx.Session.Warn(&sql.Warning{Level: "Warning", Code: 1105, Message: fmt.Sprintf(
			"%s: fragments read %s's data from another region (about %d bytes cross regions)", it.p.Table, it.p.Region, n)})
	}
}
