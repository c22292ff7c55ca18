package zarr

import (
	"context"
	"errors"
	"fmt"

	"github.com/zarrsql/zarrsql/connectors/blobstore"
	"github.com/zarrsql/zarrsql/connectors/dtype"
)

// Store is the object store a Zarr store lives in (see package blobstore).
type Store = blobstore.Store

// Options bound the memory and concurrency of reads. Zero fields take safe defaults.
type Options struct {
	// Concurrency is the number of chunks Array.Read fetches and decodes at once.
	Concurrency int
	// MaxChunkBytes refuses arrays whose decoded chunk (or any codec stage of it) would be
	// larger, and bounds variable-length string chunks.
	MaxChunkBytes int
	// ShardIndexes is the number of shard indexes each sharded array keeps cached.
	ShardIndexes int
	// OnShardIndex, when set, is told whether each shard index lookup was a cache hit
	// (for metrics).
	OnShardIndex func(hit bool)
}

// DefaultOptions are the limits used where a caller gives none.
func DefaultOptions() Options {
	return Options{Concurrency: 8, MaxChunkBytes: 1 << 30, ShardIndexes: 4096}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Concurrency <= 0 {
		o.Concurrency = d.Concurrency
	}
	if o.MaxChunkBytes <= 0 {
		o.MaxChunkBytes = d.MaxChunkBytes
	}
	if o.ShardIndexes <= 0 {
		o.ShardIndexes = d.ShardIndexes
	}
	return o
}

// Array is one opened Zarr array. Its metadata fields are read-only after Open.
type Array struct {
	Path       string         // path inside the store, "" for a root array
	Format     int            // 2 or 3
	Shape      []int64        // array shape
	ChunkShape []int          // shape of the unit ReadChunk decodes (inner chunk when sharded)
	DType      dtype.DType    // element type as stored; chunks are handed out as DType.Native()
	Dims       []string       // dimension names (dim_0, dim_1, ... when the store has none)
	Attrs      map[string]any // user attributes (.zattrs / attributes)
	FillValue  any            // decoded fill_value: float64, int64, uint64, bool, string, []byte or nil

	store    Store
	url      string
	opts     Options
	fillElem []byte
	src      chunkSource
}

// chunkSource reads and decodes the chunk at a chunk grid index into dst.
type chunkSource interface {
	read(ctx context.Context, a *Array, idx []int64, dst []byte) ([]byte, error)
}

// ChunkElems is the number of elements of one chunk.
func (a *Array) ChunkElems() int { return product(a.ChunkShape) }

// ChunkBytes is the size of one decoded chunk (0 for variable-length strings).
func (a *Array) ChunkBytes() int { return a.ChunkElems() * a.DType.Size }

// Grid returns the number of chunks along each dimension.
func (a *Array) Grid() []int64 {
	g := make([]int64, len(a.Shape))
	for i, s := range a.Shape {
		c := int64(a.ChunkShape[i])
		g[i] = (s + c - 1) / c
	}
	return g
}

// String names the array for messages: "tp of gs://bucket/store.zarr".
func (a *Array) String() string {
	if a.Path == "" {
		return "root array of " + a.url
	}
	return a.Path + " of " + a.url
}

// ReadChunk decodes the chunk at grid index idx into dst and returns it: the full chunk
// shape (edge chunks included, cells past the array's end hold whatever the writer stored),
// C order, little-endian. A chunk absent from the store reads as the fill value.
//
// Buffer ownership: the result aliases dst when cap(dst) >= ChunkBytes(), else it is newly
// allocated; ReadChunk keeps no reference to it. Variable-length string arrays return the
// canonical layout (see Strings). Safe for concurrent use.
func (a *Array) ReadChunk(ctx context.Context, idx []int64, dst []byte) ([]byte, error) {
	if err := a.checkIndex(idx); err != nil {
		return nil, fmt.Errorf("read chunk %v of %s: %w", idx, a, err)
	}
	return a.src.read(ctx, a, idx, dst)
}

func (a *Array) checkIndex(idx []int64) error {
	g := a.Grid()
	if len(idx) != len(g) {
		return fmt.Errorf("index has %d dimensions, array %d", len(idx), len(g))
	}
	for i, v := range idx {
		if v < 0 || v >= g[i] {
			return fmt.Errorf("index %d out of the grid %v", v, g)
		}
	}
	return nil
}

// fillChunk writes the fill value into a whole chunk.
func (a *Array) fillChunk(dst []byte, elems int) []byte {
	if a.DType.Kind == dtype.String {
		s, _ := a.FillValue.(string)
		return fillStrings(dst, elems, s)
	}
	return fillElems(dst, elems, a.fillElem)
}

// fillElems returns dst resized to n elements, each set to elem.
func fillElems(dst []byte, n int, elem []byte) []byte {
	size := n * len(elem)
	if cap(dst) < size {
		dst = make([]byte, size)
	}
	dst = dst[:size]
	if size == 0 {
		return dst
	}
	copy(dst, elem)
	for done := len(elem); done < size; done *= 2 {
		copy(dst[done:], dst[:done])
	}
	return dst
}

// plainSource reads one object per chunk.
type plainSource struct {
	key  func([]int64) string
	pipe *pipeline
}

func (s plainSource) read(ctx context.Context, a *Array, idx []int64, dst []byte) ([]byte, error) {
	key := s.key(idx)
	raw, err := a.store.Get(ctx, key)
	if errors.Is(err, blobstore.ErrNotFound) {
		return a.fillChunk(dst, a.ChunkElems()), nil
	}
	if err != nil {
		return nil, err // the store names the URL and key
	}
	out, err := s.pipe.decode(dst, raw)
	if err != nil {
		return nil, fmt.Errorf("decode chunk %s of %s: %w", key, a.url, err)
	}
	return out, nil
}
