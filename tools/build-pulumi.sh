#!/usr/bin/env bash
# Builds the Pulumi CLI from its Go module into the versioned tools cache.
# No Pulumi download is reachable here; the Go module proxy is.
# Usage: tools/build-pulumi.sh   (prints the bin directory on stdout)
. "$(dirname "$0")/lib.sh"

BIN="$CACHE_ROOT/pulumi-v$PULUMI_VERSION/bin"
SRC="$CACHE_ROOT/src/pulumi-v$PULUMI_VERSION"

if [ -x "$BIN/pulumi" ] && "$BIN/pulumi" version >/dev/null 2>&1; then
  echo "$BIN"; exit 0
fi

mkdir -p "$BIN" "$SRC"
cd "$SRC"
# pkg/v3's go.mod has replace directives, so `go install pkg@ver` refuses it.
# A throwaway wrapper module ignores dependencies' replaces; repeat the
# non-local one here.
cat > go.mod <<MOD
module local.invalid/pulumibuild

go 1.25

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GO
# The checksum database is not reachable for every module here; the module
# proxy is the only source, so checksums are recorded in the wrapper go.sum.
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOSUMDB=off
step "resolve pulumi v$PULUMI_VERSION modules" \
  go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
LD="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
step "go build pulumi v$PULUMI_VERSION" \
  go build -trimpath -tags osusergo,grpcnotrace -ldflags "$LD" -o "$BIN/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
mv "$BIN/pulumi.tmp" "$BIN/pulumi"
echo "$BIN"
