package planner

import (
	"context"
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	sqle "github.com/dolthub/go-mysql-server"
	"github.com/dolthub/go-mysql-server/memory"
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/analyzer"
	"github.com/zarrsql/zarrsql/connectors/sqltable"
	"github.com/zarrsql/zarrsql/functions"
)

// corpus is the project's copy of the xarray-written stores.
const corpus = "../testdata/zarr-corpus/xarray-cf"

// engine is an in-process GMS engine over Zarr datasets with the planner installed.
type engine struct {
	t *testing.T
	e *sqle.Engine
	b *Builder
}

// opts changes the planner's options.
func (e *engine) opts(f func(*Options)) { f(&e.b.opts) }

// newEngine opens datasets name=path; rowOnly leaves every query to the row path.
func newEngine(t *testing.T, rowOnly bool, datasets map[string]string) *engine {
	t.Helper()
	var ds []sqltable.Dataset
	for name, path := range datasets {
		abs, err := filepath.Abs(path)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, sqltable.Dataset{Name: name, URL: abs, Region: "local"})
	}
	src := sqltable.NewMemSource(sqltable.MemSourceOptions{}, ds...)
	t.Cleanup(func() { src.Close() })
	db := sqltable.NewDatabase("zarrsql", src, sqltable.Options{MaxRowCells: 1 << 40})
	a := analyzer.NewDefault(memory.NewDBProvider(db))
	b, err := Install(a, Options{Disabled: rowOnly, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	return &engine{t: t, e: sqle.New(a, &sqle.Config{IsReadOnly: true}), b: b}
}

func newCtx() *sql.Context {
	ctx := sql.NewContext(context.Background(), sql.WithSession(sql.NewBaseSession()))
	ctx.SetCurrentDatabase("zarrsql")
	return ctx
}

func (e *engine) query(q string) ([]sql.Row, error) {
	ctx := newCtx()
	_, iter, _, err := e.e.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	return sql.RowIterToRows(ctx, iter)
}

func (e *engine) mustQuery(q string) []sql.Row {
	e.t.Helper()
	rows, err := e.query(q)
	if err != nil {
		e.t.Fatalf("%s\n%v", q, err)
	}
	return rows
}

// explain returns EXPLAIN PLAN's text.
func (e *engine) explain(q string) string {
	e.t.Helper()
	var b strings.Builder
	for _, r := range e.mustQuery("EXPLAIN PLAN " + q) {
		b.WriteString(r[0].(string))
		b.WriteByte('\n')
	}
	return b.String()
}

// example returns an examples/*.sql file's statement.
func example(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(strings.TrimSpace(string(b)), ";")
}

// histRow is a row of a reference CSV: lat,bin,value.
type histKey struct {
	lat string
	bin int
}

func readHistCSV(t *testing.T, path string) map[histKey]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	out := map[histKey]float64{}
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if i == 0 {
			continue
		}
		b, _ := strconv.Atoi(rec[1])
		v, err := strconv.ParseFloat(rec[2], 64)
		if err != nil {
			t.Fatalf("%s row %d: %v", path, i+1, err)
		}
		out[histKey{rec[0], b}] = v
	}
}

// compareHist checks rows (lat, bin, value) against a reference: every value within
// 1e-12, rows of value 0 may be missing, ordered by lat then bin.
func compareHist(t *testing.T, what string, rows []sql.Row, want map[histKey]float64) {
	t.Helper()
	got := map[histKey]float64{}
	prevLat, prevBin := math.Inf(-1), -1
	for _, r := range rows {
		lat, _ := functions.ToFloat(r[0])
		bin, _ := toInt(r[1])
		if lat < prevLat || (lat == prevLat && int(bin) <= prevBin) {
			t.Fatalf("%s: rows not ordered by lat, bin at (%v, %v)", what, r[0], r[1])
		}
		prevLat, prevBin = lat, int(bin)
		v, _ := functions.ToFloat(r[2])
		got[histKey{strconv.FormatFloat(lat, 'f', 6, 64), int(bin)}] = v
	}
	bad := 0
	for k, w := range want {
		g, ok := got[k]
		if (!ok && w != 0) || math.Abs(g-w) > 1e-12 {
			if bad++; bad <= 5 {
				t.Errorf("%s: lat %s bin %d = %v (present %v), reference %v", what, k.lat, k.bin, g, ok, w)
			}
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: row lat %s bin %d not in the reference", what, k.lat, k.bin)
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d values differ", what, bad, len(want))
	}
}
