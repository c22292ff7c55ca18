// Package functions owns zarrsql's SQL functions over arrays: COARSEN (xarray's coarsen
// window label), HISTOGRAM (the counts per bin, an aggregate), BIN_INDEX (one value's bin),
// the bin-edge builders LINSPACE, LOGSPACE and EDGES (np.concatenate), INDEX_OF (a
// dimension position, xarray's isel), and the window sums GROUP BY COARSEN(...) runs.
//
// The functions are go-mysql-server expressions that evaluate row by row: they are the
// row path, and the definition of what a query means. The planner compiles the
// aggregations it recognises into array plans that run the kernels of package kernels
// on whole chunks and must give the same results.
//
// COARSEN and INDEX_OF need to know the dimension they are applied to (its coordinate
// values, and for COARSEN the positions the query selects), which a row does not carry:
// the planner binds them to the table before execution (BindCoarsen, BindIndexOf). An
// unbound one fails with an error that names it.
package functions
