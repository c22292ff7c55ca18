package distributed

import (
	"fmt"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/zarrsql/zarrsql/functions/kernels"
	"github.com/zarrsql/zarrsql/planner"
)

// A Partial travels as Arrow record batches of one row per group:
//
//	histogram: counts FixedSizeList<int64>[bins], cells int64
//	aggregate: cells int64, then count int64, sum float64, sum32 float32, min float64,
//	           max float64 as the state's ops keep them (empty min/max groups are ±Inf)
//
// The schema's metadata says which (keys below) and carries the scalars.
const (
	metaKind    = "zarrsql.kind" // kindHist or kindAgg
	metaBins    = "zarrsql.bins"
	metaHistLen = "zarrsql.hist_len"
	metaOps     = "zarrsql.ops"
	metaCells   = "zarrsql.cells" // Partial.Cells

	kindHist = "hist"
	kindAgg  = "agg"
)

// maxBatchBytes bounds the raw size of one record batch (one Flight message), well
// under gRPC's message limits.
const maxBatchBytes = 1 << 20

// partialRecord returns p as one record over p's own slices (no copy).
func partialRecord(p *planner.Partial) (arrow.Record, error) {
	switch {
	case p.Hist != nil:
		return histRecord(p.Hist, p.Cells)
	case p.Agg != nil:
		return aggRecord(p.Agg, p.Cells)
	}
	return nil, fmt.Errorf("encode partial: neither histogram counts nor aggregates")
}

func histRecord(h *kernels.HistCounts, cells int64) (arrow.Record, error) {
	groups := len(h.Cells)
	if h.Bins <= 0 || len(h.Counts) != groups*h.Bins {
		return nil, fmt.Errorf("encode histogram counts: %d counts for %d groups of %d bins", len(h.Counts), groups, h.Bins)
	}
	md := arrow.NewMetadata([]string{metaKind, metaBins, metaHistLen, metaCells},
		[]string{kindHist, strconv.Itoa(h.Bins), strconv.Itoa(h.HistLen), strconv.FormatInt(cells, 10)})
	lt := arrow.FixedSizeListOf(int32(h.Bins), arrow.PrimitiveTypes.Int64)
	counts := column(arrow.PrimitiveTypes.Int64, h.Counts)
	defer counts.Release()
	list := array.NewData(lt, groups, []*memory.Buffer{nil}, []arrow.ArrayData{counts}, 0, 0)
	fields := []arrow.Field{{Name: "counts", Type: lt}, {Name: "cells", Type: arrow.PrimitiveTypes.Int64}}
	return newRecord(arrow.NewSchema(fields, &md), []arrow.ArrayData{list, column(arrow.PrimitiveTypes.Int64, h.Cells)}, groups), nil
}

func aggRecord(s *kernels.AggState, cells int64) (arrow.Record, error) {
	if err := checkAgg(s); err != nil {
		return nil, fmt.Errorf("encode aggregates: %w", err)
	}
	md := arrow.NewMetadata([]string{metaKind, metaOps, metaCells},
		[]string{kindAgg, strconv.Itoa(int(s.Ops)), strconv.FormatInt(cells, 10)})
	var fields []arrow.Field
	var cols []arrow.ArrayData
	add := func(name string, d arrow.ArrayData) {
		fields = append(fields, arrow.Field{Name: name, Type: d.DataType()})
		cols = append(cols, d)
	}
	add("cells", column(arrow.PrimitiveTypes.Int64, s.Cells))
	if s.Count != nil {
		add("count", column(arrow.PrimitiveTypes.Int64, s.Count))
	}
	if s.Sum != nil {
		add("sum", column(arrow.PrimitiveTypes.Float64, s.Sum))
	}
	if s.Sum32 != nil {
		add("sum32", column(arrow.PrimitiveTypes.Float32, s.Sum32))
	}
	if s.Min != nil {
		add("min", column(arrow.PrimitiveTypes.Float64, s.Min))
	}
	if s.Max != nil {
		add("max", column(arrow.PrimitiveTypes.Float64, s.Max))
	}
	return newRecord(arrow.NewSchema(fields, &md), cols, len(s.Cells)), nil
}

// checkAgg checks that s holds exactly the states its ops ask for, one per group.
func checkAgg(s *kernels.AggState) error {
	n := len(s.Cells)
	ok := func(op kernels.AggOp, l int, isNil bool) bool {
		return s.Ops&op == 0 && isNil || s.Ops&op != 0 && l == n
	}
	if !ok(kernels.AggCount, len(s.Count), s.Count == nil) || !ok(kernels.AggSum, len(s.Sum), s.Sum == nil) ||
		!ok(kernels.AggSum32, len(s.Sum32), s.Sum32 == nil) || !ok(kernels.AggMin, len(s.Min), s.Min == nil) ||
		!ok(kernels.AggMax, len(s.Max), s.Max == nil) {
		return fmt.Errorf("states of ops %#x do not all hold %d groups", s.Ops, n)
	}
	return nil
}

// column is an Arrow array over v's memory.
func column[T int64 | float64 | float32](dt arrow.DataType, v []T) arrow.ArrayData {
	return array.NewData(dt, len(v), []*memory.Buffer{nil, memory.NewBufferBytes(arrow.GetBytes(v))}, nil, 0, 0)
}

// newRecord builds a record of the columns and releases them.
func newRecord(schema *arrow.Schema, cols []arrow.ArrayData, rows int) arrow.Record {
	arrs := make([]arrow.Array, len(cols))
	for i, c := range cols {
		arrs[i] = array.MakeFromData(c)
		c.Release()
	}
	rec := array.NewRecord(schema, arrs, int64(rows))
	for _, a := range arrs {
		a.Release()
	}
	return rec
}

// batches splits rec into slices of at most maxBatchBytes (at least one row each, and
// one empty batch for an empty record). The caller releases them.
func batches(rec arrow.Record, rowBytes int) []arrow.Record {
	n := rec.NumRows()
	step := max(int64(maxBatchBytes/max(rowBytes, 1)), 1)
	if n == 0 {
		rec.Retain()
		return []arrow.Record{rec}
	}
	var out []arrow.Record
	for i := int64(0); i < n; i += step {
		out = append(out, rec.NewSlice(i, min(i+step, n)))
	}
	return out
}

// rowBytes is the raw size of one row of a partial's record.
func rowBytes(p *planner.Partial) int {
	if p.Hist != nil {
		return 8*p.Hist.Bins + 8
	}
	s := p.Agg
	return 8*(1+nonNil(s.Count)+nonNil(s.Sum)+nonNil(s.Min)+nonNil(s.Max)) + 4*nonNil(s.Sum32)
}

func nonNil[T any](s []T) int {
	if s == nil {
		return 0
	}
	return 1
}

// groupsOf is the number of rows a partial's record has.
func groupsOf(p *planner.Partial) int {
	switch {
	case p.Hist != nil:
		return len(p.Hist.Cells)
	case p.Agg != nil:
		return len(p.Agg.Cells)
	}
	return 0
}

// PartialBytes is the raw size of a partial's values: 8 bytes per count, cell count,
// sum, min or max, 4 per float32 sum. Bytes sent for it are compared with this.
func PartialBytes(p *planner.Partial) int64 {
	if p.Hist == nil && p.Agg == nil {
		return 0
	}
	return int64(rowBytes(p)) * int64(groupsOf(p))
}
