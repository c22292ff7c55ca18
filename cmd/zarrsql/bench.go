package main

import (
	"context"
	"flag"
	"log/slog"
	"os"

	"github.com/zarrsql/zarrsql/bench"
)

// benchCmd measures the seed's ERA5 query on a generated full-size store beside C-blosc
// and xarray + dask, and prints a table.
func benchCmd(ctx context.Context, args []string, log *slog.Logger) error {
	o := bench.Defaults()
	o.Log = log
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.IntVar(&o.Hours, "hours", o.Hours, "hours of the generated store (at most 258 at 721 x 1440)")
	fs.IntVar(&o.NLat, "nlat", o.NLat, "latitudes of the generated store")
	fs.IntVar(&o.NLon, "nlon", o.NLon, "longitudes of the generated store")
	fs.StringVar(&o.Dir, "dir", o.Dir, "cache of generated stores (reused when complete)")
	fs.StringVar(&o.QueryFile, "query-file", o.QueryFile, "SQL of the measured query, over table era5")
	fs.StringVar(&o.Query, "query", o.Query, "SQL of the measured query when --query-file does not exist")
	fs.StringVar(&o.ReferenceDir, "reference-dir", o.ReferenceDir, "directory of seed_hist.py")
	fs.StringVar(&o.Python, "python", o.Python, "Python with numcodecs, xarray and dask")
	fs.BoolVar(&o.SkipPython, "skip-python", o.SkipPython, "skip the numcodecs and xarray measurements")
	fs.IntVar(&o.Repeat, "repeat", o.Repeat, "report the best of N runs of each measurement")
	fs.Int64Var(&o.MaxRowCells, "max-row-cells", o.MaxRowCells, "the engine's cap on cells scanned row by row (0: its default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, err := bench.Run(ctx, o)
	if err != nil {
		return err
	}
	return r.Print(os.Stdout)
}
