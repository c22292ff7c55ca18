package functions

import (
	"sync"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/types"
	"github.com/zarrsql/zarrsql/functions/kernels"
)

// newLinspace is LINSPACE(start, stop, num): numpy.linspace(start, stop, num) as a JSON
// array, numpy's arithmetic step for step.
func newLinspace(_ *sql.Context, args ...sql.Expression) (sql.Expression, error) {
	if err := arity("LINSPACE", args, 3, 3); err != nil {
		return nil, err
	}
	return &scalar{name: "LINSPACE", args: args, typ: types.JSON, eval: evalSpace("LINSPACE", kernelLinspace)}, nil
}

// newLogspace is LOGSPACE(start, stop, num [, base]): numpy.logspace as a JSON array.
func newLogspace(_ *sql.Context, args ...sql.Expression) (sql.Expression, error) {
	if err := arity("LOGSPACE", args, 3, 4); err != nil {
		return nil, err
	}
	return &scalar{name: "LOGSPACE", args: args, typ: types.JSON, eval: evalSpace("LOGSPACE", kernelLogspace)}, nil
}

func kernelLinspace(a, b float64, n int, _ float64) ([]float64, error) {
	return kernels.Linspace(a, b, n, true)
}

func kernelLogspace(a, b float64, n int, base float64) ([]float64, error) {
	return kernels.Logspace(a, b, n, true, base)
}

// evalSpace evaluates LINSPACE/LOGSPACE's constant arguments and builds the array.
func evalSpace(fn string, build func(a, b float64, n int, base float64) ([]float64, error)) evalFunc {
	return func(ctx *sql.Context, _ sql.Row, args []sql.Expression) (any, error) {
		a, err := floatArg(ctx, fn, 1, "start", args[0])
		if err != nil {
			return nil, err
		}
		b, err := floatArg(ctx, fn, 2, "stop", args[1])
		if err != nil {
			return nil, err
		}
		n, err := intArg(ctx, fn, 3, "num", args[2])
		if err != nil {
			return nil, err
		}
		base := 10.0
		if len(args) == 4 {
			if base, err = floatArg(ctx, fn, 4, "base", args[3]); err != nil {
				return nil, err
			}
		}
		xs, err := build(a, b, n, base)
		if err != nil {
			return nil, fromKernel(err, fn, 3, "num")
		}
		return jsonFloats(xs), nil
	}
}

// newEdges is EDGES(part, ...): its numbers and JSON arrays of numbers one after the
// other (np.concatenate), checked to be valid bin edges: EDGES(0, LOGSPACE(-5, 0, 50))
// is the seed's np.concatenate([[0], np.logspace(-5, 0, 50)]).
func newEdges(_ *sql.Context, args ...sql.Expression) (sql.Expression, error) {
	if len(args) == 0 {
		return nil, sql.ErrInvalidArgumentNumber.New("EDGES", "at least 1", 0)
	}
	return &scalar{name: "EDGES", args: args, typ: types.JSON, eval: evalEdges}, nil
}

func evalEdges(ctx *sql.Context, _ sql.Row, args []sql.Expression) (any, error) {
	var all []float64
	for i, a := range args {
		v, err := constArg(ctx, "EDGES", i+1, "part", a)
		if err != nil {
			return nil, err
		}
		xs, err := floatList(ctx, v)
		if err != nil {
			return nil, argError("EDGES", i+1, "part", "must be a number or a JSON array of numbers: %v", err)
		}
		all = append(all, xs...)
	}
	if _, err := kernels.NewEdges(all); err != nil {
		return nil, fromKernel(err, "EDGES", len(args), "part")
	}
	return jsonFloats(all), nil
}

// newBin is BIN_INDEX(x, edges): the 0-based bin of x as numpy.histogram assigns it, NULL when
// x is NULL, NaN or outside the edges.
func newBin(_ *sql.Context, args ...sql.Expression) (sql.Expression, error) {
	if err := arity("BIN_INDEX", args, 2, 2); err != nil {
		return nil, err
	}
	c := &edgesCache{fn: "BIN_INDEX", arg: 2}
	return &scalar{name: "BIN_INDEX", args: args, typ: types.Int64, nullable: true, eval: c.evalBin}, nil
}

func (c *edgesCache) evalBin(ctx *sql.Context, row sql.Row, args []sql.Expression) (any, error) {
	edges, err := c.get(ctx, args[1])
	if err != nil {
		return nil, err
	}
	v, err := args[0].Eval(ctx, row)
	if err != nil || v == nil {
		return nil, err
	}
	f, ok := ToFloat(v)
	if !ok {
		return nil, argError("BIN_INDEX", 1, "x", "must be a number, not %v", v)
	}
	if b := edges.Bin(f); b >= 0 {
		return int64(b), nil
	}
	return nil, nil
}

// edgesCache keeps the evaluated edges argument of one function instance: the argument
// is constant, and evaluating LOGSPACE per row would cost more than binning.
type edgesCache struct {
	fn    string
	arg   int
	mu    sync.Mutex
	expr  sql.Expression
	edges kernels.Edges
	err   error
}

func (c *edgesCache) get(ctx *sql.Context, e sql.Expression) (kernels.Edges, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.expr != e {
		c.expr = e
		c.edges, c.err = EdgesArg(ctx, c.fn, c.arg, e)
	}
	return c.edges, c.err
}
