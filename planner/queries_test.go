package planner

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dolthub/go-mysql-server/sql"
)

var update = flag.Bool("update", false, "rewrite the golden plans under testdata/plans")

// planQueries are queries over the corpus stores: for each, whether the array path
// takes it, and a golden file of its EXPLAIN PLAN.
var planQueries = []struct {
	name  string
	array bool
	q     string
}{
	{"era5_histogram", true, "@era5_histogram.sql"},
	{"lens_histogram", true, "@lens_histogram.sql"},
	{"agg_by_lat", true, "SELECT latitude, COUNT(*), COUNT(tp), SUM(tp), AVG(tp), MIN(tp), MAX(tp) FROM era5 WHERE time >= '1990-01-01' GROUP BY latitude ORDER BY latitude"},
	{"agg_by_time_lat", true, "SELECT time, latitude, MAX(tp * 1000) FROM era5 WHERE latitude BETWEEN -30 AND 30 GROUP BY time, latitude ORDER BY time, latitude"},
	{"agg_global", true, "SELECT COUNT(PRECT), AVG(PRECT), MIN(PRECT), MAX(PRECT) FROM lens WHERE INDEX_OF(member_id) = 1"},
	{"agg_empty_selection", true, "SELECT latitude, SUM(tp) FROM era5 WHERE time < '1900-01-01' GROUP BY latitude"},
	{"agg_member", true, "SELECT member_id, lat, AVG(PRECT * 21600) FROM lens WHERE time < '1990-01-10' GROUP BY member_id, lat ORDER BY member_id, lat"},
	{"hist_by_time", true, "WITH h AS (SELECT time, lat, HISTOGRAM(PRECT, LINSPACE(0, 1e-6, 5)) AS c FROM lens WHERE INDEX_OF(member_id) = 2 GROUP BY time, lat) " +
		"SELECT h.time, b.bin, AVG(b.n) AS v FROM h, JSON_TABLE(h.c, '$[*]' COLUMNS (bin FOR ORDINALITY, n DOUBLE PATH '$')) b GROUP BY h.time, b.bin ORDER BY 1, 2"},
	{"row_residual_filter", false, "SELECT latitude, SUM(tp) FROM era5 WHERE tp > 0.001 GROUP BY latitude ORDER BY latitude"},
	{"row_two_variables_expr", false, "SELECT latitude, SUM(tp + 1) FROM era5 GROUP BY latitude ORDER BY latitude"},
	{"row_coarsen_sum", false, "SELECT COARSEN(time, 6, 'trim') AS t, latitude, longitude, SUM(tp) AS s FROM era5 WHERE time >= '1990-01-01' AND latitude = 0 AND longitude < 20 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"},
	{"row_coarsen_mean_pad", false, "SELECT COARSEN(time, 7, 'pad') AS t, AVG(tp) AS m FROM era5 WHERE latitude = 0 AND longitude = 0 GROUP BY 1 ORDER BY 1"},
	{"row_bin_index", false, "SELECT BIN_INDEX(tp, EDGES(0, LOGSPACE(-5, 0, 50))) AS b, COUNT(*) FROM era5 WHERE latitude = 0 GROUP BY b ORDER BY b"},
	{"row_histogram_all_dims", false, "SELECT time, latitude, longitude, HISTOGRAM(tp, '[0, 0.001, 1]') FROM era5 WHERE time < '1990-01-01' AND latitude = 0 AND longitude < 5 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"},
}

func (e *engine) text(q string) string {
	if strings.HasPrefix(q, "@") {
		return example(e.t, q[1:])
	}
	return q
}

// TestPlansGolden checks which path each query takes and the plan EXPLAIN shows.
func TestPlansGolden(t *testing.T) {
	e := newEngine(t, false, corpusStores())
	for _, c := range planQueries {
		got := e.explain(e.text(c.q))
		if strings.Contains(got, "ArrayPlan") != c.array {
			t.Errorf("%s: array path %v expected; EXPLAIN:\n%s", c.name, c.array, got)
		}
		path := filepath.Join("testdata", "plans", c.name+".txt")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./planner -run TestPlansGolden -update)", err)
		}
		if got != string(want) {
			t.Errorf("%s: plan changed (go test ./planner -run TestPlansGolden -update to accept)\ngot:\n%s\nwant:\n%s", c.name, got, want)
		}
	}
}

// TestPathsAgree runs every query on both paths: rows must be equal, floats to 1e-12
// relative (float64 sums add in a different order when chunks are aggregated in
// parallel; float32 results must be identical).
func TestPathsAgree(t *testing.T) {
	arr, row := newEngine(t, false, corpusStores()), newEngine(t, true, corpusStores())
	for _, c := range planQueries {
		a, r := arr.mustQuery(arr.text(c.q)), row.mustQuery(row.text(c.q))
		if msg := diffRows(a, r); msg != "" {
			t.Errorf("%s: array and row paths differ: %s", c.name, msg)
		}
	}
}

func corpusStores() map[string]string {
	return map[string]string{
		"era5": filepath.Join(corpus, "era5-small.zarr"),
		"lens": filepath.Join(corpus, "lens-small.zarr"),
	}
}

// diffRows compares two results as multisets of rows (GROUP BY order is unspecified
// without ORDER BY).
func diffRows(a, b []sql.Row) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d rows vs %d", len(a), len(b))
	}
	key := func(r sql.Row) string { return fmt.Sprint(roundRow(r)...) }
	sort.Slice(a, func(i, j int) bool { return key(a[i]) < key(a[j]) })
	sort.Slice(b, func(i, j int) bool { return key(b[i]) < key(b[j]) })
	for i := range a {
		for j := range a[i] {
			if !sameValue(a[i][j], b[i][j]) {
				return fmt.Sprintf("row %d column %d: %v (%T) vs %v (%T)", i, j, a[i][j], a[i][j], b[i][j], b[i][j])
			}
		}
	}
	return ""
}

var digits = regexp.MustCompile(`\d{10,}`)

func roundRow(r sql.Row) []any {
	out := make([]any, len(r))
	for i, v := range r {
		if f, ok := v.(float64); ok {
			v = digits.ReplaceAllString(fmt.Sprintf("%.9g", f), "")
		}
		out[i] = v
	}
	return out
}

func sameValue(x, y any) bool {
	fx, okx := x.(float64)
	fy, oky := y.(float64)
	if okx && oky {
		return fx == fy || math.Abs(fx-fy) <= 1e-12*math.Max(math.Abs(fx), math.Abs(fy))
	}
	if tx, ok := x.(time.Time); ok {
		ty, ok := y.(time.Time)
		return ok && tx.Equal(ty)
	}
	return fmt.Sprintf("%T %v", x, x) == fmt.Sprintf("%T %v", y, y)
}
