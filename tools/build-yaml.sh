#!/usr/bin/env bash
# Builds pulumi-language-yaml (Pulumi YAML's language host) from its Go module
# into the versioned tools cache. It links the Pulumi modules its own go.mod
# asks for (not our CLI's), which is fine: hosts and CLI speak gRPC.
# Usage: tools/build-yaml.sh   (prints the bin directory on stdout)
. "$(dirname "$0")/lib.sh"

BIN="$CACHE_ROOT/pulumi-yaml-v$PULUMI_YAML_VERSION/bin"
SRC="$CACHE_ROOT/src/pulumi-yaml-v$PULUMI_YAML_VERSION"

if [ -x "$BIN/pulumi-language-yaml" ]; then echo "$BIN"; exit 0; fi

mkdir -p "$BIN" "$SRC"
cd "$SRC"
cat > go.mod <<MOD
module local.invalid/yamlbuild

go 1.25

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
GO
# See build-pulumi.sh: no checksum database here, the module proxy is the source.
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOSUMDB=off
step "resolve pulumi-yaml v$PULUMI_YAML_VERSION modules" go get "github.com/pulumi/pulumi-yaml@v$PULUMI_YAML_VERSION"
step "go build pulumi-language-yaml v$PULUMI_YAML_VERSION" \
  go build -trimpath -tags osusergo,grpcnotrace -ldflags "-s -w" -o "$BIN/pulumi-language-yaml.tmp" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
mv "$BIN/pulumi-language-yaml.tmp" "$BIN/pulumi-language-yaml"
echo "$BIN"
