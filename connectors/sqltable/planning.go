package sqltable

import (
	"fmt"
	"strings"

	"github.com/dolthub/go-mysql-server/sql"
)

// What a planner needs of a table to compile queries over it into array plans: the
// positions a lookup selects and the coordinate values.

// Span is the positions Lo <= i < Hi of one dimension.
type Span struct{ Lo, Hi int64 }

// Selection returns the positions of every dimension that lookup selects (all of them
// when lookup is nil), sorted and disjoint, in dimension order.
func (t *Table) Selection(ctx *sql.Context, lookup *sql.IndexLookup) ([][]Span, error) {
	if err := t.meta.load(ctx); err != nil {
		return nil, err
	}
	sel := fullSelection(t.meta.dims)
	if lookup != nil && lookup.Ranges != nil {
		s, err := selectionOf(*lookup)
		if err != nil {
			return nil, err
		}
		sel = s
	}
	out := make([][]Span, len(sel))
	for d, ss := range sel {
		out[d] = make([]Span, len(ss))
		for i, s := range ss {
			out[d][i] = Span{s.lo, s.hi}
		}
	}
	return out, nil
}

// CoordValues returns the SQL value of dimension column dim at every position, as rows
// carry them (positions, as int64, when the dimension has no coordinate).
func (t *Table) CoordValues(ctx *sql.Context, dim string) ([]any, error) {
	if err := t.meta.load(ctx); err != nil {
		return nil, err
	}
	for _, d := range t.meta.dims {
		if strings.EqualFold(d.name, dim) {
			out := make([]any, d.size)
			for i := range out {
				out[i] = d.value(int64(i))
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("table %s has no dimension %s", t.meta.name, dim)
}
