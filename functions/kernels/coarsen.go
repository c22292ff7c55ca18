package kernels

// tileCells is about how many cells CoarsenSum32 sums at a time (whole rows), so that a
// tile of sums stays in the L1 cache while the window's positions are added to it.
const tileCells = 4096

// CoarsenSpec describes coarsening the first dimension of a selected array, as
// xarray's da.coarsen({dim0: Window}, boundary=Boundary).sum() (or .mean()).
type CoarsenSpec struct {
	Window   int
	Boundary Boundary
	Shape    []int // the selected array, C order; Shape[0] is coarsened
	Mean     bool  // emit window means (NaN where a cell has no value) instead of sums
}

// EmitFunc receives coarsened values: cells [offset, offset+len(values)) of window
// window's block of inner cells (the cells of one position: Shape[1:]), always whole
// rows of the last dimension. values is only valid during the call.
type EmitFunc func(window, offset int, values []float32) error

// CoarsenSum32 coarsens a float32 array streamed as consecutive slabs along its first
// dimension (a slab: k positions × the inner cells, C order, e.g. one decoded chunk).
// Each window's sum accumulates in float32 in position order from +0.0, skipping NaN
// (xarray's nansum replaces NaN by +0.0, and adding +0.0 never changes a sum that starts
// at +0.0), which is the order numpy reduces in when the window dimension is not the
// innermost one. A window that spans two slabs carries its partial sums from one Feed
// to the next, so the result does not depend on how the dimension is split. When the
// inner block is a single cell numpy reduces each window pairwise, and so does this.
//
// Partial sums of one window computed on different executors cannot be merged exactly
// (float32 addition does not associate): split work on window boundaries.
type CoarsenSum32 struct {
	win   Windows
	inner int
	tile  int
	mean  bool
	acc   []float32 // sums of the window open across slabs
	cnt   []int32   // its counts of values (mean only)
	buf   []float32 // a tile of a window that lies inside one slab
	bcnt  []int32
	vals  []float32 // inner block of one cell: the values of the open window
	pos   int       // positions fed
}

// NewCoarsenSum32 checks s and returns the streaming state for it.
func NewCoarsenSum32(s CoarsenSpec) (*CoarsenSum32, error) {
	if len(s.Shape) == 0 {
		return nil, argErr("COARSEN", "cannot coarsen a 0-dimensional array")
	}
	lay, err := newLayout("COARSEN", s.Shape, nil, -1)
	if err != nil {
		return nil, err
	}
	win, err := PlanWindows(s.Shape[0], s.Window, s.Boundary)
	if err != nil {
		return nil, err
	}
	inner := 1
	for _, n := range s.Shape[1:] {
		inner *= n
	}
	tile := inner
	if rows := tileCells / max(lay.rowLen, 1); len(s.Shape) > 1 && rows*lay.rowLen < inner {
		tile = max(rows, 1) * lay.rowLen
	}
	c := &CoarsenSum32{win: win, inner: inner, tile: tile, mean: s.Mean,
		acc: make([]float32, inner), buf: make([]float32, min(tile, inner))}
	if s.Mean {
		c.cnt, c.bcnt = make([]int32, inner), make([]int32, len(c.buf))
	}
	return c, nil
}

// Windows returns the window plan.
func (c *CoarsenSum32) Windows() Windows { return c.win }

// Feed adds the next slab of positions; every window it completes is emitted, tile by
// tile, in order. Positions beyond the last window (trim) are dropped. After an error
// (including one returned by emit) the state is undefined: discard it.
func (c *CoarsenSum32) Feed(slab []float32, emit EmitFunc) error {
	if c.inner == 0 {
		return nil
	}
	if len(slab)%c.inner != 0 {
		return argErr("COARSEN", "slab of %d cells is not whole positions of %d cells", len(slab), c.inner)
	}
	k := len(slab) / c.inner
	if k > c.win.Length-c.pos {
		return argErr("COARSEN", "fed %d positions past the %d selected", c.pos+k-c.win.Length, c.win.Length)
	}
	base := c.pos
	c.pos += k
	for p, end := base, min(base+k, c.win.Used); p < end; {
		w := p / c.win.Size
		ws, we := c.win.Span(w)
		q := min(we, end)
		rows := slab[(p-base)*c.inner : (q-base)*c.inner]
		if err := c.window(w, p == ws, q == we, rows, emit); err != nil {
			return err
		}
		p = q
	}
	return nil
}

// Finish checks that every selected position was fed.
func (c *CoarsenSum32) Finish() error {
	if c.pos != c.win.Length && c.inner > 0 {
		return argErr("COARSEN", "fed %d of %d positions", c.pos, c.win.Length)
	}
	return nil
}

// window adds positions rows (whole inner blocks) of window w; first and last say
// whether they include the window's first and last position.
func (c *CoarsenSum32) window(w int, first, last bool, rows []float32, emit EmitFunc) error {
	if c.inner == 1 {
		return c.single(w, first, last, rows, emit)
	}
	npos := len(rows) / c.inner
	for t := 0; t < c.inner; t += c.tile {
		e := min(t+c.tile, c.inner)
		dst, cnt := c.acc[t:e], c.cntAt(c.cnt, t, e)
		if first && last { // the whole window is here: no need to touch acc
			dst, cnt = c.buf[:e-t], c.cntAt(c.bcnt, 0, e-t)
		}
		if first {
			clear(dst)
			clear(cnt)
		}
		for p := range npos {
			add(dst, cnt, rows[p*c.inner+t:p*c.inner+e])
		}
		if !last {
			continue
		}
		if err := emit(w, t, c.finish(dst, cnt)); err != nil {
			return err
		}
	}
	return nil
}

// cntAt returns cnt[t:e], or nil when counts are not kept.
func (c *CoarsenSum32) cntAt(cnt []int32, t, e int) []int32 {
	if cnt == nil {
		return nil
	}
	return cnt[t:e]
}

// single is window for an inner block of one cell: numpy sums each window pairwise.
func (c *CoarsenSum32) single(w int, first, last bool, vals []float32, emit EmitFunc) error {
	if first {
		c.vals = c.vals[:0]
	}
	c.vals = append(c.vals, vals...)
	if !last {
		return nil
	}
	var n int32
	for i, v := range c.vals {
		if v != v {
			c.vals[i] = 0
		} else {
			n++
		}
	}
	c.vals = padZeros(c.vals, c.win.Size)
	c.buf[0] = pairwiseSum(c.vals)
	if c.mean {
		c.bcnt[0] = n
		return emit(w, 0, c.finish(c.buf[:1], c.bcnt[:1]))
	}
	return emit(w, 0, c.buf[:1])
}

// finish turns sums into means in place when counts are kept: numpy's nanmean divides
// the float32 sum by the integer count in float64 and rounds to float32.
func (c *CoarsenSum32) finish(sums []float32, cnt []int32) []float32 {
	if cnt == nil {
		return sums
	}
	cnt = cnt[:len(sums)]
	for i, s := range sums {
		sums[i] = float32(float64(s) / float64(cnt[i]))
	}
	return sums
}

// nanBlock is how many cells add checks for NaN at once.
const nanBlock = 256

// add adds the non-NaN values of x to dst, counting them in cnt unless cnt is nil.
// Blocks without NaN, almost all, take a plain loop that also sums the block's values:
// the block is NaN-free when that sum is not NaN (a sum that is NaN without a NaN value,
// Inf-Inf, only sends the block to the careful loop, which gives the same result).
// Otherwise the block's sums are restored from a copy and redone carefully.
func add(dst []float32, cnt []int32, x []float32) {
	x = x[:len(dst)]
	var saved [nanBlock]float32
	for i := 0; i < len(x); i += nanBlock {
		e := min(i+nanBlock, len(x))
		copy(saved[:], dst[i:e])
		if !addClean(dst[i:e], x[i:e]) {
			copy(dst[i:e], saved[:e-i])
			addSkipNaN(dst[i:e], x[i:e])
			if cnt != nil {
				countValues(cnt[i:e], x[i:e])
			}
			continue
		}
		if cnt != nil {
			incAll(cnt[i:e])
		}
	}
}

// addClean adds x to dst and reports whether the sum of x is not NaN (see hasNaN).
func addClean(dst, x []float32) bool {
	x = x[:len(dst)]
	var a, b, c, d float32
	i := 0
	for ; i+3 < len(x); i += 4 {
		x0, x1, x2, x3 := x[i], x[i+1], x[i+2], x[i+3]
		dst[i] += x0
		dst[i+1] += x1
		dst[i+2] += x2
		dst[i+3] += x3
		a += x0
		b += x1
		c += x2
		d += x3
	}
	for ; i < len(x); i++ {
		dst[i] += x[i]
		a += x[i]
	}
	s := (a + b) + (c + d)
	return s == s
}

// hasNaN reports whether the sum of x is NaN: always when x holds a NaN, and for
// Inf-Inf.
func hasNaN[F Float](x []F) bool {
	var a, b, c, d F
	i := 0
	for ; i+3 < len(x); i += 4 {
		a += x[i]
		b += x[i+1]
		c += x[i+2]
		d += x[i+3]
	}
	for _, v := range x[i:] {
		a += v
	}
	s := (a + b) + (c + d)
	return s != s
}

func addSkipNaN(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		if v == v {
			dst[i] += v
		}
	}
}

func incAll(cnt []int32) {
	for i := range cnt {
		cnt[i]++
	}
}

func countValues(cnt []int32, x []float32) {
	x = x[:len(cnt)]
	for i, v := range x {
		if v == v {
			cnt[i]++
		}
	}
}
