package zarr

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/zarrsql/zarrsql/connectors/blobstore"
	"github.com/zarrsql/zarrsql/connectors/dtype"
)

// shardCodec is a v3 sharding_indexed codec: a shard of shape outer holds inner chunks,
// each encoded by the inner pipeline, located by an index of (offset, nbytes) pairs.
type shardCodec struct {
	outer, inner []int
	perShard     []int // inner chunks per shard along each dimension
	innerPipe    *pipeline
	indexPipe    *pipeline
	indexLen     int // encoded index bytes
	indexAtStart bool
	size         int // element size
	fillElem     []byte
}

const emptyEntry = math.MaxUint64

func newShardCodec(cfg map[string]any, outer []int, d dtype.DType, fillElem []byte, opts Options) (*shardCodec, error) {
	if d.Kind == dtype.String {
		return nil, fmt.Errorf("codec sharding_indexed: variable-length strings in shards are not supported")
	}
	inner, err := intList(cfg["chunk_shape"])
	if err != nil {
		return nil, fmt.Errorf("codec sharding_indexed: chunk_shape: %w", err)
	}
	per, err := chunksPerShard(outer, inner)
	if err != nil {
		return nil, fmt.Errorf("codec sharding_indexed: %w", err)
	}
	sc := &shardCodec{outer: outer, inner: inner, perShard: per, size: d.Size, fillElem: fillElem}
	if err := sc.setPipelines(cfg, d, opts); err != nil {
		return nil, fmt.Errorf("codec sharding_indexed: %w", err)
	}
	return sc, nil
}

func chunksPerShard(outer, inner []int) ([]int, error) {
	if len(inner) != len(outer) {
		return nil, fmt.Errorf("chunk_shape %v does not match shard shape %v", inner, outer)
	}
	per := make([]int, len(outer))
	for i := range outer {
		if inner[i] <= 0 || outer[i]%inner[i] != 0 {
			return nil, fmt.Errorf("chunk_shape %v does not divide shard shape %v", inner, outer)
		}
		per[i] = outer[i] / inner[i]
	}
	return per, nil
}

func (sc *shardCodec) setPipelines(cfg map[string]any, d dtype.DType, opts Options) error {
	codecs, err := namedList(cfg["codecs"])
	if err != nil {
		return fmt.Errorf("codecs: %w", err)
	}
	if sc.innerPipe, err = v3Pipeline(codecs, sc.inner, d, sc.fillElem, opts); err != nil {
		return fmt.Errorf("codecs: %w", err)
	}
	idxCodecs, err := namedList(cfg["index_codecs"])
	if err != nil {
		return fmt.Errorf("index_codecs: %w", err)
	}
	idxShape := append(append([]int{}, sc.perShard...), 2)
	u64 := dtype.DType{Kind: dtype.Uint, Size: 8}
	if sc.indexPipe, err = v3Pipeline(idxCodecs, idxShape, u64, make([]byte, 8), opts); err != nil {
		return fmt.Errorf("index_codecs: %w", err)
	}
	sc.indexLen = product(idxShape) * 8
	for _, c := range idxCodecs {
		if c.Name == "crc32c" {
			sc.indexLen += 4
		} else if c.Name != "bytes" {
			return fmt.Errorf("index_codecs: %q: only bytes and crc32c have a known size", c.Name)
		}
	}
	loc, _ := cfg["index_location"].(string)
	if loc != "" && loc != "start" && loc != "end" {
		return fmt.Errorf("index_location %q: want start or end", loc)
	}
	sc.indexAtStart = loc == "start"
	return nil
}

// namedList decodes a JSON list of v3 codec descriptions.
func namedList(v any) ([]named, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of codecs")
	}
	out := make([]named, len(list))
	for i, x := range list {
		switch c := x.(type) {
		case string:
			out[i].Name = c
		case map[string]any:
			out[i].Name, _ = c["name"].(string)
			out[i].Configuration, _ = c["configuration"].(map[string]any)
		default:
			return nil, fmt.Errorf("codec %d: want a name or an object", i)
		}
	}
	return out, nil
}

// parseIndex decodes an encoded shard index into (offset, nbytes) pairs.
func (sc *shardCodec) parseIndex(enc []byte) ([]uint64, error) {
	raw, err := sc.indexPipe.decode(nil, enc)
	if err != nil {
		return nil, fmt.Errorf("shard index: %w", err)
	}
	idx := make([]uint64, len(raw)/8)
	for i := range idx {
		idx[i] = binary.LittleEndian.Uint64(raw[8*i:])
	}
	return idx, nil
}

// innerSpan returns the byte range of inner chunk j, or ok=false when it is empty.
func innerSpan(idx []uint64, j int, shardLen uint64) (off, n uint64, ok bool, err error) {
	off, n = idx[2*j], idx[2*j+1]
	if off == emptyEntry && n == emptyEntry {
		return 0, 0, false, nil
	}
	if off > shardLen || n > shardLen-off {
		return 0, 0, false, fmt.Errorf("shard index: inner chunk %d at %d+%d is outside the %d-byte shard", j, off, n, shardLen)
	}
	return off, n, true, nil
}

// decode decodes a whole shard held in memory (sharding nested inside another codec chain).
func (sc *shardCodec) decode(dst, src []byte) ([]byte, error) {
	if len(src) < sc.indexLen {
		return nil, fmt.Errorf("shard of %d bytes is shorter than its %d-byte index", len(src), sc.indexLen)
	}
	enc := src[len(src)-sc.indexLen:]
	if sc.indexAtStart {
		enc = src[:sc.indexLen]
	}
	idx, err := sc.parseIndex(enc)
	if err != nil {
		return nil, err
	}
	out := fillElems(dst, product(sc.outer), sc.fillElem)
	var chunk []byte
	for j := range product(sc.perShard) {
		off, n, ok, err := innerSpan(idx, j, uint64(len(src)))
		if err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		if chunk, err = sc.innerPipe.decode(chunk, src[off:off+n]); err != nil {
			return nil, fmt.Errorf("inner chunk %d: %w", j, err)
		}
		sc.place(out, chunk, j)
	}
	return out, nil
}

// place copies decoded inner chunk j into the shard array out.
func (sc *shardCodec) place(out, chunk []byte, j int) {
	at := make([]int, len(sc.inner))
	rest := j
	for d := len(at) - 1; d >= 0; d-- {
		at[d] = (rest % sc.perShard[d]) * sc.inner[d]
		rest /= sc.perShard[d]
	}
	zero := make([]int, len(sc.inner))
	copyBox(out, sc.outer, at, chunk, sc.inner, zero, sc.inner, sc.size)
}

// shardSource reads inner chunks of a sharded array: the shard's index once (cached), then
// one range read per inner chunk.
type shardSource struct {
	sc    *shardCodec
	key   func([]int64) string
	cache *indexCache
}

func newShardSource(sc *shardCodec, key func([]int64) string, cached int, observe func(hit bool)) *shardSource {
	return &shardSource{sc: sc, key: key, cache: &indexCache{max: cached, m: map[string]*indexEntry{}, observe: observe}}
}

func (s *shardSource) read(ctx context.Context, a *Array, idx []int64, dst []byte) ([]byte, error) {
	shard, j := s.locate(idx)
	key := s.key(shard)
	ix, err := s.cache.get(key, func() (*indexEntry, error) { return s.loadIndex(ctx, a, key) })
	if err != nil {
		return nil, err
	}
	if ix.missing {
		return a.fillChunk(dst, a.ChunkElems()), nil
	}
	off, n, ok, err := innerSpan(ix.idx, j, uint64(ix.size))
	if err != nil || !ok {
		if err != nil {
			return nil, fmt.Errorf("read shard %s of %s: %w", key, a.url, err)
		}
		return a.fillChunk(dst, a.ChunkElems()), nil
	}
	raw, err := a.store.GetRange(ctx, key, int64(off), int64(n))
	if err != nil {
		return nil, err
	}
	out, err := s.sc.innerPipe.decode(dst, raw)
	if err != nil {
		return nil, fmt.Errorf("decode inner chunk %v of shard %s of %s: %w", idx, key, a.url, err)
	}
	return out, nil
}

// locate splits an inner-chunk grid index into the shard's grid index and the inner
// chunk's C-order number inside it.
func (s *shardSource) locate(idx []int64) ([]int64, int) {
	shard := make([]int64, len(idx))
	j := 0
	for d, v := range idx {
		per := int64(s.sc.perShard[d])
		shard[d] = v / per
		j = j*int(per) + int(v%per)
	}
	return shard, j
}

func (s *shardSource) loadIndex(ctx context.Context, a *Array, key string) (*indexEntry, error) {
	size, err := a.store.Size(ctx, key)
	if errors.Is(err, blobstore.ErrNotFound) {
		return &indexEntry{missing: true}, nil
	}
	if err != nil {
		return nil, err
	}
	if size < int64(s.sc.indexLen) {
		return nil, fmt.Errorf("shard %s of %s: %d bytes, shorter than its %d-byte index", key, a.url, size, s.sc.indexLen)
	}
	off := size - int64(s.sc.indexLen)
	if s.sc.indexAtStart {
		off = 0
	}
	enc, err := a.store.GetRange(ctx, key, off, int64(s.sc.indexLen))
	if err != nil {
		return nil, err
	}
	idx, err := s.sc.parseIndex(enc)
	if err != nil {
		return nil, fmt.Errorf("shard %s of %s: %w", key, a.url, err)
	}
	return &indexEntry{idx: idx, size: size}, nil
}

// indexCache keeps decoded shard indexes; concurrent readers of one shard load it once.
type indexCache struct {
	mu      sync.Mutex
	max     int
	m       map[string]*indexEntry
	observe func(hit bool) // nil: not observed
}

type indexEntry struct {
	ready   chan struct{}
	idx     []uint64
	size    int64
	missing bool
	err     error
}

func (c *indexCache) get(key string, load func() (*indexEntry, error)) (*indexEntry, error) {
	c.mu.Lock()
	e, ok := c.m[key]
	if !ok {
		if len(c.m) >= c.max {
			clear(c.m) // crude but bounded; shards are read roughly in order
		}
		e = &indexEntry{ready: make(chan struct{})}
		c.m[key] = e
	}
	c.mu.Unlock()
	if c.observe != nil {
		c.observe(ok)
	}
	if ok {
		<-e.ready
		return e, e.err
	}
	got, err := load()
	if err != nil {
		got = &indexEntry{err: err}
		c.mu.Lock()
		delete(c.m, key) // do not remember transient failures
		c.mu.Unlock()
	}
	e.idx, e.size, e.missing, e.err = got.idx, got.size, got.missing, got.err
	close(e.ready)
	return e, e.err
}
