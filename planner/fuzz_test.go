package planner

import (
	"context"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	sqle "github.com/dolthub/go-mysql-server"
	"github.com/dolthub/go-mysql-server/memory"
	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/analyzer"

	"github.com/zarrsql/zarrsql/connectors/sqltable"
)

// FuzzSQL runs arbitrary SQL text through parse, analysis, the planner and execution over
// the corpus stores, with a short deadline: errors are fine, a panic fails.
func FuzzSQL(f *testing.F) {
	e := fuzzEngine(f)
	for _, q := range []string{
		"SELECT 1",
		"SELECT HISTOGRAM(tp, EDGES(0, LOGSPACE(-5, 0, 50))) FROM era5 GROUP BY latitude",
		"SELECT COARSEN(time, 6, 'trim') AS t, SUM(tp) FROM era5 GROUP BY 1",
		"SELECT EDGES(1, 2, 3), LOGSPACE(-1, 1, 3), LINSPACE(0, 1, 5)",
		"SELECT latitude, AVG(tp) FROM era5 WHERE time >= '1990-01-01' GROUP BY latitude ORDER BY 1 LIMIT 3",
		"SELECT * FROM lens LIMIT 2",
		"SELECT HISTOGRAM(NULL, EDGES()) FROM era5",
		"SELECT COARSEN(time, -1) FROM era5 GROUP BY 1",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		defer skipParserPanic(t)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		sctx := sql.NewContext(ctx, sql.WithSession(sql.NewBaseSession()))
		sctx.SetCurrentDatabase("zarrsql")
		_, iter, _, err := e.Query(sctx, q)
		if err == nil {
			_, _ = sql.RowIterToRows(sctx, iter)
		}
	})
}

// skipParserPanic skips the input when vitess's parser panicked (known: SELECT” ; the
// server's wire layer recovers it by dropping the connection); any other panic fails.
func skipParserPanic(t *testing.T) {
	r := recover()
	if r == nil {
		return
	}
	stack := string(debug.Stack())
	// the frame that panicked first is the one after the last "panic(" and its file line
	lines := strings.SplitN(stack[strings.LastIndex(stack, "\npanic(")+1:], "\n", 4)
	if len(lines) > 2 && strings.Contains(lines[2], "vitess/go/vt/sqlparser") {
		t.Skipf("vitess parser panic (not ours): %v", r)
	}
	t.Fatalf("panic: %v\n%s", r, stack)
}

// fuzzEngine is newEngine for a fuzz test, with a small scan limit.
func fuzzEngine(f *testing.F) *sqle.Engine {
	var ds []sqltable.Dataset
	for _, name := range []string{"era5", "lens"} {
		abs, err := filepath.Abs(filepath.Join(corpus, name+"-small.zarr"))
		if err != nil {
			f.Fatal(err)
		}
		ds = append(ds, sqltable.Dataset{Name: name, URL: abs, Region: "local"})
	}
	src := sqltable.NewMemSource(sqltable.MemSourceOptions{}, ds...)
	f.Cleanup(func() { src.Close() })
	db := sqltable.NewDatabase("zarrsql", src, sqltable.Options{MaxRowCells: 10_000_000})
	a := analyzer.NewDefault(memory.NewDBProvider(db))
	if _, err := Install(a, Options{Workers: 2}); err != nil {
		f.Fatal(err)
	}
	return sqle.New(a, &sqle.Config{IsReadOnly: true})
}
