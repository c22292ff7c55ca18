// Package bench owns `zarrsql bench`: it measures the seed workflow's ERA5 query on a
// generated full-resolution store and puts the figure beside what bounds it.
//
// The store is the demo's ERA5-like store (package demo) at the real grid, 721 × 1440,
// time chunk 31, Blosc lz4 + shuffle, starting 22 hours before 1990-01-01T00 as the real
// store does; it is cached under a directory named after its size and reused while its
// marker says it is complete. On it, four measurements of the same cells:
//
//	(a) the SQL of a query file run through zarrsql's engine (server.New, Server.Query)
//	    with the store as table era5; its result rows are counted and kept
//	(b) zarrsql's decode only: every chunk of tp through zarr.ReadChunkAs on GOMAXPROCS
//	    goroutines, data discarded
//	(c) C-blosc's decode only of the same chunk files through numcodecs, in one Python
//	    process with GOMAXPROCS blosc threads (when Debian's python3 and numcodecs are
//	    installed)
//	(d) the seed's own stack, xarray + dask, through the reference script seed_hist.py
//	    with GOMAXPROCS dask workers (when python3-xarray and python3-dask are installed)
//
// Every figure is cells per second over the whole tp array (all chunks are read by all
// four: the selection from 1990-01-01 starts inside the first chunk). (b) and (c) include
// reading the chunk files, from the page cache once the store is written. The report
// also gives the Go process's peak RSS before and after the query, the subprocesses'
// peak RSS, and compares the query's rows with (d)'s CSV value by value.
package bench
