package functions

import (
	"time"
)

// Key returns the map key of a dimension column's SQL value: times by their instant,
// numbers by value. Values of one column have one Go type, so keys of one axis compare
// as the values do.
func Key(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UnixNano()
	case []byte:
		return string(x)
	}
	return v
}

// Axis maps the SQL values of a dimension column to positions.
type Axis struct {
	Dim   string
	index map[any]int64
}

// NewAxis returns the axis of a dimension whose position i holds values[i].
func NewAxis(dim string, values []any) *Axis {
	a := &Axis{Dim: dim, index: make(map[any]int64, len(values))}
	for i, v := range values {
		if _, dup := a.index[Key(v)]; !dup {
			a.index[Key(v)] = int64(i)
		}
	}
	return a
}

// Position returns the position holding v.
func (a *Axis) Position(v any) (int64, bool) {
	p, ok := a.index[Key(v)]
	return p, ok
}
