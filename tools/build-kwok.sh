#!/usr/bin/env bash
# Builds kwok (sigs.k8s.io/kwok/cmd/kwok) from its Go module into the
# versioned tools cache, with the Stage files it runs with. kwok simulates
# kubelets for the local cluster's nodes: it keeps Node objects Ready (with
# leases) and moves pods the scheduler bound to them to Running and Ready.
# No container ever runs.
# Usage: tools/build-kwok.sh   (prints the kwok directory: bin/kwok, stages/*.yaml)
. "$(dirname "$0")/lib.sh"

KEY="kwok-v$KWOK_VERSION"
DIR="$CACHE_ROOT/$KEY"
SRC="$CACHE_ROOT/src/$KEY"
# node-initialize and node-heartbeat-with-lease: Ready nodes whose leases
# stay fresh (or the node lifecycle controller taints them unreachable);
# pod-ready, pod-complete, pod-delete: the fast pod lifecycle.
STAGES="node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml
pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml"

have_kwok() {
  local out s
  [ -x "$DIR/bin/kwok" ] && out="$("$DIR/bin/kwok" --version 2>/dev/null)" && [[ $out == *"$KWOK_VERSION"* ]] || return 1
  for s in $STAGES; do [ -s "$DIR/stages/${s##*/}" ] || return 1; done
}
if have_kwok; then echo "$DIR"; exit 0; fi

mkdir -p "$DIR/bin" "$DIR/stages" "$SRC"
exec 9>"$DIR/.build.lock"
flock 9
if have_kwok; then echo "$DIR"; exit 0; fi

export GOFLAGS=-mod=mod CGO_ENABLED=0 GOSUMDB=off
build() {
  cat > "$SRC/go.mod" <<MOD
module local.invalid/kwokbuild

go 1.26

require sigs.k8s.io/kwok v$KWOK_VERSION
MOD
  printf '//go:build tools\n\npackage tools\n\nimport _ "sigs.k8s.io/kwok/cmd/kwok"\n' > "$SRC/tools.go"
  (cd "$SRC" && go list -deps sigs.k8s.io/kwok/cmd/kwok >/dev/null &&
    go build -trimpath -ldflags "-s -w" \
      -o "$DIR/bin/kwok.tmp" sigs.k8s.io/kwok/cmd/kwok) && mv "$DIR/bin/kwok.tmp" "$DIR/bin/kwok"
}
# The Stage files ship in the module (kustomize/stage); kwok reads them with --config.
copy_stages() {
  local mod s
  mod="$(cd "$SRC" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)" && [ -d "$mod" ] || return 1
  for s in $STAGES; do install -m 0644 "$mod/kustomize/stage/$s" "$DIR/stages/${s##*/}" || return 1; done
}
step "go build kwok v$KWOK_VERSION" build
step "kwok stages" copy_stages
have_kwok || die "built kwok does not report v$KWOK_VERSION ($DIR)"
echo "$DIR"
