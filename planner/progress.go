package planner

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/zarrsql/zarrsql/functions"
)

// Progress is a running array plan's progress, updated as tasks finish. It is also
// reported to the query's GMS process list, so that SHOW PROCESSLIST's State column
// reads "era5 (3/12 partitions)" (chunks along the split dimension) with a child line
// of cells read.
type Progress struct {
	Plan       *Plan
	Query      string
	Conn       uint32
	Started    time.Time
	TasksTotal int64
	tasksDone  atomic.Int64
	cellsRead  atomic.Int64

	procs sql.ProcessList // the query's process list; nil: none
	pid   uint64
	hook  func(*Progress) // called after each task (tests)
}

// ProgressSnapshot is a Progress at one instant.
type ProgressSnapshot struct {
	Query           string
	Table, Variable string
	Split           string // the dimension split into tasks, one chunk each
	Started         time.Time
	TasksDone       int64 // chunks along the split dimension read and aggregated
	TasksTotal      int64
	CellsRead       int64
	CellsTotal      int64
	BytesTotal      int64 // decoded bytes the plan reads
}

// Snapshot returns the progress now.
func (p *Progress) Snapshot() ProgressSnapshot {
	_, bytes := p.Plan.Arr.EstimateBytes(p.Plan.Box)
	return ProgressSnapshot{Query: p.Query, Table: p.Plan.Table, Variable: p.Plan.Variable,
		Split: p.Plan.Dims[p.Plan.splitDim()], Started: p.Started,
		TasksDone: p.tasksDone.Load(), TasksTotal: p.TasksTotal,
		CellsRead: p.cellsRead.Load(), CellsTotal: cellsOf(p.Plan.counts()), BytesTotal: bytes}
}

func (p *Progress) taskDone(cells int) {
	if p == nil {
		return
	}
	p.tasksDone.Add(1)
	p.cellsRead.Add(int64(cells))
	if p.procs != nil {
		p.procs.UpdateTableProgress(p.pid, p.Plan.Table, 1)
		p.procs.UpdatePartitionProgress(p.pid, p.Plan.Table, p.cellsItem(), int64(cells))
	}
	if p.hook != nil {
		p.hook(p)
	}
}

// cellsItem names the process list's child item counting cells ("tp cells read").
func (p *Progress) cellsItem() string { return p.Plan.Variable + " cells read" }

// report registers the plan's chunks and cells with the query's process list. GMS has
// already registered the table (its row-path partitions, never read on the array
// path): the total becomes the plan's chunk count.
func (p *Progress) report(ctx *sql.Context) {
	if ctx == nil || ctx.ProcessList == nil {
		return
	}
	p.procs, p.pid = ctx.ProcessList, ctx.Pid()
	p.procs.AddTableProgress(p.pid, p.Plan.Table, p.TasksTotal)
	p.procs.AddPartitionProgress(p.pid, p.Plan.Table, p.cellsItem(), cellsOf(p.Plan.counts()))
}

// maxRecent is how many finished plans Running keeps.
const maxRecent = 20

// maxHistCells bounds the histogram a Finished keeps (groups x bins).
const maxHistCells = 1 << 18

// Finished is an array plan that ran to its end or to an error.
type Finished struct {
	Seq      int64 // 1, 2, ... in order of finishing
	Conn     uint32
	Query    string
	Progress ProgressSnapshot // at the end
	Duration time.Duration
	Err      string      // empty: success
	Hist     *HistResult // histogram plans that succeeded; nil otherwise
}

// HistResult is a histogram plan's result as the seed plots it: the mean count per
// group (latitude) and bin.
type HistResult struct {
	GroupDim    string      // the group dimensions' names, joined by ", "
	Groups      []string    // each group's coordinates, in row order
	GroupValues []float64   // each group's coordinate when it is one number; else nil
	Variable    string      // the variable binned
	Edges       []float64   // the bin edges, bins + 1
	Mean        [][]float64 // by group, then bin
}

// Running holds the progress of the array plans running, by connection, and the last
// plans that finished.
type Running struct {
	mu     sync.Mutex
	m      map[uint32]*Progress
	recent []Finished // oldest first, at most maxRecent
	seq    int64
	hook   func(*Progress) // given to every Progress (tests)
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

// Recent returns the plans that finished last, newest first.
func (r *Running) Recent() []Finished {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Finished, len(r.recent))
	for i, f := range r.recent {
		out[len(out)-1-i] = f
	}
	return out
}

// Recent returns the array plans that finished last, newest first (at most 20).
func (b *Builder) Recent() []Finished { return b.running.Recent() }

// start registers a plan starting on ctx's connection; the function it returns ends
// it with the plan's rows or error.
func (r *Running) start(ctx *sql.Context, p *Plan) (*Progress, func([]sql.Row, error)) {
	pr := &Progress{Plan: p, Started: time.Now(), TasksTotal: int64(len(p.tasks())), hook: r.hook}
	if ctx != nil && ctx.Session != nil {
		pr.Conn, pr.Query = ctx.Session.ID(), ctx.Query()
	}
	pr.report(ctx)
	r.mu.Lock()
	if r.m == nil {
		r.m = map[uint32]*Progress{}
	}
	r.m[pr.Conn] = pr
	r.mu.Unlock()
	return pr, func(rows []sql.Row, err error) { r.end(pr, rows, err) }
}

// end removes pr from the running plans and keeps it among the recent ones.
func (r *Running) end(pr *Progress, rows []sql.Row, err error) {
	f := Finished{Conn: pr.Conn, Query: pr.Query, Progress: pr.Snapshot(), Duration: time.Since(pr.Started)}
	if err != nil {
		f.Err = err.Error()
	} else {
		f.Hist = histResultOf(pr.Plan, rows)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m[pr.Conn] == pr {
		delete(r.m, pr.Conn)
	}
	r.seq++
	f.Seq = r.seq
	if len(r.recent) == maxRecent {
		r.recent = append(r.recent[:0], r.recent[1:]...)
	}
	r.recent = append(r.recent, f)
}

// histResultOf reads a histogram plan's rows (laid out by p.Out: group coordinates,
// bin, mean; one row per group and bin, group by group) back into a matrix.
func histResultOf(p *Plan, rows []sql.Row) *HistResult {
	coords, bin, mean := outColumns(p)
	if p.Hist == nil || bin < 0 || mean < 0 || len(rows) > maxHistCells {
		return nil
	}
	h := &HistResult{GroupDim: groupDims(p, coords), Variable: p.Variable, Edges: p.Hist.Edges.Values()}
	numeric := len(coords) == 1
	for _, row := range rows {
		if key := groupKey(row, coords); len(h.Groups) == 0 || key != h.Groups[len(h.Groups)-1] {
			numeric = h.addGroup(key, row, coords, numeric)
		}
		b, ok1 := toInt(row[bin])
		m, ok2 := functions.ToFloat(row[mean])
		if last := h.Mean[len(h.Mean)-1]; ok1 && ok2 && b >= 1 && int(b) <= len(last) {
			last[b-1] = m
		}
	}
	if !numeric {
		h.GroupValues = nil
	}
	return h
}

// addGroup starts the row of a group; numeric says whether every group so far has one
// numeric coordinate, and is returned updated.
func (h *HistResult) addGroup(key string, row sql.Row, coords []int, numeric bool) bool {
	h.Groups = append(h.Groups, key)
	h.Mean = append(h.Mean, make([]float64, len(h.Edges)-1))
	if !numeric {
		return false
	}
	v, ok := functions.ToFloat(row[coords[0]])
	h.GroupValues = append(h.GroupValues, v)
	return ok
}

// outColumns returns the row positions of the group coordinates, the bin and the
// mean (-1: absent).
func outColumns(p *Plan) (coords []int, bin, mean int) {
	bin, mean = -1, -1
	for i, o := range p.Out {
		switch o.Kind {
		case OutCoord:
			coords = append(coords, i)
		case OutBin:
			bin = i
		case OutMean:
			mean = i
		}
	}
	return coords, bin, mean
}

func groupDims(p *Plan, coords []int) string {
	names := make([]string, len(coords))
	for i, c := range coords {
		names[i] = p.Dims[p.Out[c].Dim]
	}
	return strings.Join(names, ", ")
}

// groupKey formats a row's group coordinates.
func groupKey(row sql.Row, coords []int) string {
	parts := make([]string, len(coords))
	for i, c := range coords {
		switch v := row[c].(type) {
		case time.Time:
			parts[i] = v.Format("2006-01-02 15:04:05")
		default:
			parts[i] = fmt.Sprint(v)
		}
	}
	return strings.Join(parts, ", ")
}
