package bench

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("go.opencensus.io/stats/view.(*worker).start"))
}

// TestRun runs the whole bench on a tiny store, twice: the second run reuses the store.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	o := Options{
		Dir: t.TempDir(), NLat: 9, NLon: 16, Hours: 40, SkipPython: true, Repeat: 2,
		QueryFile: filepath.Join(t.TempDir(), "absent.sql"),
		Query: "-- rows per latitude of the seed's selection\n" +
			"SELECT latitude, COUNT(*) AS n FROM era5 WHERE time >= '1990-01-01' GROUP BY latitude;\n",
	}
	for i, generated := range []bool{true, false} {
		r, err := Run(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		checkReport(t, r, generated)
		var out bytes.Buffer
		if err := r.Print(&out); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"(a) zarrsql query", "9 rows", "(b) zarrsql decode only", "skipped: --skip-python", "(a)/(b)"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("run %d: report lacks %q:\n%s", i, want, out.String())
			}
		}
	}
}

func checkReport(t *testing.T, r *Report, generated bool) {
	t.Helper()
	if r.Store.Generated != generated || r.Store.Chunks != 2 || r.Store.Cells() != 40*9*16 || r.Store.Bytes <= 0 {
		t.Errorf("store %+v: want generated %v, 2 chunks, %d cells", r.Store, generated, 40*9*16)
	}
	if r.Store.SelectedCells() != 18*9*16 {
		t.Errorf("selected cells %d, want %d", r.Store.SelectedCells(), 18*9*16)
	}
	if !r.Query.OK() || r.Rows != 9 {
		t.Errorf("query %+v, %d rows: want 9 rows", r.Query, r.Rows)
	}
	if !r.Decode.OK() {
		t.Errorf("decode %+v", r.Decode)
	}
	if r.CBlosc.Skipped == "" || r.Xarray.Skipped == "" || r.Comparison != nil {
		t.Errorf("python measurements ran with SkipPython: %+v %+v %+v", r.CBlosc, r.Xarray, r.Comparison)
	}
}

func TestRunWithoutSQL(t *testing.T) {
	o := Options{Dir: t.TempDir(), NLat: 2, NLon: 3, Hours: 31, SkipPython: true, QueryFile: filepath.Join(t.TempDir(), "absent.sql")}
	r, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Query.Skipped, "no --query") || r.ComparisonNote == "" {
		t.Errorf("query %+v, comparison note %q: want skipped", r.Query, r.ComparisonNote)
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"no dir", Options{NLat: 2, NLon: 1, Hours: 40}, "no store directory"},
		{"grid", Options{Dir: "d", NLat: 1, NLon: 1, Hours: 40}, "grid"},
		{"short", Options{Dir: "d", NLat: 2, NLon: 1, Hours: 27}, "at least 28"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.o.normalized(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSplitStatements(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"one without semicolon", "SELECT 1", []string{"SELECT 1"}},
		{"comments kept, trailing dropped", "-- a;\nSELECT 1\nFROM t;\n-- end\n", []string{"-- a;\nSELECT 1\nFROM t"}},
		{"two", "SET @x = 1;\nSELECT @x;", []string{"SET @x = 1", "SELECT @x"}},
		{"semicolon inside a line", "SELECT ';' AS s", []string{"SELECT ';' AS s"}},
		{"only comments", "# nothing\n-- here\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := splitStatements(tc.text)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
