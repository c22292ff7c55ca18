// Package planner owns how zarrsql executes queries over Zarr tables. It plugs into
// go-mysql-server as the exec builder's priority builder, which sees every node of an
// analysed plan before GMS builds it:
//
//   - Binding (the row path's semantics): COARSEN and INDEX_OF learn the dimension they
//     name (coordinate values, the positions the query selects); SUM and AVG grouped by
//     COARSEN become xarray's window sums; arithmetic between a FLOAT column and a
//     constant becomes numpy's float32 arithmetic.
//   - Compilation (the array path): a GROUP BY whose input is a Zarr table, through
//     coordinate filters, INDEX_OF filters, COARSEN and arithmetic on the variable,
//     becomes an array plan (Plan): selection -> per-chunk transforms -> mergeable
//     partial aggregates -> merge -> rows. Plans are immutable data; Exec runs them.
//     What cannot be compiled is left to GMS's row engine, which gives the same results.
//
// The planner does no I/O of its own beyond reading chunks through connectors/zarr
// when a plan runs.
package planner
