#!/usr/bin/env bash
# Builds the zarrsql image (tag: ${TAG:-zarrsql:dev}) from a static binary built here.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p build
(cd .. && CGO_ENABLED=0 go build -tags gms_pure_go -trimpath -ldflags='-s -w' -o docker/build/zarrsql ./cmd/zarrsql)
cp /etc/ssl/certs/ca-certificates.crt build/
docker build -t "${TAG:-zarrsql:dev}" .
