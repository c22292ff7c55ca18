package functions

import (
	"strings"
	"sync"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/planbuilder"
)

// Functions returns the SQL functions of this package, for a catalog to register.
func Functions() []sql.Function {
	return []sql.Function{
		sql.FunctionN{Name: "coarsen", Fn: newCoarsen},
		sql.FunctionN{Name: "histogram", Fn: newHistogram},
		sql.FunctionN{Name: "bin_index", Fn: newBin},
		sql.FunctionN{Name: "linspace", Fn: newLinspace},
		sql.FunctionN{Name: "logspace", Fn: newLogspace},
		sql.FunctionN{Name: "edges", Fn: newEdges},
		sql.FunctionN{Name: "index_of", Fn: newIndexOf},
	}
}

// aggregates are the names of this package's aggregate functions.
var aggregates = map[string]bool{"histogram": true}

// installOnce guards the one process-wide setting GMS offers for custom aggregates.
var installOnce sync.Once

// InstallAggregates makes GMS's SQL builder treat HISTOGRAM as an aggregate. GMS has no
// per-engine hook for this, only the package variable planbuilder.IsAggregateFunc, so
// this sets it once per process; engines built without this package's functions are
// unaffected (the name resolves to no function).
func InstallAggregates() {
	installOnce.Do(func() {
		prev := planbuilder.IsAggregateFunc
		planbuilder.IsAggregateFunc = func(name string) bool {
			return aggregates[strings.ToLower(name)] || prev(name)
		}
	})
}
