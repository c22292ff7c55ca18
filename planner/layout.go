package planner

import "github.com/zarrsql/zarrsql/functions/kernels"

// splitDim is the dimension work is split along, one task per chunk: the coarsened
// dimension, else the first with more than one selected position.
func (p *Plan) splitDim() int {
	if p.Coarsen != nil {
		return p.Coarsen.Dim
	}
	for d, n := range p.counts() {
		if n > 1 {
			return d
		}
	}
	return 0
}

// kernelDim0 is the first dimension the kernels see: dimensions before it have one
// selected position and are dropped.
func (p *Plan) kernelDim0() int {
	k := p.splitDim()
	if p.Coarsen != nil {
		return k
	}
	if p.Hist != nil {
		k = min(k, p.Hist.Dim)
	}
	for _, g := range p.Group {
		k = min(k, g)
	}
	return k
}

// coarsenFits reports whether the coarsened dimension can lead the kernels' arrays:
// every dimension before it has one selected position, and neither the histogram nor
// a group is one of them.
func (p *Plan) coarsenFits() bool {
	c := p.counts()
	for d := 0; d < p.Coarsen.Dim; d++ {
		if c[d] > 1 || contains(p.Group, d) || (p.Hist != nil && p.Hist.Dim == d) {
			return false
		}
	}
	return p.Hist == nil || p.Hist.Dim != p.Coarsen.Dim
}

// kernelShape returns the selected shape from kernelDim0 on.
func (p *Plan) kernelShape() []int { return p.counts()[p.kernelDim0():] }

// shift returns dimensions as kernel dimensions.
func (p *Plan) shift(dims []int) []int {
	k0 := p.kernelDim0()
	out := make([]int, len(dims))
	for i, d := range dims {
		out[i] = d - k0
	}
	return out
}

// inner returns the selected cells of one position of the split dimension.
func (p *Plan) inner() int {
	n := 1
	for _, c := range p.counts()[p.splitDim()+1:] {
		n *= c
	}
	return n
}

// task is the positions [lo, hi) of the split dimension in one chunk.
type task struct{ lo, hi int64 }

// tasks splits the split dimension's selection at chunk boundaries.
func (p *Plan) tasks() []task {
	d := p.splitDim()
	lo, hi := p.Box.Start[d], p.Box.Stop[d]
	if cellsOf(p.counts()) == 0 {
		return nil
	}
	cs := int64(p.Arr.ChunkShape[d])
	var out []task
	for a := lo; a < hi; {
		b := min((a/cs+1)*cs, hi)
		out = append(out, task{a, b})
		a = b
	}
	return out
}

// windows returns the coarsen window plan over the selection.
func (p *Plan) windows() (kernels.Windows, error) {
	c := p.Coarsen
	return kernels.PlanWindows(p.counts()[c.Dim], c.Window, c.Boundary)
}

// histSpec returns the histogram kernel's spec over an array of the kernel shape (or,
// coarsened, of windows first); shape nil lets the fused kernel fill it in.
func (p *Plan) histSpec(shape []int) kernels.HistSpec {
	return kernels.HistSpec{Edges: p.Hist.Edges, Shape: shape, HistDim: p.Hist.Dim - p.kernelDim0(),
		GroupDims: p.shift(p.Group), Scale: p.Hist.Scale}
}
