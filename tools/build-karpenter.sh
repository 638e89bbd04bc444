#!/usr/bin/env bash
# Builds Karpenter with its kwok cloud provider (sigs.k8s.io/karpenter,
# package sigs.k8s.io/karpenter/kwok: real Karpenter whose "instances" are
# Node objects that kwok plays the kubelet of) into the versioned tools
# cache, with the module's own chart for that provider (its RBAC) and the
# KWOKNodeClass CRD. tests/e2e/autoscaling.sh installs the chart and runs
# the binary as the chart's ServiceAccount (tools/localkube controller
# karpenter). Test infrastructure: never packaged or installed for users.
#
# Built inside a copy of the module with one change, checked: Karpenter binds
# its metrics and health listeners to ":<port>" (every interface; only the
# ports are settings), here to "127.0.0.1:<port>".
# Usage: tools/build-karpenter.sh   (prints the bin directory on stdout;
#   ../chart is the kwok provider's chart, ../crds the KWOKNodeClass CRD)
. "$(dirname "$0")/lib.sh"

KEY="karpenter-v$KARPENTER_VERSION"
DIR="$CACHE_ROOT/$KEY"
BIN="$DIR/bin"
MOD=sigs.k8s.io/karpenter
CRD=karpenter.kwok.sh_kwoknodeclasses.yaml
STAMP="$MOD v$KARPENTER_VERSION: kwok provider (listeners on 127.0.0.1), kwok/charts, $CRD"

have_karpenter() {
  [ -x "$BIN/karpenter-kwok" ] && [ -f "$DIR/chart/Chart.yaml" ] && [ -s "$DIR/crds/$CRD" ] &&
    [ "$(cat "$DIR/built-from" 2>/dev/null)" = "$STAMP" ]
}
if have_karpenter; then echo "$BIN"; exit 0; fi

mkdir -p "$BIN"
exec 9>"$DIR/.build.lock"
flock 9
if have_karpenter; then echo "$BIN"; exit 0; fi

SRC="$CACHE_ROOT/src/$KEY"
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOSUMDB=off
build() {
  (cd "$SRC" && go build -trimpath -ldflags "-s -w -X $MOD/pkg/operator.Version=v$KARPENTER_VERSION" \
    -o "$BIN/karpenter-kwok.tmp" ./kwok) && mv "$BIN/karpenter-kwok.tmp" "$BIN/karpenter-kwok"
}
copy_chart() {
  rm -rf "$DIR/chart" "$DIR/crds" && mkdir -p "$DIR/crds" &&
    cp -r "$SRC/kwok/charts" "$DIR/chart" && install -m 0644 "$SRC/kwok/apis/crds/$CRD" "$DIR/crds/$CRD"
}
rm -f "$DIR/built-from"
step "copy $MOD@v$KARPENTER_VERSION" module_copy "$MOD@v$KARPENTER_VERSION" "$SRC"
step "metrics and health listeners on 127.0.0.1" \
  patch_listen "$SRC/pkg/operator/operator.go" 'fmt.Sprintf(":%d", ' 'fmt.Sprintf("127.0.0.1:%d", ' 2
step "go build $MOD/kwok" build
step "kwok provider chart and KWOKNodeClass CRD" copy_chart
echo "$STAMP" > "$DIR/built-from"
have_karpenter || die "Karpenter build incomplete in $DIR"
echo "$BIN"
