package planner

import (
	"context"
	"math"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/zarrsql/zarrsql/functions/kernels"
)

// aggOps returns the kernel aggregates the plan's AggSteps need.
func (p *Plan) aggOps() kernels.AggOp {
	var ops kernels.AggOp
	for _, a := range p.Aggs {
		switch a.Func {
		case "COUNT":
			ops |= kernels.AggCount
		case "SUM", "AVG":
			ops |= kernels.AggSum | kernels.AggCount
		case "MIN":
			ops |= kernels.AggMin | kernels.AggCount
		case "MAX":
			ops |= kernels.AggMax | kernels.AggCount
		}
	}
	return ops
}

// aggResult runs an aggregate plan: workers aggregate one chunk along the split
// dimension at a time, and their states are merged.
func (p *Plan) aggResult(ctx context.Context, env execEnv) (*kernels.AggState, error) {
	spec := kernels.AggSpec{Shape: p.kernelShape(), GroupDims: p.shift(p.Group), Ops: p.aggOps()}
	total, err := kernels.NewAggregator(spec)
	if err != nil {
		return nil, err
	}
	parts := make(chan *kernels.AggState, env.workers)
	tasks := p.tasks()
	inner := p.inner()
	err = runTasks(ctx, env.workers, len(tasks), func() taskWorker {
		return &aggWorker{p: p, rd: newReader(p, env.bufs), spec: spec, parts: parts}
	}, func(w taskWorker, i int) error {
		if err := w.(*aggWorker).run(ctx, tasks[i], inner); err != nil {
			return err
		}
		env.progress.taskDone(int(tasks[i].hi-tasks[i].lo) * inner)
		return nil
	})
	close(parts)
	st := total.State()
	for part := range parts {
		if err == nil {
			err = st.Merge(part)
		}
	}
	return st, err
}

// aggWorker aggregates tasks with its own reader and state.
type aggWorker struct {
	p     *Plan
	rd    *reader
	spec  kernels.AggSpec
	agg   *kernels.Aggregator
	parts chan<- *kernels.AggState
}

func (w *aggWorker) run(ctx context.Context, t task, inner int) error {
	data, err := w.rd.read(ctx, t)
	if err != nil {
		return err
	}
	if w.p.PreScale != 0 {
		scale32(data, float32(w.p.PreScale))
	}
	if w.agg == nil {
		if w.agg, err = kernels.NewAggregator(w.spec); err != nil {
			return err
		}
	}
	return w.agg.Add32(int(t.lo-w.p.Box.Start[w.p.splitDim()])*inner, data)
}

func (w *aggWorker) finish() {
	w.rd.release()
	if w.agg != nil {
		w.parts <- w.agg.State()
	}
}

// aggRows turns the merged state into rows, one per group, as GMS's GROUP BY gives
// them: no rows for an empty selection unless there are no keys (one row).
func (p *Plan) aggRows(st *kernels.AggState) []sql.Row {
	var rows []sql.Row
	for g := range st.Groups() {
		if st.Cells[g] == 0 && len(p.Group) > 0 {
			continue
		}
		pos := p.groupPositions(g)
		row := make(sql.Row, len(p.Out))
		for i, o := range p.Out {
			if o.Kind == OutCoord {
				row[i] = p.Coords[o.Dim][pos[o.Dim]]
			} else {
				row[i] = aggValue(st, g, p.Aggs[o.Agg].Func)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// aggValue is one aggregate's SQL value for group g: NULL without values, MIN and MAX
// in the variable's type (FLOAT).
func aggValue(st *kernels.AggState, g int, fn string) any {
	switch fn {
	case "COUNT(*)":
		return st.Cells[g]
	case "COUNT":
		return st.Count[g]
	}
	if st.Count[g] == 0 {
		return nil
	}
	switch fn {
	case "SUM":
		return st.Sum[g]
	case "AVG":
		return st.Sum[g] / float64(st.Count[g])
	case "MIN":
		return float32(st.Min[g])
	case "MAX":
		return float32(st.Max[g])
	}
	return math.NaN()
}
