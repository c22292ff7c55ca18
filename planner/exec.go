package planner

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/zarrsql/zarrsql/functions/kernels"
)

// histResult runs a histogram plan: tasks (one chunk along the split dimension each)
// are read and counted by workers in parallel, and their counts merged. Coarsen windows
// that straddle tasks are assembled from the tasks' pieces and counted whole, so the
// float32 window sums are xarray's, in position order.
func (p *Plan) histResult(ctx context.Context, env execEnv) (*kernels.HistCounts, error) {
	ex, err := newHistExec(p)
	if err != nil {
		return nil, err
	}
	tasks := p.tasks()
	err = runTasks(ctx, env.workers, len(tasks), func() taskWorker {
		return &histWorker{ex: ex, rd: newReader(p, env.bufs)}
	}, func(w taskWorker, i int) error {
		if err := w.(*histWorker).run(ctx, tasks[i]); err != nil {
			return err
		}
		env.progress.taskDone(int(tasks[i].hi-tasks[i].lo) * ex.inner)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ex.total()
}

// histExec is the shared state of a running histogram plan.
type histExec struct {
	p     *Plan
	inner int
	win   kernels.Windows
	mu    sync.Mutex
	parts []*kernels.HistCounts
	open  map[int]*piece // straddling windows being assembled
}

// piece is a coarsen window assembled from the tasks it straddles.
type piece struct {
	vals   []float32
	filled int // positions deposited
}

func newHistExec(p *Plan) (*histExec, error) {
	ex := &histExec{p: p, inner: p.inner(), open: map[int]*piece{}}
	if p.Coarsen != nil {
		w, err := p.windows()
		if err != nil {
			return nil, err
		}
		ex.win = w
	}
	return ex, nil
}

func (ex *histExec) add(c *kernels.HistCounts) {
	ex.mu.Lock()
	ex.parts = append(ex.parts, c)
	ex.mu.Unlock()
}

// total merges the parts; with no part it returns empty counts.
func (ex *histExec) total() (*kernels.HistCounts, error) {
	if len(ex.open) != 0 {
		return nil, fmt.Errorf("array plan: %d coarsen windows left incomplete", len(ex.open))
	}
	if len(ex.parts) == 0 {
		h, err := kernels.NewHist(ex.p.histSpec(ex.emptyShape()))
		if err != nil {
			return nil, err
		}
		return h.Counts(), nil
	}
	t := ex.parts[0]
	for _, c := range ex.parts[1:] {
		if err := t.Merge(c); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// emptyShape is the kernel shape with no position along the split dimension.
func (ex *histExec) emptyShape() []int {
	s := ex.p.kernelShape()
	s[ex.p.splitDim()-ex.p.kernelDim0()] = 0
	return s
}

// histWorker runs tasks of a histogram plan with its own reader and counts.
type histWorker struct {
	ex   *histExec
	rd   *reader
	hist *kernels.Hist
}

func (w *histWorker) finish() {
	w.rd.release()
	if w.hist != nil {
		w.ex.add(w.hist.Counts())
	}
}

func (w *histWorker) run(ctx context.Context, t task) error {
	p := w.ex.p
	data, err := w.rd.read(ctx, t)
	if err != nil {
		return err
	}
	if p.PreScale != 0 {
		scale32(data, float32(p.PreScale))
	}
	a := int(t.lo - p.Box.Start[p.splitDim()])
	if p.Coarsen != nil {
		return w.coarsen(a, data)
	}
	if w.hist == nil {
		if w.hist, err = kernels.NewHist(p.histSpec(p.kernelShape())); err != nil {
			return err
		}
	}
	return w.hist.Add32(a*w.ex.inner, data)
}

func scale32(x []float32, s float32) {
	for i := range x {
		x[i] *= s
	}
}

// coarsen counts the windows wholly inside the task's positions [a, a+n) and deposits
// the pieces of the others.
func (w *histWorker) coarsen(a int, data []float32) error {
	ex := w.ex
	e := min(a+len(data)/ex.inner, ex.win.Used)
	if a >= e {
		return nil // trimmed
	}
	wholeLo, wholeHi := -1, -1
	for win := a / ex.win.Size; win <= (e-1)/ex.win.Size; win++ {
		s, t := ex.win.Span(win)
		lo, hi := max(s, a), min(t, e)
		if lo == s && hi == t {
			if wholeLo < 0 {
				wholeLo = s
			}
			wholeHi = t
			continue
		}
		if err := ex.deposit(win, lo-s, data[(lo-a)*ex.inner:(hi-a)*ex.inner]); err != nil {
			return err
		}
	}
	if wholeLo < 0 {
		return nil
	}
	return ex.count(data[(wholeLo-a)*ex.inner : (wholeHi-a)*ex.inner])
}

// count coarsens and counts consecutive whole windows (the last may be a pad window).
func (ex *histExec) count(vals []float32) error {
	p := ex.p
	n := len(vals) / ex.inner
	b := kernels.BoundaryExact
	if n%p.Coarsen.Window != 0 {
		b = kernels.BoundaryPad
	}
	shape := append([]int{n}, p.kernelShape()[1:]...)
	k, err := kernels.NewCoarsenHist(kernels.CoarsenSpec{Window: p.Coarsen.Window, Boundary: b, Shape: shape, Mean: p.Coarsen.Mean},
		p.histSpec(nil))
	if err != nil {
		return err
	}
	if err := k.Feed(vals); err != nil {
		return err
	}
	c, err := k.Finish()
	if err != nil {
		return err
	}
	ex.add(c)
	return nil
}

// deposit copies positions [off, off+len(vals)/inner) of window win; the depositor
// that completes the window counts it.
func (ex *histExec) deposit(win, off int, vals []float32) error {
	s, t := ex.win.Span(win)
	ex.mu.Lock()
	pc := ex.open[win]
	if pc == nil {
		pc = &piece{vals: make([]float32, (t-s)*ex.inner)}
		ex.open[win] = pc
	}
	copy(pc.vals[off*ex.inner:], vals)
	pc.filled += len(vals) / ex.inner
	done := pc.filled == t-s
	if done {
		delete(ex.open, win)
	}
	ex.mu.Unlock()
	if !done {
		return nil
	}
	return ex.count(pc.vals)
}

// execEnv is what a running plan uses beyond the plan: its parallelism, where it reports
// progress, and reusable buffers.
type execEnv struct {
	workers        int
	progress       *Progress
	bufs           *buffers
	runner         Runner
	fragmentChunks int
}

// taskWorker is one goroutine's state over the tasks it runs.
type taskWorker interface{ finish() }

// runTasks runs n tasks on up to workers goroutines, in order of index; the first
// error (or a panic, turned into an error) cancels the rest.
func runTasks(ctx context.Context, workers, n int, newWorker func() taskWorker, run func(taskWorker, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range min(workers, max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := workerLoop(ctx, newWorker(), next, run)
			if err != nil {
				cancel()
			}
			errs <- err
		}()
	}
	go func() {
		defer close(next)
		for i := range n {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	wg.Wait()
	close(errs)
	var first error
	for err := range errs {
		if err != nil && (first == nil || errors.Is(first, context.Canceled)) {
			first = err
		}
	}
	if first == nil {
		first = ctx.Err()
	}
	return first
}

func workerLoop(ctx context.Context, w taskWorker, next <-chan int, run func(taskWorker, int) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("array plan: panic: %v\n%s", r, debug.Stack())
		}
	}()
	for i := range next {
		if err := run(w, i); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	w.finish()
	return nil
}
