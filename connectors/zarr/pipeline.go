package zarr

import (
	"fmt"
	"sync"

	"github.com/zarrsql/zarrsql/connectors/codec"
	"github.com/zarrsql/zarrsql/connectors/dtype"
)

// stage is one decoding step of a chunk. It may write into dst or work in place on src
// (which the pipeline owns) and returns the bytes it produced.
type stage interface {
	decode(dst, src []byte) ([]byte, error)
}

// pipeline decodes the stored bytes of one chunk into the chunk's elements: C order, native
// byte order, the chunk's full shape. Built once per array from its metadata; immutable.
type pipeline struct {
	stages []stage
	size   int // decoded bytes of a chunk; 0 for variable-length strings
	limit  int // the most any stage may produce
	pool   *sync.Pool
}

func newPipeline(stages []stage, size, limit int) *pipeline {
	return &pipeline{stages: stages, size: size, limit: limit,
		pool: &sync.Pool{New: func() any { return new([]byte) }}}
}

// decode runs every stage. Two pooled scratch buffers take the stages' outputs in turn:
// a stage never writes into the buffer it reads (some stages return their input, a
// slice of it or work on it in place, so the buffer holding the current bytes is tracked).
// The last stage writes into dst when it can.
func (p *pipeline) decode(dst, src []byte) ([]byte, error) {
	scratch := [2]*[]byte{p.pool.Get().(*[]byte), p.pool.Get().(*[]byte)}
	defer p.pool.Put(scratch[0])
	defer p.pool.Put(scratch[1])
	buf, cur := src, -1 // cur: the scratch slot holding buf; -1: src
	for i, s := range p.stages {
		k := 0
		if cur == 0 {
			k = 1
		}
		last := i == len(p.stages)-1
		out := *scratch[k]
		if last && !sameArray(dst, buf) {
			out = dst
		}
		res, err := s.decode(out[:0], buf)
		if err != nil {
			return nil, err
		}
		if !last && !sameArray(res, buf) {
			cur = k
			if !sameArray(res, *scratch[k]) {
				*scratch[k] = res[:0] // a stage that grew the buffer: keep it for the next chunk
			}
		}
		buf = res
	}
	owned := !sameArray(buf, src) && !sameArray(buf, *scratch[0]) && !sameArray(buf, *scratch[1])
	return p.finish(dst, buf, owned)
}

// finish checks the decoded size and moves the result into dst. A result the last stage
// allocated itself (owned: not the input, not a scratch buffer) is returned as it is:
// dst was too small for it, and copying would only allocate dst's replacement again.
func (p *pipeline) finish(dst, buf []byte, owned bool) ([]byte, error) {
	if p.size > 0 && len(buf) != p.size {
		return nil, fmt.Errorf("decoded %d bytes, chunk has %d", len(buf), p.size)
	}
	if sameArray(buf, dst) || (owned && cap(dst) < len(buf)) {
		return buf, nil
	}
	out := codec.Grow(dst, len(buf))
	copy(out, buf)
	return out, nil
}

func sameArray(a, b []byte) bool {
	return cap(a) > 0 && cap(b) > 0 && &a[:cap(a)][cap(a)-1] == &b[:cap(b)][cap(b)-1]
}

// bytesStage adapts a codec.Decoder with the array's output limit.
type bytesStage struct {
	dec   codec.Decoder
	limit int
}

func (s bytesStage) decode(dst, src []byte) ([]byte, error) {
	return s.dec.Decode(dst, src, s.limit)
}

// swapStage turns big-endian elements into little-endian, in place.
type swapStage struct{ unit int }

func (s swapStage) decode(_, src []byte) ([]byte, error) {
	return src, swapBytes(src, s.unit)
}

// transposeStage undoes a v3 transpose (or v2's F order) for fixed-size elements.
type transposeStage struct {
	shape, order []int
	size         int
}

func (s transposeStage) decode(dst, src []byte) ([]byte, error) {
	n := product(s.shape) * s.size
	if len(src) != n {
		return nil, fmt.Errorf("transpose: %d bytes, want %d", len(src), n)
	}
	dst = codec.Grow(dst, n)
	untranspose(dst, src, s.shape, s.order, s.size)
	return dst, nil
}

// stringTransposeStage undoes a transpose of variable-length strings.
type stringTransposeStage struct{ shape, order []int }

func (s stringTransposeStage) decode(dst, src []byte) ([]byte, error) {
	strs, err := codec.VLenStrings(src)
	if err != nil {
		return nil, err
	}
	if len(strs) != product(s.shape) {
		return nil, fmt.Errorf("transpose: %d strings, want %d", len(strs), product(s.shape))
	}
	out := make([]string, len(strs))
	encStrides := cStrides(permuted(s.shape, s.order))
	stride := make([]int, len(s.shape))
	for i, o := range s.order {
		stride[o] = encStrides[i]
	}
	walk(s.shape, stride, func(n, off int) { out[n] = strs[off] })
	return appendVLen(dst, out), nil
}

// reverseOrder is the transpose order of a v2 F-order chunk: the stored array is the
// transpose of the logical one.
func reverseOrder(n int) []int {
	o := make([]int, n)
	for i := range o {
		o[i] = n - 1 - i
	}
	return o
}

// layoutStages returns the stages that turn stored elements of d (shape encShape after
// array→array codecs) into native little-endian elements.
func swapStages(d dtype.DType) []stage {
	if d.BigEndian && d.SwapUnit() > 1 {
		return []stage{swapStage{unit: d.SwapUnit()}}
	}
	return nil
}

func transposeFor(d dtype.DType, shape, order []int) stage {
	if d.Kind == dtype.String {
		return stringTransposeStage{shape: shape, order: order}
	}
	return transposeStage{shape: shape, order: order, size: d.Size}
}
