package planner

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInput checks that bad arguments of the array functions fail with errors that
// name the function and the argument, on both paths.
func TestBadInput(t *testing.T) {
	stores := map[string]string{
		"era5": filepath.Join(corpus, "era5-small.zarr"),
		"lens": filepath.Join(corpus, "lens-small.zarr"),
	}
	hist := func(edges string) string {
		return "SELECT latitude, HISTOGRAM(tp, " + edges + ") FROM era5 GROUP BY latitude"
	}
	for _, c := range []struct{ name, q, want string }{
		{"unsorted edges", hist("'[0, 2, 1]'"), "HISTOGRAM: argument 2 (edges) is invalid: edges must be strictly increasing: edge 2 (1) <= edge 1 (2)"},
		{"empty edges", hist("'[]'"), "HISTOGRAM: argument 2 (edges) is invalid: need at least 2 bin edges, got 0"},
		{"one edge", hist("EDGES(1)"), "EDGES: argument 1 (part) is invalid: need at least 2 bin edges, got 1"},
		{"edges not numbers", hist("'[0, \"a\"]'"), "HISTOGRAM: argument 2 (edges) must be a JSON array of numbers"},
		{"edges from a column", hist("tp"), "HISTOGRAM: argument 2 (edges) must be a constant"},
		{"NaN-free edges", hist("LINSPACE(0, 1, 1)"), "HISTOGRAM: argument 2 (edges) is invalid: need at least 2 bin edges, got 1"},
		{"logspace num", hist("LOGSPACE(-5, 0, -1)"), "LOGSPACE: argument 3 (num)"},
		{"coarsen a variable", "SELECT COARSEN(tp, 6) AS t, SUM(tp) FROM era5 GROUP BY t", "COARSEN: argument 1 (dimension) tp is not a dimension of era5 (dimensions: time, latitude, longitude)"},
		{"coarsen n = 0", "SELECT COARSEN(time, 0) AS t, SUM(tp) FROM era5 GROUP BY t", "COARSEN: argument 2 (n) must be a window of at least 1 position, got 0"},
		{"coarsen n < 0", "SELECT COARSEN(time, -6) AS t, SUM(tp) FROM era5 GROUP BY t", "COARSEN: argument 2 (n) must be a window of at least 1 position, got -6"},
		{"coarsen n not a constant", "SELECT COARSEN(time, latitude) AS t, SUM(tp) FROM era5 GROUP BY t", "COARSEN: argument 2 (n) must be a constant"},
		{"coarsen bad boundary", "SELECT COARSEN(time, 6, 'cut') AS t, SUM(tp) FROM era5 GROUP BY t", "COARSEN: argument 3 (boundary) must be 'exact', 'trim' or 'pad', not 'cut'"},
		{"coarsen exact, not divisible", "SELECT COARSEN(time, 7) AS t, SUM(tp) FROM era5 WHERE time >= '1990-01-01' GROUP BY t",
			"COARSEN: argument 3 (boundary) 'exact': the query selects 90 positions of time, not a multiple of the window 7; use boundary 'trim' or 'pad'"},
		{"coarsen an expression", "SELECT COARSEN(latitude + 1, 2) AS t, SUM(tp) FROM era5 GROUP BY t", "COARSEN: argument 1 (dimension) must be a dimension column of a Zarr table"},
		{"index_of a variable", "SELECT COUNT(*) FROM lens WHERE INDEX_OF(PRECT) = 0", "INDEX_OF: argument 1 (dimension) PRECT is not a dimension of lens"},
		{"histogram arity", "SELECT HISTOGRAM(tp) FROM era5", "HISTOGRAM"},
	} {
		for _, rowOnly := range []bool{false, true} {
			e := newEngine(t, rowOnly, stores)
			_, err := e.query(c.q)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s (%s): %s\ngot  %v\nwant %s", c.name, pathName(rowOnly), c.q, err, c.want)
			}
		}
	}
}

// TestLimits checks the array path's group cap and the row path's up-front cell cap.
func TestLimits(t *testing.T) {
	e := newEngine(t, false, corpusStores())
	e.opts(func(o *Options) { o.MaxGroups = 100; o.MaxRowCells = 1000 })
	for _, c := range []struct{ q, want string }{
		{"SELECT time, latitude, SUM(tp) FROM era5 GROUP BY time, latitude", "would hold 7300 groups of partial aggregates, over the cap of 100"},
		{"SELECT latitude, SUM(tp) FROM era5 WHERE tp > 0 GROUP BY latitude", "the row path would scan 1051200 cells"},
	} {
		if _, err := e.query(c.q); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.q, err, c.want)
		}
	}
	if rows := e.mustQuery("SELECT latitude, SUM(tp) FROM era5 GROUP BY latitude"); len(rows) != 73 {
		t.Errorf("73 groups under the cap: got %d rows", len(rows))
	}
}
