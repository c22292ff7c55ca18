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
	// Runner runs plans as fragments on executors; nil runs them in-process.
	Runner Runner
	// FragmentChunks is about how many chunks along the split dimension one fragment
	// reads (with a Runner); 0 means DefaultFragmentChunks.
	FragmentChunks int
	// Disabled leaves every query to the row path (for comparing the two).
	Disabled bool
}

// DefaultFragmentChunks is Options.FragmentChunks' default: 4 chunks (4 x 129 MB
// decoded for ERA5) per fragment.
const DefaultFragmentChunks = 4

// DefaultMaxGroups is Options.MaxGroups' default: 16M groups, ~1.5 GB of partials at
// most for an AVG.
const DefaultMaxGroups = 1 << 24

func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.FragmentChunks <= 0 {
		o.FragmentChunks = DefaultFragmentChunks
	}
	if o.MaxGroups <= 0 {
		o.MaxGroups = DefaultMaxGroups
	}
	return o
}
