package planner

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSeedCorpus runs examples/*.sql, as they are, over the corpus stores on both paths
// and compares them with xarray's results.
func TestSeedCorpus(t *testing.T) {
	stores := map[string]string{
		"era5": filepath.Join(corpus, "era5-small.zarr"),
		"lens": filepath.Join(corpus, "lens-small.zarr"),
	}
	for _, c := range []struct{ file, csv string }{
		{"era5_histogram.sql", "era5-small.hist.csv"},
		{"lens_histogram.sql", "lens-small.hist.csv"},
	} {
		q := example(t, c.file)
		want := readHistCSV(t, filepath.Join(corpus, c.csv))
		for _, rowOnly := range []bool{false, true} {
			e := newEngine(t, rowOnly, stores)
			checkPath(t, e, q, rowOnly)
			compareHist(t, pathName(rowOnly)+" "+c.file, e.mustQuery(q), want)
		}
	}
}

func pathName(rowOnly bool) string {
	if rowOnly {
		return "row path"
	}
	return "array path"
}

// checkPath checks that EXPLAIN shows the path expected.
func checkPath(t *testing.T, e *engine, q string, rowOnly bool) {
	t.Helper()
	if got := strings.Contains(e.explain(q), "ArrayPlan"); got == rowOnly {
		t.Fatalf("%s expected; EXPLAIN:\n%s", pathName(rowOnly), e.explain(q))
	}
}

// storeCase is one entry of testdata/stores/cases.json.
type storeCase struct {
	Name     string  `json:"name"`
	Kind     string  `json:"kind"`
	Store    string  `json:"store"`
	CSV      string  `json:"csv"`
	TimeLo   *string `json:"time_lo"`
	TimeHiEx *string `json:"time_hi_exclusive"`
}

// TestSeedStores runs the seed queries over stores of other seeds, shapes, chunkings,
// selections, NaN patterns and edge values, on both paths.
func TestSeedStores(t *testing.T) {
	dir := filepath.Join("testdata", "stores")
	b, err := os.ReadFile(filepath.Join(dir, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []storeCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			q := caseQuery(t, c)
			want := readHistCSV(t, filepath.Join(dir, c.CSV))
			for _, rowOnly := range []bool{false, true} {
				e := newEngine(t, rowOnly, map[string]string{c.Kind: filepath.Join(dir, c.Store)})
				checkPath(t, e, q, rowOnly)
				compareHist(t, pathName(rowOnly), e.mustQuery(q), want)
			}
			e := newEngine(t, false, map[string]string{c.Kind: filepath.Join(dir, c.Store)})
			e.opts(func(o *Options) { o.Runner, o.FragmentChunks = &jsonRunner{t: t}, 1 })
			compareHist(t, "fragments of one chunk", e.mustQuery(q), want)
		})
	}
}

// caseQuery is the example query with the case's time selection.
func caseQuery(t *testing.T, c storeCase) string {
	q := example(t, c.Kind+"_histogram.sql")
	if c.Kind != "era5" {
		return q
	}
	lo, hi := "1800-01-01", "2200-01-01"
	if c.TimeLo != nil {
		lo = *c.TimeLo
	}
	if c.TimeHiEx != nil {
		hi = *c.TimeHiEx
	}
	const sel = "time >= '1990-01-01' AND time < '2006-01-01'"
	if !strings.Contains(q, sel) {
		t.Fatalf("era5_histogram.sql no longer holds %q", sel)
	}
	return strings.Replace(q, sel, "time >= '"+lo+"' AND time < '"+hi+"'", 1)
}
