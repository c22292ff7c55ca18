package functions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/expression"
	"github.com/dolthub/go-mysql-server/sql/transform"
	"github.com/dolthub/vitess/go/mysql"
	"github.com/zarrsql/zarrsql/functions/kernels"
)

// ArgError is a bad argument of an array function: it names the function, the argument
// and what is wrong with it.
type ArgError struct {
	Func string // e.g. "HISTOGRAM"
	Arg  int    // 1-based
	Name string // e.g. "edges"
	Msg  string
}

func (e ArgError) Error() string {
	return fmt.Sprintf("%s: argument %d (%s) %s", e.Func, e.Arg, e.Name, e.Msg)
}

// argError returns an ArgError as the MySQL error clients get for it, 1210
// (ER_WRONG_ARGUMENTS): go-mysql-server passes a *mysql.SQLError through as it is and
// sends every other error of its analysis as 1105.
func argError(fn string, arg int, name, format string, a ...any) error {
	return ArgError{Func: fn, Arg: arg, Name: name, Msg: fmt.Sprintf(format, a...)}.SQLError()
}

// SQLError returns e as MySQL error 1210 (ER_WRONG_ARGUMENTS).
func (e ArgError) SQLError() *mysql.SQLError {
	return mysql.NewSQLError(mysql.ERWrongArguments, "HY000", "%s", e.Error())
}

// fromKernel turns a kernels.ArgumentError into an ArgError for argument arg.
func fromKernel(err error, fn string, arg int, name string) error {
	var ke *kernels.ArgumentError
	if errors.As(err, &ke) {
		return argError(fn, arg, name, "is invalid: %s", ke.Msg)
	}
	return err
}

// isConstant reports whether e reads nothing of a row.
func isConstant(ctx *sql.Context, e sql.Expression) bool {
	ok := true
	transform.InspectExpr(ctx, e, func(_ *sql.Context, x sql.Expression) bool {
		switch x.(type) {
		case *expression.GetField, *expression.BindVar, sql.ExpressionWithNodes, *expression.UnresolvedColumn:
			ok = false
		}
		return !ok
	})
	return ok
}

// constArg evaluates argument arg of fn, which must not depend on the row.
func constArg(ctx *sql.Context, fn string, arg int, name string, e sql.Expression) (any, error) {
	if !isConstant(ctx, e) {
		return nil, argError(fn, arg, name, "must be a constant, not %s", e)
	}
	v, err := e.Eval(ctx, nil)
	if err != nil {
		return nil, argError(fn, arg, name, "cannot be evaluated: %v", err)
	}
	if v == nil {
		return nil, argError(fn, arg, name, "is NULL")
	}
	return v, nil
}

// floatArg evaluates a constant numeric argument.
func floatArg(ctx *sql.Context, fn string, arg int, name string, e sql.Expression) (float64, error) {
	v, err := constArg(ctx, fn, arg, name, e)
	if err != nil {
		return 0, err
	}
	f, ok := ToFloat(v)
	if !ok {
		return 0, argError(fn, arg, name, "must be a number, not %v", v)
	}
	return f, nil
}

// intArg evaluates a constant integer argument.
func intArg(ctx *sql.Context, fn string, arg int, name string, e sql.Expression) (int, error) {
	f, err := floatArg(ctx, fn, arg, name, e)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<31 {
		return 0, argError(fn, arg, name, "must be an integer, not %v", f)
	}
	return int(f), nil
}

// ToFloat converts a SQL numeric value (or a numeric string) to float64.
func ToFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case float32:
		return float64(v), true
	case int64:
		return float64(v), true
	case int32:
		return float64(v), true
	case int16:
		return float64(v), true
	case int8:
		return float64(v), true
	case int:
		return float64(v), true
	case uint64:
		return float64(v), true
	case uint32:
		return float64(v), true
	case uint16:
		return float64(v), true
	case uint8:
		return float64(v), true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return f, err == nil
	case []byte:
		return ToFloat(string(v))
	case interface{ Float64() (float64, bool) }: // decimal.Decimal
		f, _ := v.Float64()
		return f, true
	}
	return 0, false
}

// floatList returns the numbers of a JSON array (a JSON value or its text), or of a
// single number, in order.
func floatList(ctx context.Context, v any) ([]float64, error) {
	switch x := v.(type) {
	case sql.JSONWrapper:
		i, err := x.ToInterface(ctx)
		if err != nil {
			return nil, err
		}
		return floatList(ctx, i)
	case string:
		return parseJSONFloats(x)
	case []byte:
		return parseJSONFloats(string(x))
	case []any:
		out := make([]float64, len(x))
		for i, e := range x {
			f, ok := ToFloat(e)
			if !ok {
				return nil, fmt.Errorf("element %d (%v) is not a number", i, e)
			}
			out[i] = f
		}
		return out, nil
	}
	if f, ok := ToFloat(v); ok {
		return []float64{f}, nil
	}
	return nil, fmt.Errorf("%v is neither a number nor a JSON array of numbers", v)
}

func parseJSONFloats(s string) ([]float64, error) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("not a JSON array of numbers: %v", err)
	}
	if n, ok := v.(json.Number); ok {
		v = []any{n}
	}
	return floatList(context.Background(), v)
}

// EdgesArg evaluates the bin edges argument arg of fn: a constant JSON array of numbers
// (LOGSPACE, LINSPACE, EDGES or a literal like '[0, 0.5, 1]'), finite and strictly
// increasing.
func EdgesArg(ctx *sql.Context, fn string, arg int, e sql.Expression) (kernels.Edges, error) {
	v, err := constArg(ctx, fn, arg, "edges", e)
	if err != nil {
		return kernels.Edges{}, err
	}
	list, err := floatList(ctx, v)
	if err != nil {
		return kernels.Edges{}, argError(fn, arg, "edges", "must be a JSON array of numbers: %v", err)
	}
	edges, err := kernels.NewEdges(list)
	if err != nil {
		return kernels.Edges{}, fromKernel(err, fn, arg, "edges")
	}
	return edges, nil
}

// jsonFloats returns xs as a JSON array value.
func jsonFloats(xs []float64) sql.JSONWrapper {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return jsonArray(out)
}
