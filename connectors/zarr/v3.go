package zarr

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/zarrsql/zarrsql/connectors/codec"
	"github.com/zarrsql/zarrsql/connectors/dtype"
)

// newV3Array builds an Array from a zarr.json array document.
func newV3Array(path string, m v3Node, opts Options) (*Array, error) {
	if m.ChunkGrid.Name != "regular" {
		return nil, fmt.Errorf("zarr.json: chunk_grid %q: only regular grids are supported", m.ChunkGrid.Name)
	}
	if len(m.Transformers) > 0 {
		return nil, fmt.Errorf("zarr.json: storage_transformers %q: unsupported", m.Transformers[0].Name)
	}
	chunks, err := intList(m.ChunkGrid.Configuration["chunk_shape"])
	if err != nil {
		return nil, fmt.Errorf("zarr.json: chunk_shape: %w", err)
	}
	if err := checkGrid(m.Shape, chunks); err != nil {
		return nil, fmt.Errorf("zarr.json: %w", err)
	}
	d, err := parseV3DType(m.DataType)
	if err != nil {
		return nil, fmt.Errorf("zarr.json: %w", err)
	}
	f, err := parseFill(m.FillValue, d)
	if err != nil {
		return nil, fmt.Errorf("zarr.json: %w", err)
	}
	key, err := v3ChunkKey(path, m.ChunkKeyEncoding)
	if err != nil {
		return nil, fmt.Errorf("zarr.json: %w", err)
	}
	a := &Array{Path: path, Format: 3, Shape: m.Shape, ChunkShape: chunks, DType: d,
		Dims: dimNames(len(m.Shape), v3DimNames(m.DimensionNames)), Attrs: m.Attributes,
		FillValue: f.value, fillElem: f.elem}
	if a.Attrs == nil {
		a.Attrs = map[string]any{}
	}
	if err := a.setV3Source(m.Codecs, key, opts); err != nil {
		return nil, fmt.Errorf("zarr.json: %w", err)
	}
	return a, nil
}

// setV3Source picks how chunks are read: one object per chunk, or inner chunks of shards
// fetched by range when sharding_indexed is the array's only codec.
func (a *Array) setV3Source(codecs []named, key func([]int64) string, opts Options) error {
	if len(codecs) == 1 && codecs[0].Name == "sharding_indexed" {
		sc, err := newShardCodec(codecs[0].Configuration, a.ChunkShape, a.DType, a.fillElem, opts)
		if err != nil {
			return err
		}
		a.src = newShardSource(sc, key, opts.ShardIndexes, opts.OnShardIndex)
		a.ChunkShape = sc.inner
		return nil
	}
	pipe, err := v3Pipeline(codecs, a.ChunkShape, a.DType, a.fillElem, opts)
	if err != nil {
		return err
	}
	a.src = plainSource{key: key, pipe: pipe}
	return nil
}

// v3Pipeline builds the decoding pipeline of a v3 codec list for chunks of shape.
func v3Pipeline(codecs []named, shape []int, d dtype.DType, fillElem []byte, opts Options) (*pipeline, error) {
	size, limit, err := chunkLimits(product(shape), d, nil, opts)
	if err != nil {
		return nil, err
	}
	var arrays []stage
	encShape := shape
	i := 0
	for ; i < len(codecs) && !isArrayToBytes(codecs[i].Name); i++ {
		st, next, err := arrayToArray(codecs[i], encShape, d, limit)
		if err != nil {
			return nil, err
		}
		arrays, encShape = append(arrays, st), next
	}
	if i == len(codecs) {
		return nil, fmt.Errorf("codecs: no array-to-bytes codec (bytes, sharding_indexed, vlen-utf8)")
	}
	toBytes, err := arrayToBytes(codecs[i], encShape, d, fillElem, opts)
	if err != nil {
		return nil, err
	}
	var stages []stage
	for j := len(codecs) - 1; j > i; j-- {
		dec, err := codec.NewV3(codecs[j].Name, codecs[j].Configuration)
		if err != nil {
			return nil, fmt.Errorf("codec %d: %w", j, err)
		}
		stages = append(stages, bytesStage{dec: dec, limit: encodedLimit(limit)})
	}
	stages = append(stages, toBytes...)
	slices.Reverse(arrays)
	return newPipeline(append(stages, arrays...), size, limit), nil
}

// encodedLimit bounds the output of a bytes-to-bytes stage of a v3 chain: what it yields
// is the encoded form of the next stage, which may be a little larger than the decoded
// chunk (a checksum outside a compressor sees the compressed frame, and incompressible
// data grows by the frame's headers; a compressor outside a checksum yields the chunk
// and its 4-byte checksum). The codecs' own header checks still stop larger claims.
func encodedLimit(limit int) int {
	return limit + limit/64 + 4096
}

func isArrayToBytes(name string) bool {
	switch name {
	case "bytes", "sharding_indexed", "vlen-utf8", "vlen-bytes":
		return true
	}
	return false
}

// arrayToArray returns the decoding stage of an array-to-array codec and the shape it
// encodes to: transpose, or a numcodecs filter used as a v3 codec ("numcodecs.delta").
func arrayToArray(c named, shape []int, d dtype.DType, limit int) (stage, []int, error) {
	if c.Name == "transpose" {
		order, err := transposeOrder(c.Configuration, len(shape))
		if err != nil {
			return nil, nil, fmt.Errorf("codec transpose: %w", err)
		}
		return transposeFor(d.Native(), shape, order), permuted(shape, order), nil
	}
	id, ok := strings.CutPrefix(c.Name, "numcodecs.")
	if !ok {
		return nil, nil, fmt.Errorf("codec %q: unsupported array-to-array codec", c.Name)
	}
	cfg := map[string]any{"id": id}
	for k, v := range c.Configuration {
		cfg[k] = numpyTypeName(v)
	}
	dec, err := codec.NewV2(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("codec %s: %w", c.Name, err)
	}
	return bytesStage{dec: dec, limit: limit}, shape, nil
}

// numpyTypeName turns a v3 data type name in a numcodecs configuration ("int32") into the
// numpy type string numcodecs' v2 form takes ("<i4"); other values pass through.
func numpyTypeName(v any) any {
	if s, ok := v.(string); ok {
		if d, err := dtype.ParseV3(s); err == nil {
			return d.String()
		}
	}
	return v
}

// arrayToBytes returns the stages that decode the array→bytes codec c.
func arrayToBytes(c named, shape []int, d dtype.DType, fillElem []byte, opts Options) ([]stage, error) {
	switch c.Name {
	case "bytes":
		endian, _ := c.Configuration["endian"].(string)
		if endian != "" && endian != "little" && endian != "big" {
			return nil, fmt.Errorf("codec bytes: endian %q", endian)
		}
		d.BigEndian = endian == "big"
		return swapStages(d), nil
	case "vlen-utf8", "vlen-bytes":
		dec, err := codec.NewV2(map[string]any{"id": "vlen-utf8"})
		if err != nil {
			return nil, err
		}
		return []stage{bytesStage{dec: dec, limit: opts.MaxChunkBytes}}, nil
	case "sharding_indexed":
		sc, err := newShardCodec(c.Configuration, shape, d, fillElem, opts)
		if err != nil {
			return nil, err
		}
		return []stage{sc}, nil
	}
	return nil, fmt.Errorf("codec %q: unsupported array-to-bytes codec", c.Name)
}

func transposeOrder(cfg map[string]any, n int) ([]int, error) {
	order, err := intList(cfg["order"])
	if err != nil {
		return nil, err
	}
	seen := make([]bool, n)
	for _, o := range order {
		if o < 0 || o >= n || seen[o] {
			return nil, fmt.Errorf("order %v is not a permutation of %d dimensions", order, n)
		}
		seen[o] = true
	}
	if len(order) != n {
		return nil, fmt.Errorf("order %v is not a permutation of %d dimensions", order, n)
	}
	return order, nil
}

// intList converts a decoded JSON list of numbers.
func intList(v any) ([]int, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of integers, got %v", v)
	}
	out := make([]int, len(list))
	for i, x := range list {
		f, ok := x.(float64)
		if !ok || f != float64(int(f)) {
			return nil, fmt.Errorf("want a list of integers, got %v", v)
		}
		out[i] = int(f)
	}
	return out, nil
}

// parseV3Node decodes a zarr.json document.
func parseV3Node(doc []byte) (v3Node, error) {
	var m v3Node
	if err := json.Unmarshal(doc, &m); err != nil {
		return m, fmt.Errorf("zarr.json: %w", err)
	}
	if m.ZarrFormat != 3 {
		return m, fmt.Errorf("zarr.json: zarr_format %d, want 3", m.ZarrFormat)
	}
	return m, nil
}
