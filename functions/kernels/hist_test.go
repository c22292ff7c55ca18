package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

// histOf returns the counts of 1-D values x (float32 if f4, else float64).
func histOf(t testing.TB, e Edges, f4 bool, values []uint64, scale float64) []int64 {
	t.Helper()
	h, err := NewHist(HistSpec{Edges: e, Shape: []int{len(values)}, Scale: scale})
	if err != nil {
		t.Fatal(err)
	}
	if f4 {
		err = h.Add32(0, f32s(u32s(values)))
	} else {
		err = h.Add64(0, f64s(values))
	}
	if err != nil {
		t.Fatal(err)
	}
	return h.Counts().Counts
}

// TestHistGolden compares every count with numpy.histogram, and logs where the seed's
// reference script and xhistogram 0.3 / 0.2 disagree with numpy.histogram.
func TestHistGolden(t *testing.T) {
	for _, c := range loadGolden(t).Hist {
		t.Run(c.Name, func(t *testing.T) {
			e, err := NewEdges(f64s(c.Edges))
			if err != nil {
				t.Fatal(err)
			}
			got := histOf(t, e, c.Dtype == "f4", c.Values, c.Scale)
			if !slices.Equal(got, c.Numpy) {
				t.Fatalf("counts\n%v\nnumpy.histogram\n%v", got, c.Numpy)
			}
			for name, other := range map[string][]int64{"seed_hist.py": c.Seed, "xhistogram 0.3": c.Xhist03, "xhistogram 0.2": c.Xhist02} {
				if other == nil {
					t.Logf("%s fails on this case", name)
				} else if !slices.Equal(other, c.Numpy) {
					t.Logf("%s differs from numpy.histogram: %v", name, diffAt(other, c.Numpy))
				}
			}
		})
	}
}

// diffAt describes the bins where a and b differ.
func diffAt(a, b []int64) string {
	var s []string
	for i := range a {
		if a[i] != b[i] {
			s = append(s, fmt.Sprintf("bin %d: %d vs %d", i, a[i], b[i]))
		}
	}
	return strings.Join(s, ", ")
}

func TestGroupHistGolden(t *testing.T) {
	e := seedEdges(t)
	for _, c := range loadGolden(t).GroupHist {
		h, err := NewHist(HistSpec{Edges: e, Shape: c.Shape, HistDim: c.HistDim, GroupDims: c.Groups})
		if err != nil {
			t.Fatal(err)
		}
		x := f32s(c.Values)
		rl := c.Shape[len(c.Shape)-1]
		for r := len(x)/rl - 1; r >= 0; r-- { // rows in reverse: order does not matter
			if err := h.Add32(r*rl, x[r*rl:(r+1)*rl]); err != nil {
				t.Fatal(err)
			}
		}
		st := h.Counts()
		want := f64s(c.Mean)
		if len(want) != st.Groups()*st.Bins {
			t.Fatalf("hist dim %d groups %v: %d groups x %d bins, numpy %d values", c.HistDim, c.Groups, st.Groups(), st.Bins, len(want))
		}
		for i, w := range want {
			if got := st.Mean(i/st.Bins, i%st.Bins); !sameBits64(got, w) {
				t.Errorf("hist dim %d groups %v: mean[%d][%d] = %v, numpy %v", c.HistDim, c.Groups, i/st.Bins, i%st.Bins, got, w)
			}
		}
	}
}

func seedEdges(t testing.TB) Edges {
	t.Helper()
	ls, err := Logspace(-5, 0, 50, true, 10)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEdges(Concat([]float64{0}, ls))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// naiveBin is numpy.histogram's rule written plainly: the bin of float64 value v, or -1.
func naiveBin(e []float64, v float64) int {
	n := len(e) - 1
	if !(v >= e[0] && v <= e[n]) {
		return -1
	}
	if v == e[n] {
		return n - 1
	}
	return sort.Search(n, func(i int) bool { return e[i+1] > v })
}

// checkBinner compares the binners of e with naiveBin on values around every edge and on
// random ones.
func checkBinner(t testing.TB, e Edges, r *rand.Rand) {
	t.Helper()
	b32, b64 := binner32(e), binner64(e)
	var vs []float64
	for _, v := range e.e {
		f := float32(v)
		vs = append(vs, v, math.Nextafter(v, math.Inf(1)), math.Nextafter(v, math.Inf(-1)), float64(f),
			float64(math.Nextafter32(f, float32(math.Inf(1)))), float64(math.Nextafter32(f, float32(math.Inf(-1)))))
	}
	lo, hi := e.e[0], e.e[len(e.e)-1]
	for range 200 {
		vs = append(vs, lo+(hi-lo)*(r.Float64()*1.2-0.1), math.Float64frombits(r.Uint64()), float64(math.Float32frombits(r.Uint32())))
	}
	vs = append(vs, 0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1))
	for _, v := range vs {
		f := float32(v)
		if got, want := b32.binOf(key32(f)), naiveBin(e.e, float64(f)); got != want {
			t.Fatalf("%s: float32 %v in bin %d, want %d", around(e.e, want, got), f, got, want)
		}
		if got, want := b64.binOf(key64(v)), naiveBin(e.e, v); got != want {
			t.Fatalf("%s: float64 %v in bin %d, want %d", around(e.e, want, got), v, got, want)
		}
		if got, want := e.Bin(v), naiveBin(e.e, v); got != want {
			t.Fatalf("%s: Edges.Bin(%v) = %d, want %d", around(e.e, want, got), v, got, want)
		}
	}
}

// around describes the edges near bins i and j.
func around(e []float64, i, j int) string {
	lo, hi := max(min(i, j)-1, 0), min(max(i, j)+3, len(e))
	return fmt.Sprintf("%d edges, [%d:%d] = %v", len(e), lo, hi, e[lo:hi])
}

func TestBinnerRandomEdges(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		n := 2 + r.IntN(40)
		if i%10 == 0 {
			n = 2 + r.IntN(3000)
		}
		e := make([]float64, 0, n)
		x := r.NormFloat64() * math.Pow(10, float64(r.IntN(20)-10))
		for j := 0; j < n && x < 3e38; j++ {
			e = append(e, x)
			switch r.IntN(4) {
			case 0: // clustered within a few float32 ulps
				x = float64(math.Nextafter32(float32(x), float32(math.Inf(1))))
				if x <= e[j] {
					x = math.Nextafter(e[j], math.Inf(1))
				}
			case 1:
				x = math.Nextafter(x, math.Inf(1))
			default:
				x += math.Abs(x)*r.Float64() + 1e-30
			}
		}
		ed, err := NewEdges(e)
		if err != nil {
			if len(e) < 2 {
				continue
			}
			t.Fatalf("%d edges from %v: %v", len(e), e[0], err)
		}
		checkBinner(t, ed, r)
	}
}

// TestBinnerMaxBins checks the largest histogram: 32767 bins, many per table bucket.
func TestBinnerMaxBins(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, e := range [][]float64{linspaceOrDie(t, 0, 1, maxBins+1), linspaceOrDie(t, 1, 1+1e-3, maxBins+1)} {
		ed, err := NewEdges(e)
		if err != nil {
			t.Fatal(err)
		}
		checkBinner(t, ed, r)
	}
}

func linspaceOrDie(t *testing.T, start, stop float64, n int) []float64 {
	t.Helper()
	e, err := Linspace(start, stop, n, true)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestHistSpecErrors(t *testing.T) {
	e := seedEdges(t)
	for _, c := range []struct {
		name string
		spec HistSpec
		want string
	}{
		{"no edges", HistSpec{Shape: []int{3}}, "HISTOGRAM: no bin edges"},
		{"hist dim", HistSpec{Edges: e, Shape: []int{3, 4}, HistDim: 2}, "HISTOGRAM: histogram dimension 2 out of range for 2 dimensions"},
		{"group range", HistSpec{Edges: e, Shape: []int{3, 4}, HistDim: 1, GroupDims: []int{2}}, "HISTOGRAM: group dimension 2 out of range for 2 dimensions"},
		{"group is hist", HistSpec{Edges: e, Shape: []int{3, 4}, HistDim: 1, GroupDims: []int{1}}, "HISTOGRAM: dimension 1 cannot be both grouped and histogrammed"},
		{"groups order", HistSpec{Edges: e, Shape: []int{3, 4, 5}, HistDim: 0, GroupDims: []int{2, 1}}, "HISTOGRAM: group dimensions must be ascending and distinct: [2 1]"},
		{"negative", HistSpec{Edges: e, Shape: []int{3, -4}}, "HISTOGRAM: bad array shape [3 -4]"},
		{"overflow", HistSpec{Edges: e, Shape: []int{1 << 40, 1 << 40}}, "HISTOGRAM: bad array shape [1099511627776 1099511627776]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := NewHist(c.spec); err == nil || err.Error() != c.want {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
}

func TestHistAddErrors(t *testing.T) {
	h, err := NewHist(HistSpec{Edges: seedEdges(t), Shape: []int{2, 3, 4}, HistDim: 2, GroupDims: []int{1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		offset int
		n      int
		want   string
	}{
		{"partial row", 0, 3, "HISTOGRAM: cells [0, 3) are not whole rows of 4"},
		{"unaligned", 2, 4, "HISTOGRAM: cells [2, 6) are not whole rows of 4"},
		{"past end", 20, 8, "HISTOGRAM: cells [20, 28) outside the array of 24 cells"},
		{"negative", -4, 4, "HISTOGRAM: cells [-4, 0) outside the array of 24 cells"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := h.Add32(c.offset, make([]float32, c.n)); err == nil || err.Error() != c.want {
				t.Fatalf("Add32: %v, want %q", err, c.want)
			}
			if err := h.Add64(c.offset, make([]float64, c.n)); err == nil || err.Error() != c.want {
				t.Fatalf("Add64: %v, want %q", err, c.want)
			}
		})
	}
}

func TestHistCountsMerge(t *testing.T) {
	e := seedEdges(t)
	spec := HistSpec{Edges: e, Shape: []int{6, 2, 5}, HistDim: 2, GroupDims: []int{1}}
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float32, 60)
	for i := range x {
		x[i] = float32(r.ExpFloat64() * 1e-3)
	}
	whole, _ := NewHist(spec)
	a, _ := NewHist(spec)
	b, _ := NewHist(spec)
	if err := whole.Add32(0, x); err != nil {
		t.Fatal(err)
	}
	if err := a.Add32(0, x[:20]); err != nil {
		t.Fatal(err)
	}
	if err := b.Add32(20, x[20:]); err != nil {
		t.Fatal(err)
	}
	m := b.Counts()
	if err := m.Merge(a.Counts()); err != nil {
		t.Fatal(err)
	}
	w := whole.Counts()
	if !slices.Equal(m.Counts, w.Counts) || !slices.Equal(m.Cells, w.Cells) || m.Histograms(1) != 6 {
		t.Fatalf("merged %v %v, whole %v %v", m.Counts, m.Cells, w.Counts, w.Cells)
	}
	other, _ := NewHist(HistSpec{Edges: e, Shape: []int{6, 10}, HistDim: 1})
	if err := m.Merge(other.Counts()); err == nil {
		t.Fatal("merged counts of different shapes")
	}
	if v := (&HistCounts{Bins: 1, HistLen: 3, Counts: []int64{0}, Cells: []int64{0}}).Mean(0, 0); !math.IsNaN(v) {
		t.Fatalf("mean over no histograms = %v, want NaN", v)
	}
}

// TestHistWideScale: numpy multiplies float32 data by a Python float from 3.4e38 up in
// float64, and by anything smaller in float32 (counts from numpy.histogram).
func TestHistWideScale(t *testing.T) {
	e, err := NewEdges([]float64{0, 1e38, 1e39, 1e300})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		scale float64
		want  []int64
	}{
		{1e39, []int64{0, 1, 2}},
		{1e38, []int64{2, 1, 0}},
		{3.4e38, []int64{0, 3, 0}}, // in float32, 2*3.4e38 would overflow to +Inf
	} {
		h, err := NewHist(HistSpec{Edges: e, Shape: []int{3}, Scale: c.scale})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Add32(0, []float32{1, 2, 0.5}); err != nil {
			t.Fatal(err)
		}
		if got := h.Counts().Counts; !slices.Equal(got, c.want) {
			t.Errorf("scale %v: counts %v, numpy %v", c.scale, got, c.want)
		}
	}
}
