package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zarrsql/zarrsql/connectors/demo"
)

// timeChunk is the real store's chunk length along time.
const timeChunk = 31

// Store is the generated ERA5-like store the measurements read.
type Store struct {
	Path      string   // the era5.zarr directory
	Shape     [3]int64 // tp's (time, latitude, longitude)
	Chunks    int      // chunk files of tp
	Bytes     int64    // compressed bytes of tp's chunk files
	Generated bool     // written by this run (else reused from the cache)
	Seconds   float64  // time spent making sure the store is there
}

// Cells is the number of tp cells, the unit of every rate.
func (s Store) Cells() int64 { return s.Shape[0] * s.Shape[1] * s.Shape[2] }

// SelectedCells is the number of cells the seed's selection keeps (from 1990-01-01T00,
// whole 6-hour windows).
func (s Store) SelectedCells() int64 {
	return (s.Shape[0] - seedOffset) / coarsen * coarsen * s.Shape[1] * s.Shape[2]
}

// ensureStore writes the store of o's size under o.Dir unless a complete one is there.
// The demo writer also writes its LENS-like store; it is made as small as the writer
// allows.
func ensureStore(ctx context.Context, o Options) (Store, error) {
	start := time.Now()
	dir := filepath.Join(o.Dir, fmt.Sprintf("era5-%dx%dx%d", o.NLat, o.NLon, o.Hours))
	opts := demo.Options{
		ERA5:    demo.ERA5Options{NLat: o.NLat, NLon: o.NLon, Hours: o.Hours, TimeChunk: timeChunk},
		LENS:    demo.LENSOptions{Members: 1, Steps: 1, NLat: 2, NLon: 1, TimeChunk: 1},
		Workers: o.Workers,
	}
	st, err := demo.Write(ctx, dir, opts)
	if err != nil {
		return Store{}, fmt.Errorf("bench: generate store: %w", err)
	}
	s := Store{Path: st.ERA5, Shape: [3]int64{int64(o.Hours), int64(o.NLat), int64(o.NLon)}, Generated: len(st.Written) > 0}
	if s.Chunks, s.Bytes, err = chunkFiles(filepath.Join(st.ERA5, "tp")); err != nil {
		return Store{}, err
	}
	s.Seconds = time.Since(start).Seconds()
	return s, nil
}

// chunkFiles counts the chunk files of the Zarr v2 array directory dir and their bytes.
func chunkFiles(dir string) (n int, bytes int64, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, fmt.Errorf("bench: list chunks: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return 0, 0, fmt.Errorf("bench: list chunks: %w", err)
		}
		n, bytes = n+1, bytes+info.Size()
	}
	return n, bytes, nil
}
