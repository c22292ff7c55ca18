package distributed

import (
	"fmt"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/zarrsql/zarrsql/functions/kernels"
	"github.com/zarrsql/zarrsql/planner"
)

// partialDecoder accumulates the record batches of one partial, in order.
type partialDecoder struct {
	kind  string
	cells int64
	hist  *kernels.HistCounts
	agg   *kernels.AggState
}

// newPartialDecoder reads a partial stream's schema metadata.
func newPartialDecoder(s *arrow.Schema) (*partialDecoder, error) {
	md := s.Metadata()
	get := func(k string) (int64, error) {
		i := md.FindKey(k)
		if i < 0 {
			return 0, fmt.Errorf("decode partial: schema without %s", k)
		}
		return strconv.ParseInt(md.Values()[i], 10, 64)
	}
	d := &partialDecoder{}
	if i := md.FindKey(metaKind); i >= 0 {
		d.kind = md.Values()[i]
	}
	var err error
	if d.cells, err = get(metaCells); err != nil {
		return nil, err
	}
	switch d.kind {
	case kindHist:
		return d, d.initHist(get)
	case kindAgg:
		ops, err := get(metaOps)
		d.agg = &kernels.AggState{Ops: kernels.AggOp(ops)}
		return d, err
	}
	return nil, fmt.Errorf("decode partial: unknown kind %q", d.kind)
}

func (d *partialDecoder) initHist(get func(string) (int64, error)) error {
	bins, err := get(metaBins)
	if err != nil {
		return err
	}
	hl, err := get(metaHistLen)
	if err != nil {
		return err
	}
	if bins <= 0 || bins > 1<<24 {
		return fmt.Errorf("decode partial: %d bins", bins)
	}
	d.hist = &kernels.HistCounts{Bins: int(bins), HistLen: int(hl), Counts: []int64{}, Cells: []int64{}}
	return nil
}

// add appends one record batch's rows.
func (d *partialDecoder) add(rec arrow.Record) error {
	if d.hist != nil {
		return d.addHist(rec)
	}
	return d.addAgg(rec)
}

func (d *partialDecoder) addHist(rec arrow.Record) error {
	h := d.hist
	if rec.NumCols() != 2 {
		return fmt.Errorf("decode histogram counts: %d columns", rec.NumCols())
	}
	list, ok := rec.Column(0).(*array.FixedSizeList)
	if !ok || list.DataType().(*arrow.FixedSizeListType).Len() != int32(h.Bins) || list.NullN() > 0 {
		return fmt.Errorf("decode histogram counts: column %s, want fixed_size_list<int64>[%d]", rec.Column(0).DataType(), h.Bins)
	}
	vals, err := appendValues([]int64(nil), list.ListValues())
	if err != nil {
		return fmt.Errorf("decode histogram counts: %w", err)
	}
	lo, hi := list.Offset()*h.Bins, (list.Offset()+list.Len())*h.Bins
	if hi > len(vals) {
		return fmt.Errorf("decode histogram counts: %d values for %d groups", len(vals), list.Len())
	}
	h.Counts = append(h.Counts, vals[lo:hi]...)
	h.Cells, err = appendValues(h.Cells, rec.Column(1))
	if err != nil || len(h.Counts) != len(h.Cells)*h.Bins {
		return fmt.Errorf("decode histogram cells: %d counts for %d groups (%v)", len(h.Counts), len(h.Cells), err)
	}
	return nil
}

func (d *partialDecoder) addAgg(rec arrow.Record) error {
	s := d.agg
	for i, f := range rec.Schema().Fields() {
		var err error
		c := rec.Column(i)
		switch f.Name {
		case "cells":
			s.Cells, err = appendValues(s.Cells, c)
		case "count":
			s.Count, err = appendValues(s.Count, c)
		case "sum":
			s.Sum, err = appendValues(s.Sum, c)
		case "sum32":
			s.Sum32, err = appendValues(s.Sum32, c)
		case "min":
			s.Min, err = appendValues(s.Min, c)
		case "max":
			s.Max, err = appendValues(s.Max, c)
		default:
			err = fmt.Errorf("unknown column")
		}
		if err != nil {
			return fmt.Errorf("decode aggregates: column %s: %w", f.Name, err)
		}
	}
	return nil
}

// appendValues appends a's values (with its offset, without nulls) to dst.
func appendValues[T int64 | float64 | float32](dst []T, a arrow.Array) ([]T, error) {
	if a.NullN() > 0 {
		return dst, fmt.Errorf("%d nulls", a.NullN())
	}
	var v any
	switch c := a.(type) {
	case *array.Int64:
		v = c.Int64Values()
	case *array.Float64:
		v = c.Float64Values()
	case *array.Float32:
		v = c.Float32Values()
	}
	t, ok := v.([]T)
	if !ok {
		return dst, fmt.Errorf("type %s, want %T", a.DataType(), t)
	}
	if dst == nil {
		dst = make([]T, 0, len(t))
	}
	return append(dst, t...), nil
}

// partial returns the decoded partial after the last batch.
func (d *partialDecoder) partial() (*planner.Partial, error) {
	if d.hist != nil {
		return &planner.Partial{Hist: d.hist, Cells: d.cells}, nil
	}
	s := d.agg
	if s.Cells == nil {
		s.Cells = []int64{}
	}
	fillEmpty(s)
	if err := checkAgg(s); err != nil {
		return nil, fmt.Errorf("decode aggregates: %w", err)
	}
	return &planner.Partial{Agg: s, Cells: d.cells}, nil
}

// fillEmpty gives an empty state (no groups, no rows) the empty slices its ops ask for.
func fillEmpty(s *kernels.AggState) {
	if len(s.Cells) > 0 {
		return
	}
	if s.Ops&kernels.AggCount != 0 && s.Count == nil {
		s.Count = []int64{}
	}
	if s.Ops&kernels.AggSum != 0 && s.Sum == nil {
		s.Sum = []float64{}
	}
	if s.Ops&kernels.AggSum32 != 0 && s.Sum32 == nil {
		s.Sum32 = []float32{}
	}
	if s.Ops&kernels.AggMin != 0 && s.Min == nil {
		s.Min = []float64{}
	}
	if s.Ops&kernels.AggMax != 0 && s.Max == nil {
		s.Max = []float64{}
	}
}
