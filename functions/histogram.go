package functions

import (
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/types"
	"github.com/zarrsql/zarrsql/functions/kernels"
)

// Histogram is the aggregate HISTOGRAM(x, edges): the number of the group's values in
// each bin, as a JSON array of len(edges)-1 counts, zeros included — numpy.histogram
// (and xhistogram's histogram along the dimensions that are not grouped by). Bins are
// [e[i], e[i+1]), the last one closed; NULL, NaN and values outside the edges are not
// counted. Comparisons are in float64.
type Histogram struct {
	aggBase
	cache *edgesCache
}

var _ sql.Aggregation = (*Histogram)(nil)

func newHistogram(_ *sql.Context, args ...sql.Expression) (sql.Expression, error) {
	if err := arity("HISTOGRAM", args, 2, 2); err != nil {
		return nil, err
	}
	return &Histogram{aggBase: aggBase{name: "HISTOGRAM", args: args}, cache: &edgesCache{fn: "HISTOGRAM", arg: 2}}, nil
}

// X returns the histogrammed expression.
func (h *Histogram) X() sql.Expression { return h.args[0] }

// Edges evaluates the edges argument.
func (h *Histogram) Edges(ctx *sql.Context) (kernels.Edges, error) {
	return h.cache.get(ctx, h.args[1])
}

func (h *Histogram) Type(*sql.Context) sql.Type   { return types.JSON }
func (h *Histogram) IsNullable(*sql.Context) bool { return false }

// WithChildren implements sql.Expression.
func (h *Histogram) WithChildren(_ *sql.Context, children ...sql.Expression) (sql.Expression, error) {
	b, err := h.withArgs(children)
	if err != nil {
		return nil, err
	}
	return &Histogram{aggBase: b, cache: &edgesCache{fn: "HISTOGRAM", arg: 2}}, nil
}

// WithId implements sql.IdExpression.
func (h *Histogram) WithId(id sql.ColumnId) sql.IdExpression {
	nh := *h
	nh.id = id
	return &nh
}

// WithWindow implements sql.WindowAdaptableExpression.
func (h *Histogram) WithWindow(_ *sql.Context, w *sql.WindowDefinition) sql.WindowAdaptableExpression {
	nh := *h
	nh.win = w
	return &nh
}

// NewBuffer implements sql.Aggregation. Errors wait for Eval (see deferredErr).
func (h *Histogram) NewBuffer(ctx *sql.Context) (sql.AggregationBuffer, error) {
	edges, err := h.Edges(ctx)
	b := &histBuffer{x: h.args[0], edges: edges, deferredErr: deferredErr{err: err}}
	if err == nil {
		b.counts = make([]int64, edges.Bins())
	}
	return b, nil
}

// deferredErr keeps an aggregate's first error for Eval: GMS's grouping iterator
// deadlocks when NewBuffer or Update fail (its row producer blocks on a full channel
// that the failed consumer no longer drains), so aggregates here never fail there.
type deferredErr struct{ err error }

type histBuffer struct {
	deferredErr
	x      sql.Expression
	edges  kernels.Edges
	counts []int64
}

func (b *histBuffer) Update(ctx *sql.Context, row sql.Row) error {
	if b.err != nil {
		return nil
	}
	v, err := b.x.Eval(ctx, row)
	if err != nil || v == nil {
		b.err = err
		return nil
	}
	f, ok := ToFloat(v)
	if !ok {
		b.err = argError("HISTOGRAM", 1, "x", "must be a number, not %v", v)
		return nil
	}
	if i := b.edges.Bin(f); i >= 0 {
		b.counts[i]++
	}
	return nil
}

func (b *histBuffer) Eval(*sql.Context) (any, error) {
	if b.err != nil {
		return nil, b.err
	}
	return CountsJSON(b.counts), nil
}
func (b *histBuffer) Dispose(*sql.Context) {}

// CountsJSON returns histogram counts as HISTOGRAM's JSON array.
func CountsJSON(counts []int64) sql.JSONWrapper {
	out := make([]any, len(counts))
	for i, c := range counts {
		out[i] = float64(c)
	}
	return jsonArray(out)
}
