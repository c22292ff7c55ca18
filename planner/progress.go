package planner

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/dolthub/go-mysql-server/sql"
)

// Progress is a running array plan's progress, updated as tasks finish.
type Progress struct {
	Plan       *Plan
	Started    time.Time
	TasksTotal int64
	tasksDone  atomic.Int64
	cellsRead  atomic.Int64
}

// ProgressSnapshot is a Progress at one instant.
type ProgressSnapshot struct {
	Table, Variable string
	Started         time.Time
	TasksDone       int64 // chunks along the split dimension read and aggregated
	TasksTotal      int64
	CellsRead       int64
	BytesTotal      int64 // decoded bytes the plan reads
}

// Snapshot returns the progress now.
func (p *Progress) Snapshot() ProgressSnapshot {
	_, bytes := p.Plan.Arr.EstimateBytes(p.Plan.Box)
	return ProgressSnapshot{Table: p.Plan.Table, Variable: p.Plan.Variable, Started: p.Started,
		TasksDone: p.tasksDone.Load(), TasksTotal: p.TasksTotal, CellsRead: p.cellsRead.Load(), BytesTotal: bytes}
}

func (p *Progress) taskDone(cells int) {
	if p != nil {
		p.tasksDone.Add(1)
		p.cellsRead.Add(int64(cells))
	}
}

// Running holds the progress of the array plans running, by connection.
type Running struct {
	mu sync.Mutex
	m  map[uint32]*Progress
}

// Snapshot returns the progress of every running plan by connection id.
func (r *Running) Snapshot() map[uint32]ProgressSnapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[uint32]ProgressSnapshot, len(r.m))
	for id, p := range r.m {
		out[id] = p.Snapshot()
	}
	return out
}

// start registers a plan starting on ctx's connection; the function ends it.
func (r *Running) start(ctx *sql.Context, p *Plan) (*Progress, func()) {
	pr := &Progress{Plan: p, Started: time.Now(), TasksTotal: int64(len(p.tasks()))}
	var id uint32
	if ctx != nil && ctx.Session != nil {
		id = ctx.Session.ID()
	}
	r.mu.Lock()
	if r.m == nil {
		r.m = map[uint32]*Progress{}
	}
	r.m[id] = pr
	r.mu.Unlock()
	return pr, func() {
		r.mu.Lock()
		if r.m[id] == pr {
			delete(r.m, id)
		}
		r.mu.Unlock()
	}
}
