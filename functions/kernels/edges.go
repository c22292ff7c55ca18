package kernels

import (
	"math"
	"strconv"
)

// maxBins bounds the number of bins of one histogram (the bin lookup table holds 15-bit
// bin numbers).
const maxBins = 1<<15 - 1

// Edges are validated histogram bin edges: at least two, finite, strictly increasing.
// Bin i is [e[i], e[i+1]) and the last bin also holds its right edge. The zero Edges is
// not valid; build one with NewEdges.
type Edges struct {
	e []float64
}

// NewEdges validates e and returns Edges holding a copy of it.
func NewEdges(e []float64) (Edges, error) {
	if len(e) < 2 {
		return Edges{}, argErr("HISTOGRAM", "need at least 2 bin edges, got %d", len(e))
	}
	if len(e)-1 > maxBins {
		return Edges{}, argErr("HISTOGRAM", "at most %d bins, got %d", maxBins, len(e)-1)
	}
	for i, v := range e {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Edges{}, argErr("HISTOGRAM", "edges must be finite: edge %d is %s", i, fmtFloat(v))
		}
		if i > 0 && v <= e[i-1] {
			return Edges{}, argErr("HISTOGRAM", "edges must be strictly increasing: edge %d (%s) <= edge %d (%s)",
				i, fmtFloat(v), i-1, fmtFloat(e[i-1]))
		}
	}
	return Edges{e: append([]float64(nil), e...)}, nil
}

// Len returns the number of edges.
func (e Edges) Len() int { return len(e.e) }

// Bins returns the number of bins, Len()-1.
func (e Edges) Bins() int { return len(e.e) - 1 }

// At returns edge i.
func (e Edges) At(i int) float64 { return e.e[i] }

// Values returns a copy of the edges.
func (e Edges) Values() []float64 { return append([]float64(nil), e.e...) }

// Concat returns the parts one after the other, as np.concatenate does; the seed's edges
// are Concat([]float64{0}, Logspace(-5, 0, 50, true, 10)).
func Concat(parts ...[]float64) []float64 {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]float64, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// fmtFloat formats v as Python's repr does (shortest round trip), e.g. 0.1, 1e-05, nan.
func fmtFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Bin returns the bin holding x, as numpy.histogram assigns it (comparisons in float64,
// the last bin closed), or -1 when x is NaN or outside the edges. It is the one-value
// form of what Hist does over slices.
func (e Edges) Bin(x float64) int {
	n := len(e.e)
	if n < 2 || !(x >= e.e[0] && x <= e.e[n-1]) {
		return -1
	}
	if x == e.e[n-1] {
		return n - 2
	}
	// the first edge above x, minus one
	lo, hi := 0, n-1
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if e.e[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo - 1
}
