#!/usr/bin/env bash
# Builds pulumi-language-yaml (Pulumi YAML's language host) from its Go module
# into the versioned tools cache. It links the Pulumi modules its own go.mod
# asks for (not our CLI's), which is fine: hosts and CLI speak gRPC.
# Usage: tools/build-yaml.sh   (prints the bin directory on stdout)
. "$(dirname "$0")/lib.sh"

BIN="$CACHE_ROOT/pulumi-yaml-v$PULUMI_YAML_VERSION/bin"
if [ -x "$BIN/pulumi-language-yaml" ]; then echo "$BIN"; exit 0; fi
wrapper_build "$CACHE_ROOT/src/pulumi-yaml-v$PULUMI_YAML_VERSION" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
  "$BIN/pulumi-language-yaml" "-s -w" "github.com/pulumi/pulumi-yaml@v$PULUMI_YAML_VERSION" ||
  die "building pulumi-language-yaml failed"
echo "$BIN"
