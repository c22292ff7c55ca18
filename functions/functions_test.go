package functions

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/expression"
	"github.com/dolthub/go-mysql-server/sql/types"
	"github.com/zarrsql/zarrsql/functions/kernels"
)

func lit(v any) sql.Expression {
	switch v := v.(type) {
	case int:
		return expression.NewLiteral(int64(v), types.Int64)
	case float64:
		return expression.NewLiteral(v, types.Float64)
	case string:
		return expression.NewLiteral(v, types.LongText)
	}
	panic("lit")
}

func call(t *testing.T, f func(*sql.Context, ...sql.Expression) (sql.Expression, error), args ...sql.Expression) (any, error) {
	t.Helper()
	ctx := sql.NewEmptyContext()
	e, err := f(ctx, args...)
	if err != nil {
		return nil, err
	}
	return e.Eval(ctx, nil)
}

func floats(t *testing.T, v any) []float64 {
	t.Helper()
	xs, err := floatList(sql.NewEmptyContext(), v)
	if err != nil {
		t.Fatal(err)
	}
	return xs
}

func TestEdgeBuilders(t *testing.T) {
	v, err := call(t, newEdges, lit(0), mustEval(t, newLogspace, lit(-5), lit(0), lit(50)))
	if err != nil {
		t.Fatal(err)
	}
	e := floats(t, v)
	if len(e) != 51 || e[0] != 0 || e[1] != 1e-5 || e[50] != 1 {
		t.Fatalf("EDGES(0, LOGSPACE(-5, 0, 50)) = %v", e)
	}
	v, err = call(t, newLinspace, lit(0), lit(1), lit(5))
	if got := floats(t, v); err != nil || len(got) != 5 || got[1] != 0.25 || got[4] != 1 {
		t.Fatalf("LINSPACE(0, 1, 5) = %v, %v", got, err)
	}
	v, err = call(t, newLogspace, lit(0), lit(3), lit(4), lit(2))
	if got := floats(t, v); err != nil || got[3] != 8 {
		t.Fatalf("LOGSPACE(0, 3, 4, 2) = %v, %v", got, err)
	}
	for _, c := range []struct {
		name string
		f    func(*sql.Context, ...sql.Expression) (sql.Expression, error)
		args []sql.Expression
		want string
	}{
		{"decreasing", newEdges, []sql.Expression{lit(1), lit(0)}, "EDGES: argument 2 (part) is invalid: edges must be strictly increasing"},
		{"text", newEdges, []sql.Expression{lit("x")}, "EDGES: argument 1 (part) must be a number or a JSON array of numbers"},
		{"num", newLinspace, []sql.Expression{lit(0), lit(1), lit(1.5)}, "LINSPACE: argument 3 (num) must be an integer"},
		{"arity", newLogspace, []sql.Expression{lit(0)}, "LOGSPACE"},
	} {
		if _, err := call(t, c.f, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func mustEval(t *testing.T, f func(*sql.Context, ...sql.Expression) (sql.Expression, error), args ...sql.Expression) sql.Expression {
	t.Helper()
	v, err := call(t, f, args...)
	if err != nil {
		t.Fatal(err)
	}
	return expression.NewLiteral(v, types.JSON)
}

func TestBinIndex(t *testing.T) {
	edges := lit("[0, 1e-5, 0.5, 1]")
	for _, c := range []struct {
		x    sql.Expression
		want any
	}{
		{lit(0.0), int64(0)},
		{expression.NewLiteral(float32(1e-5), types.Float32), int64(0)}, // 9.99999974e-06 < 1e-5
		{lit(1e-5), int64(1)},
		{lit(1.0), int64(2)}, // the last bin is closed
		{lit(1.5), nil},
		{lit(-1.0), nil},
		{lit(math.NaN()), nil},
		{expression.NewLiteral(nil, types.Float64), nil},
	} {
		got, err := call(t, newBin, c.x, edges)
		if err != nil || got != c.want {
			t.Errorf("BIN_INDEX(%s) = %v (%v), want %v", c.x, got, err, c.want)
		}
	}
}

// TestHistogramBuffer feeds rows and checks counts, the deferred error of a bad value
// and that NewBuffer never fails (GMS deadlocks when it does).
func TestHistogramBuffer(t *testing.T) {
	ctx := sql.NewEmptyContext()
	x := expression.NewGetField(0, types.Float64, "x", true)
	h, err := newHistogram(ctx, x, lit("[0, 1, 2]"))
	if err != nil {
		t.Fatal(err)
	}
	buf, err := h.(sql.Aggregation).NewBuffer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{0.5, 1.0, 2.0, 2.5, nil, math.NaN(), -1.0, 1.5} {
		if err := buf.Update(ctx, sql.Row{v}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := buf.Eval(ctx)
	if err != nil || strings.Join(strings.Fields(jsonText(t, got)), "") != "[1,3]" {
		t.Fatalf("counts %v (%v), want [1,3]", jsonText(t, got), err)
	}
	bad, _ := newHistogram(ctx, x, lit("[1, 0]"))
	buf, err = bad.(sql.Aggregation).NewBuffer(ctx)
	if err != nil || buf.Update(ctx, sql.Row{0.5}) != nil {
		t.Fatal("NewBuffer and Update must defer errors")
	}
	if _, err := buf.Eval(ctx); err == nil || !strings.Contains(err.Error(), "HISTOGRAM: argument 2 (edges)") {
		t.Fatalf("Eval error %v", err)
	}
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	s, err := types.JSON.SQL(sql.NewEmptyContext(), nil, v)
	if err != nil {
		t.Fatal(err)
	}
	return s.ToString()
}

// TestWindowSum checks xarray's window sums: float32 in order, NULL skipped, 0 for a
// window without values, mean as numpy's nanmean.
func TestWindowSum(t *testing.T) {
	ctx := sql.NewEmptyContext()
	x := expression.NewGetField(0, types.Float32, "x", true)
	run := func(mean bool, vals ...any) any {
		buf, _ := NewWindowSum(x, mean, 1).NewBuffer(ctx)
		for _, v := range vals {
			if err := buf.Update(ctx, sql.Row{v}); err != nil {
				t.Fatal(err)
			}
		}
		v, err := buf.Eval(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	big, one := float32(1<<24), float32(1)
	if got := run(false, big, one, one); got != float64(big) { // float32: 2^24+1 rounds back
		t.Errorf("float32 sum = %v, want %v", got, float64(big))
	}
	if got := run(false, nil, nil); got != 0.0 {
		t.Errorf("sum of no values = %v, want 0", got)
	}
	if got := run(true, nil); got != nil {
		t.Errorf("mean of no values = %v, want NULL", got)
	}
	if got := run(true, float32(1), float32(2), nil); got != float64(float32(1.5)) {
		t.Errorf("mean = %v", got)
	}
}

func TestFloat32Op(t *testing.T) {
	p := float32(1.1574074e-08) // m/s
	e := &Float32Op{Op: '*', Left: expression.NewLiteral(p, types.Float32), Right: lit(21600)}
	got, err := e.Eval(sql.NewEmptyContext(), nil)
	if err != nil || got != p*21600 {
		t.Fatalf("%v * 21600 = %v, want the float32 product %v", p, got, p*21600)
	}
}

// TestCoarsenBound checks a bound COARSEN's labels, trimmed and unselected rows.
func TestCoarsenBound(t *testing.T) {
	ctx := sql.NewEmptyContext()
	dim := expression.NewGetFieldWithTable(0, 1, types.DatetimeMaxPrecision, "", "era5", "time", false)
	e, err := newCoarsen(ctx, dim, lit(2), lit("trim"))
	if err != nil {
		t.Fatal(err)
	}
	c := e.(*Coarsen)
	if _, err := c.Eval(ctx, sql.Row{time.Unix(0, 0)}); err == nil || !strings.Contains(err.Error(), "must be a dimension column") {
		t.Fatalf("unbound COARSEN: %v", err)
	}
	t0 := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	w, _ := kernels.PlanWindows(3, 2, kernels.BoundaryTrim)
	b := c.Bind(&CoarsenBinding{Ordinal: map[any]int{Key(t0): 0, Key(t0.Add(time.Hour)): 1, Key(t0.Add(2 * time.Hour)): 2},
		Windows: w, Labels: []any{t0.Add(30 * time.Minute)}})
	for _, c := range []struct {
		in   time.Time
		want any
	}{
		{t0, t0.Add(30 * time.Minute)},
		{t0.Add(time.Hour), t0.Add(30 * time.Minute)},
		{t0.Add(2 * time.Hour), nil}, // trimmed
		{t0.Add(5 * time.Hour), nil}, // not selected
	} {
		if got, err := b.Eval(ctx, sql.Row{c.in}); err != nil || got != c.want {
			t.Errorf("COARSEN(%v) = %v (%v), want %v", c.in, got, err, c.want)
		}
	}
}

// FuzzEdges feeds edge arguments (user text) to the parser: an error or valid edges,
// never a panic.
func FuzzEdges(f *testing.F) {
	for _, s := range []string{"[0, 1e-5, 1]", "[]", "[1, 0]", "[0, \"a\"]", "3", "[NaN]", "[1e400]", "{", "[[1]]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := EdgesArg(sql.NewEmptyContext(), "HISTOGRAM", 2, lit(s))
		if err == nil && e.Len() < 2 {
			t.Fatalf("%q: %d edges accepted", s, e.Len())
		}
	})
}
