package bench

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/zarrsql/zarrsql/connectors/blobstore"
	"github.com/zarrsql/zarrsql/connectors/zarr"
)

// measureDecode is (b): every chunk of tp decoded with zarr.ReadChunkAs on o.Workers
// goroutines, each reusing one buffer, the data discarded. Opening the store is not timed.
func measureDecode(ctx context.Context, o Options, st Store) (m Measure) {
	m = Measure{Label: "(b) zarrsql decode only", Detail: fmt.Sprintf("connectors/zarr ReadChunkAs, %d goroutines", o.Workers)}
	b, err := blobstore.Open(ctx, st.Path, blobstore.Options{})
	if err != nil {
		m.Err = err
		return m
	}
	defer func() { m.Err = errors.Join(m.Err, b.Close()) }()
	a, err := openTP(ctx, b)
	if err == nil {
		m.Seconds, err = bestOf(ctx, o.Repeat, func() error { return decodeAll(ctx, a, o.Workers) })
	}
	m.Err = err
	return m
}

func openTP(ctx context.Context, b *blobstore.Bucket) (*zarr.Array, error) {
	g, err := zarr.Open(ctx, b, zarr.Options{})
	if err != nil {
		return nil, err
	}
	a := g.Array("tp")
	if a == nil {
		return nil, fmt.Errorf("bench: no array tp in %s", g.URL)
	}
	return a, nil
}

// decodeAll reads every chunk of a on workers goroutines.
func decodeAll(ctx context.Context, a *zarr.Array, workers int) error {
	idx := chunkIndexes(a.Grid())
	var next atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	for range workers {
		g.Go(func() (err error) {
			defer recoverAs(&err)
			var buf []float32
			for i := next.Add(1) - 1; i < int64(len(idx)); i = next.Add(1) - 1 {
				if buf, err = zarr.ReadChunkAs(gctx, a, idx[i], buf); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// chunkIndexes lists the grid positions of a chunk grid in C order.
func chunkIndexes(grid []int64) [][]int64 {
	n := int64(1)
	for _, g := range grid {
		n *= g
	}
	out := make([][]int64, n)
	for i := range out {
		idx := make([]int64, len(grid))
		for d, rest := len(grid)-1, int64(i); d >= 0; d-- {
			idx[d], rest = rest%grid[d], rest/grid[d]
		}
		out[i] = idx
	}
	return out
}
