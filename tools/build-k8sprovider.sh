#!/usr/bin/env bash
# Builds the TEST STAND-IN Kubernetes resource provider (tools/k8sprovider)
# as pulumi-resource-kubernetes v4.32.0. The real provider's Go module is not
# served by the reachable module proxy and no registry ships its binary; the
# stand-in is for our tests only and is never installed for users.
# Tests install it into their throwaway PULUMI_HOME:
#   pulumi plugin install resource kubernetes 4.32.0 \
#     --file "$(tools/build-k8sprovider.sh)/pulumi-resource-kubernetes"
# Usage: tools/build-k8sprovider.sh   (prints the bin directory on stdout)
. "$(dirname "$0")/lib.sh"

K8S_PROVIDER_VERSION=4.32.0   # the @pulumi/kubernetes version our package pins
SRC="$TOOLS_DIR/k8sprovider"
# Edits to the source rebuild: the cache key is a hash of the sources.
STAMP="$(cd "$SRC" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-16)"
BIN="$CACHE_ROOT/k8sprovider-v$K8S_PROVIDER_VERSION-$STAMP/bin"
EXE="$BIN/pulumi-resource-kubernetes"

if [ -x "$EXE" ] && [ "$("$EXE" -version 2>/dev/null)" = "$K8S_PROVIDER_VERSION" ]; then
  echo "$BIN"; exit 0
fi

mkdir -p "$BIN"
cd "$SRC"
# The checksum database is not reachable; go.sum in the repo pins modules.
export CGO_ENABLED=0 GOSUMDB=off GOFLAGS=-mod=readonly
step "go build k8sprovider (stand-in kubernetes v$K8S_PROVIDER_VERSION)" \
  go build -trimpath -ldflags "-s -w" -o "$EXE.tmp" .
mv "$EXE.tmp" "$EXE"
echo "$BIN"
