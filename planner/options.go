package planner

import "runtime"

// Options are the array path's limits.
type Options struct {
	// Workers is how many chunks are decoded and aggregated at once; 0 means GOMAXPROCS.
	Workers int
	// MaxGroups bounds the groups of one array plan's partial aggregates (memory).
	MaxGroups int
	// MaxRowCells fails, before it starts, a GROUP BY left to the row path that would
	// scan more cells (0: no check here; the tables still enforce their cap).
	MaxRowCells int64
	// Disabled leaves every query to the row path (for comparing the two).
	Disabled bool
}

// DefaultMaxGroups is Options.MaxGroups' default: 16M groups, ~1.5 GB of partials at
// most for an AVG.
const DefaultMaxGroups = 1 << 24

func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.MaxGroups <= 0 {
		o.MaxGroups = DefaultMaxGroups
	}
	return o
}
