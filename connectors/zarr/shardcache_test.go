package zarr_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/zarrsql/zarrsql/connectors/blobstore"
	"github.com/zarrsql/zarrsql/connectors/zarr"
)

// TestShardIndexObserved checks Options.OnShardIndex hears a miss for a shard's first
// inner chunk and hits for the others of the same shard.
func TestShardIndexObserved(t *testing.T) {
	ctx := context.Background()
	st, err := blobstore.Open(ctx, filepath.Join(corpusDir, "zarrita-js/fixtures/v3/data.zarr"), blobstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var hits, misses int
	g, err := zarr.Open(ctx, st, zarr.Options{OnShardIndex: func(hit bool) {
		if hit {
			hits++
		} else {
			misses++
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	a := g.Array("2d.chunked.compressed.sharded.filled.i2") // shards of 2x2 inner chunks of 1x1
	for _, idx := range [][]int64{{0, 0}, {0, 1}, {1, 0}, {1, 1}} {
		if _, err := a.ReadChunk(ctx, idx, nil); err != nil {
			t.Fatal(err)
		}
	}
	if misses != 1 || hits != 3 {
		t.Fatalf("%d misses, %d hits; want 1 and 3", misses, hits)
	}
}
