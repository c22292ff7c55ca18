#!/bin/sh
# Runs every fuzz target for ${FUZZTIME:-60s}, one at a time (go test -fuzz takes one
# target per run). Keep this list in step with `grep -rn "func Fuzz" --include=*_test.go`.
set -eu
cd "$(dirname "$0")/.."
t=${FUZZTIME:-60s}
fuzz() { echo "== $2 $1"; go test -run NONE -fuzz "^$1\$" -fuzztime "$t" "$2"; }
for f in FuzzParseTableFlag FuzzParseESMCollection FuzzParseFile; do fuzz $f ./connectors/catalog; done
for f in FuzzBlosclz FuzzDecode; do fuzz $f ./connectors/codec/blosc; done
for f in FuzzZstd FuzzZlib FuzzGzip FuzzLZ4 FuzzBZ2 FuzzDelta FuzzFixedScaleOffset FuzzShuffle \
	FuzzBitRound FuzzVLenUTF8 FuzzJSON2 FuzzCRC32C FuzzNewV2; do fuzz $f ./connectors/codec; done
fuzz FuzzOpenURL ./connectors/blobstore
fuzz FuzzTables ./connectors/sqltable
for f in FuzzParseTimeUnits FuzzDecode FuzzValues; do fuzz $f ./connectors/cf; done
for f in FuzzV2Array FuzzV3Array FuzzConsolidated FuzzChunk; do fuzz $f ./connectors/zarr; done
fuzz FuzzEncode ./connectors/demo
for f in FuzzEdges FuzzSpace FuzzCoarsenSplits FuzzHistAdd; do fuzz $f ./functions/kernels; done
fuzz FuzzEdges ./functions
fuzz FuzzSQL ./planner
fuzz FuzzWirePackets ./server
