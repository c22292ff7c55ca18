package planner

import (
	"context"
	"fmt"
	"sync"

	"github.com/zarrsql/zarrsql/connectors/zarr"
)

// reader reads a task's cells as float32, CF-decoded (fill values NaN), C order over
// the selection. It owns its buffers: one per worker.
type reader struct {
	p    *Plan
	fast bool // a task's cells are one contiguous run of one chunk
	raw  []byte
	f32  []float32
	bufs *buffers
}

// buffers keeps readers' chunk buffers from one query to the next: a chunk of ERA5 is
// 129 MB, and allocating it costs the kernel's time to zero it.
type buffers struct{ raw, f32 sync.Pool }

func (b *buffers) get() ([]byte, []float32) {
	if b == nil {
		return nil, nil
	}
	raw, _ := b.raw.Get().(*[]byte)
	f, _ := b.f32.Get().(*[]float32)
	var r []byte
	var v []float32
	if raw != nil {
		r = *raw
	}
	if f != nil {
		v = *f
	}
	return r, v
}

// release returns the reader's buffers for the next query.
func (r *reader) release() {
	if r.bufs == nil {
		return
	}
	raw, f := r.raw[:0], r.f32[:0]
	r.bufs.raw.Put(&raw)
	r.bufs.f32.Put(&f)
	r.raw, r.f32 = nil, nil
}

func newReader(p *Plan, bufs *buffers) *reader {
	r := &reader{p: p, fast: true, bufs: bufs}
	r.raw, r.f32 = bufs.get()
	s := p.splitDim()
	for d := s + 1; d < len(p.Dims); d++ {
		if p.Box.Start[d] != 0 || p.Box.Stop[d] != p.Arr.Shape[d] || int64(p.Arr.ChunkShape[d]) != p.Arr.Shape[d] {
			r.fast = false
		}
	}
	for d := 0; d < s; d++ {
		if p.Box.Stop[d]-p.Box.Start[d] != 1 {
			r.fast = false
		}
	}
	return r
}

// read returns the cells of positions [t.lo, t.hi) of the split dimension; the slice is
// valid until the next read.
func (r *reader) read(ctx context.Context, t task) ([]float32, error) {
	if r.fast {
		return r.readChunk(ctx, t)
	}
	return r.readRegion(ctx, t)
}

// readChunk reads the run of cells from the one chunk holding them.
func (r *reader) readChunk(ctx context.Context, t task) ([]float32, error) {
	p, s := r.p, r.p.splitDim()
	idx := make([]int64, len(p.Dims))
	var off int64
	stride := int64(1)
	for d := len(p.Dims) - 1; d >= 0; d-- {
		cs := int64(p.Arr.ChunkShape[d])
		pos := p.Box.Start[d]
		if d == s {
			pos = t.lo
		}
		if d <= s {
			idx[d] = pos / cs
			off += (pos - idx[d]*cs) * stride
		}
		stride *= cs
	}
	n := int((t.hi - t.lo)) * p.inner()
	if p.Values.Identity() && p.Values.Stored().Size == 4 {
		f, err := zarr.ReadChunkAs(ctx, p.Arr, idx, r.f32)
		if err != nil {
			return nil, err
		}
		r.f32 = f
		return f[off : off+int64(n)], nil
	}
	raw, err := p.Arr.ReadChunk(ctx, idx, r.raw)
	if err != nil {
		return nil, err
	}
	r.raw = raw
	size := int64(p.Values.Stored().Size)
	return r.decode(raw[off*size:(off+int64(n))*size], n)
}

// readRegion reads the task's box, chunk by chunk.
func (r *reader) readRegion(ctx context.Context, t task) ([]float32, error) {
	p, s := r.p, r.p.splitDim()
	reg := zarr.Region{Start: append([]int64(nil), p.Box.Start...), Stop: append([]int64(nil), p.Box.Stop...)}
	reg.Start[s], reg.Stop[s] = t.lo, t.hi
	n := int(t.hi-t.lo) * p.inner()
	if p.Values.Identity() && p.Values.Stored().Size == 4 {
		f, err := zarr.ReadAs(ctx, p.Arr, reg, r.f32)
		r.f32 = f
		return f, err
	}
	raw, err := p.Arr.Read(ctx, reg, r.raw)
	if err != nil {
		return nil, err
	}
	r.raw = raw
	return r.decode(raw, n)
}

// decode applies the variable's CF masking to stored values.
func (r *reader) decode(raw []byte, n int) ([]float32, error) {
	if cap(r.f32) < n {
		r.f32 = make([]float32, n)
	}
	out := r.f32[:n]
	if err := r.p.Values.DecodeFloat32(out, raw); err != nil {
		return nil, fmt.Errorf("decode %s: %w", r.p.Arr, err)
	}
	return out, nil
}
