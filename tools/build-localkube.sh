#!/usr/bin/env bash
# Builds tools/localkube (the local cluster's volume provisioner and the
# Volley operator TEST DOUBLE) into the tools cache. Test infrastructure:
# never packaged or installed for users.
# Usage: tools/build-localkube.sh   (prints the bin directory on stdout)
. "$(dirname "$0")/lib.sh"

SRC="$TOOLS_DIR/localkube"
# Edits to the source rebuild: the cache key is a hash of the sources.
STAMP="$(cd "$SRC" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-16)"
BIN="$CACHE_ROOT/localkube-$STAMP/bin"
if [ -x "$BIN/localkube" ]; then echo "$BIN"; exit 0; fi
mkdir -p "$BIN"
cd "$SRC"
# The checksum database is not reachable; go.sum in the repo pins modules.
export CGO_ENABLED=0 GOSUMDB=off GOFLAGS=-mod=readonly
step "go build localkube" go build -trimpath -ldflags "-s -w" -o "$BIN/localkube.tmp" .
mv "$BIN/localkube.tmp" "$BIN/localkube"
echo "$BIN"
