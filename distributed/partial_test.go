package distributed

import (
	"math"
	"reflect"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/flight"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/zarrsql/zarrsql/functions/kernels"
	"github.com/zarrsql/zarrsql/planner"
	"google.golang.org/protobuf/proto"
)

// collect is a flight.DataStreamWriter that keeps copies of the messages.
type collect struct{ msgs []*flight.FlightData }

func (c *collect) Send(fd *flight.FlightData) error {
	c.msgs = append(c.msgs, proto.Clone(fd).(*flight.FlightData))
	return nil
}

func seq[T int64 | float64 | float32](n int, f func(int) T) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

// TestPartialRoundTrip encodes partials as Arrow record batches and decodes them:
// every value comes back, ±Inf and NaN included, over several batches.
func TestPartialRoundTrip(t *testing.T) {
	inf := math.Inf(1)
	big := 300_000 // groups: several 1 MiB batches
	cases := []struct {
		name string
		p    *planner.Partial
	}{
		{"histogram", &planner.Partial{Cells: 42, Hist: &kernels.HistCounts{Bins: 3, HistLen: 7,
			Counts: []int64{1, 2, 3, 4, 5, 6}, Cells: []int64{7, 14}}}},
		{"histogram of many groups", &planner.Partial{Cells: 1, Hist: &kernels.HistCounts{Bins: 2, HistLen: 1,
			Counts: seq(2*big, func(i int) int64 { return int64(i) }), Cells: seq(big, func(i int) int64 { return int64(i) * 3 })}}},
		{"histogram without groups", &planner.Partial{Hist: &kernels.HistCounts{Bins: 50, HistLen: 1, Counts: []int64{}, Cells: []int64{}}}},
		{"aggregates with empty groups", &planner.Partial{Cells: 9, Agg: &kernels.AggState{
			Ops:   kernels.AggCount | kernels.AggSum | kernels.AggSum32 | kernels.AggMin | kernels.AggMax,
			Cells: []int64{3, 0, 6}, Count: []int64{2, 0, 6}, Sum: []float64{1.5, 0, -2}, Sum32: []float32{1.5, 0, float32(math.NaN())},
			Min: []float64{-1, inf, -inf}, Max: []float64{2, -inf, inf}}}},
		{"aggregates of many groups", &planner.Partial{Cells: 5, Agg: &kernels.AggState{Ops: kernels.AggMin,
			Cells: seq(big, func(i int) int64 { return 1 }), Min: seq(big, func(i int) float64 { return float64(i) / 7 })}}},
		{"count only, no groups", &planner.Partial{Agg: &kernels.AggState{Ops: kernels.AggCount, Cells: []int64{}, Count: []int64{}}}},
	}
	for _, c := range cases {
		for _, comp := range []string{"zstd", "none"} {
			t.Run(c.name+"/"+comp, func(t *testing.T) {
				var opts []ipc.Option
				if comp == "zstd" {
					opts = append(opts, ipc.WithZstd(), ipc.WithMinSpaceSavings(0.1))
				}
				var out collect
				if err := writePartial(&out, c.p, []byte(`{"kind":"heartbeat"}`), opts); err != nil {
					t.Fatal(err)
				}
				got, err := decodeMessages(out.msgs)
				if err != nil {
					t.Fatal(err)
				}
				if !samePartial(got, c.p) {
					t.Fatalf("decoded %+v\nwant %+v", short(got), short(c.p))
				}
			})
		}
	}
}

// samePartial compares partials, NaN equal to NaN.
func samePartial(a, b *planner.Partial) bool {
	if a.Cells != b.Cells || (a.Hist == nil) != (b.Hist == nil) {
		return false
	}
	if a.Hist != nil {
		return reflect.DeepEqual(a.Hist, b.Hist)
	}
	x, y := *a.Agg, *b.Agg
	return x.Ops == y.Ops && reflect.DeepEqual(x.Cells, y.Cells) && reflect.DeepEqual(x.Count, y.Count) &&
		sameFloats(x.Sum, y.Sum) && sameFloats(x.Sum32, y.Sum32) && sameFloats(x.Min, y.Min) && sameFloats(x.Max, y.Max)
}

func sameFloats[T float64 | float32](a, b []T) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(a[i] != a[i] && b[i] != b[i]) {
			return false
		}
	}
	return true
}

func short(p *planner.Partial) string {
	s := reflect.ValueOf(*p).String()
	if p.Hist != nil && len(p.Hist.Cells) < 10 {
		return s + " " + reflect.ValueOf(*p.Hist).String()
	}
	return s
}

// TestDecodeRejects: malformed answers are errors, not partials.
func TestDecodeRejects(t *testing.T) {
	good := &planner.Partial{Cells: 1, Hist: &kernels.HistCounts{Bins: 2, HistLen: 1, Counts: []int64{1, 2}, Cells: []int64{1}}}
	var out collect
	if err := writePartial(&out, good, nil, nil); err != nil {
		t.Fatal(err)
	}
	cases := map[string]streamResult{
		"no final message": {data: out.msgs},
		"no data":          {done: &streamMeta{Kind: metaDone}},
		"cells disagree":   {data: out.msgs, done: &streamMeta{Kind: metaDone, Cells: 2}},
		"schema only":      {data: out.msgs[:1], done: &streamMeta{Kind: metaDone, Cells: 1, Groups: 1}},
		"groups disagree":  {data: out.msgs, done: &streamMeta{Kind: metaDone, Cells: 1, Groups: 2}},
	}
	ok := streamResult{data: out.msgs, done: &streamMeta{Kind: metaDone, Cells: 1, Groups: 1}}
	if _, err := ok.partial(); err != nil {
		t.Fatalf("the good stream: %v", err)
	}
	for name, r := range cases {
		if p, err := r.partial(); err == nil {
			t.Errorf("%s: decoded %+v", name, p)
		}
	}
	bad := []*planner.Partial{
		{Hist: &kernels.HistCounts{Bins: 2, Counts: []int64{1}, Cells: []int64{1}}},
		{Agg: &kernels.AggState{Ops: kernels.AggSum, Cells: []int64{1}}},
		{},
	}
	for _, p := range bad {
		if err := writePartial(&collect{}, p, nil, nil); err == nil {
			t.Errorf("encoded the malformed %+v", p)
		}
	}
}
