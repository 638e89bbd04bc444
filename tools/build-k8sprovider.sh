#!/usr/bin/env bash
# Builds the real Kubernetes resource provider (pulumi-resource-kubernetes,
# release 4.25.0) from its Go module into the versioned tools cache.
# The module proxy serves one build of provider/v4: the pseudo-version below,
# the commit 1.5 days before the v4.25.0 tag (tags answer 403). Its sdk/v4
# Go code equals v4.25.0's, so it is stamped 4.25.0, the version npm
# @pulumi/kubernetes is pinned to, and the engine loads it with no warning.
# Tests install it into their Pulumi home:
#   pulumi plugin install resource kubernetes 4.25.0 --file "$(tools/build-k8sprovider.sh)/pulumi-resource-kubernetes"
# Usage: tools/build-k8sprovider.sh   (prints the bin directory on stdout)
. "$(dirname "$0")/lib.sh"

MOD=github.com/pulumi/pulumi-kubernetes/provider/v4
KEY="kubernetes-provider-v$K8S_PROVIDER_VERSION"
BIN="$CACHE_ROOT/$KEY/bin"
SRC="$CACHE_ROOT/src/$KEY"
EXE="$BIN/pulumi-resource-kubernetes"

have_provider() {
  local out
  [ -x "$EXE" ] && out="$(cat "$BIN/.module" 2>/dev/null)" && [ "$out" = "$MOD@$K8S_PROVIDER_MODULE" ]
}
if have_provider; then echo "$BIN"; exit 0; fi

mkdir -p "$BIN"
exec 9>"$BIN/.build.lock"
flock 9
if have_provider; then echo "$BIN"; exit 0; fi

# One GOFLAGS for generate and build, so both share compiled packages.
export GOFLAGS="-mod=mod -buildvcs=false -trimpath" GOTOOLCHAIN=local CGO_ENABLED=0 GOSUMDB=off

fetch_source() {
  local dir
  dir="$(go mod download -json "$MOD@$K8S_PROVIDER_MODULE" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$dir" ] || { log "module $MOD@$K8S_PROVIDER_MODULE has no source directory"; return 1; }
  rm -rf "$SRC" && mkdir -p "$(dirname "$SRC")" && cp -r "$dir" "$SRC" && chmod -R u+w "$SRC"
  # The module replaces sdk/v4 with ../sdk, outside the module zip: use the release.
  (cd "$SRC" && go mod edit -dropreplace=github.com/pulumi/pulumi-kubernetes/sdk/v4 \
    -require="github.com/pulumi/pulumi-kubernetes/sdk/v4@v$K8S_PROVIDER_VERSION")
}
# main.go embeds the schema and mapping that go:generate writes (it reads VERSION).
generate() { (cd "$SRC/cmd/pulumi-resource-kubernetes" && VERSION="$K8S_PROVIDER_VERSION" go generate .); }
build() {
  (cd "$SRC" && go build -ldflags "-s -w -X $MOD/pkg/version.Version=$K8S_PROVIDER_VERSION" \
    -o "$EXE.tmp" ./cmd/pulumi-resource-kubernetes) && mv "$EXE.tmp" "$EXE"
}

step "fetch $MOD@$K8S_PROVIDER_MODULE" fetch_source
step "go generate (schema for $K8S_PROVIDER_VERSION)" generate
step "go build pulumi-resource-kubernetes $K8S_PROVIDER_VERSION" build
echo "$MOD@$K8S_PROVIDER_MODULE" > "$BIN/.module"
echo "$BIN"
