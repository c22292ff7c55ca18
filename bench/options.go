package bench

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
)

// Options configure one run; start from Defaults. Zero Workers and Repeat mean
// GOMAXPROCS and 1; an empty Python with SkipPython false skips (c) and (d) with a message.
type Options struct {
	Dir          string // where generated stores are cached, one subdirectory per size
	NLat, NLon   int    // grid; the real store's is 721 × 1440
	Hours        int    // length of the store; at most 258 at 721 × 1440 (the demo's 1 GiB bound)
	QueryFile    string // SQL of (a); when the file does not exist, Query is run instead
	Query        string // SQL of (a) when QueryFile does not exist
	ReferenceDir string // directory of seed_hist.py
	Python       string // the Python interpreter of (c) and (d)
	SkipPython   bool   // skip (c) and (d)
	Repeat       int    // each measurement is the best of Repeat runs
	MaxRowCells  int64  // the engine's cap on cells scanned row by row; 0: the server's default
	Workers      int    // goroutines of (b), blosc threads of (c), dask workers of (d); 0: GOMAXPROCS
	Log          *slog.Logger
}

// The seed's selection, as seed_hist.py is given it.
const (
	seedStart = "1990-01-01"
	seedEnd   = "2005-12-31"
	// seedOffset is the position of 1990-01-01T00 in the demo's ERA5 store.
	seedOffset = 22
	// coarsen is the seed's coarsen(time=6).
	coarsen = 6
)

// Defaults are the options of `zarrsql bench` without flags.
func Defaults() Options {
	dir := filepath.Join(os.TempDir(), "zarrsql-bench")
	if cache, err := os.UserCacheDir(); err == nil {
		dir = filepath.Join(cache, "zarrsql", "bench")
	}
	return Options{
		Dir: dir, NLat: 721, NLon: 1440, Hours: 248,
		QueryFile: filepath.Join("examples", "era5_histogram.sql"), ReferenceDir: filepath.Join("..", "shared", "reference"),
		Python: "/usr/bin/python3", Repeat: 1,
	}
}

func (o Options) normalized() (Options, error) {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Repeat <= 0 {
		o.Repeat = 1
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o, o.validate()
}

func (o Options) validate() error {
	switch {
	case o.Dir == "":
		return errors.New("bench: no store directory")
	case o.NLat < 2 || o.NLon < 1:
		return fmt.Errorf("bench: grid %d × %d: want at least 2 × 1", o.NLat, o.NLon)
	case o.Hours < seedOffset+coarsen:
		return fmt.Errorf("bench: %d hours: want at least %d, so that the selection from %s holds one %d-hour window",
			o.Hours, seedOffset+coarsen, seedStart, coarsen)
	}
	return nil
}
