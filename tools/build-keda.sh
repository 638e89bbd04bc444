#!/usr/bin/env bash
# Builds the real KEDA operator (cmd/operator) and metrics API server
# (cmd/adapter) of github.com/kedacore/keda/v2 into the versioned tools
# cache: the version the keda chart 2.18.0 deploys (its appVersion; 2.18.3
# does not build here, a dependency of it is not served).
# tests/e2e/autoscaling.sh runs them on the local cluster as the chart's
# ServiceAccounts (tools/localkube controller keda-operator and
# keda-metrics-apiserver), so what the package leads to is judged by KEDA
# itself. Test infrastructure: never packaged or installed for users.
#
# Built inside a copy of the module (its own go.mod pins Kubernetes and
# Prometheus libraries with replace directives) with one change, checked:
# the metrics API server binds its Prometheus listener to ":<port>" (every
# interface; only the port is a flag), here to "127.0.0.1:<port>". Every
# other listener of both is a flag the local supervisor sets to 127.0.0.1.
# Usage: tools/build-keda.sh   (prints the bin directory on stdout)
. "$(dirname "$0")/lib.sh"

KEY="keda-v$KEDA_VERSION"
DIR="$CACHE_ROOT/$KEY"
BIN="$DIR/bin"
MOD=github.com/kedacore/keda/v2
STAMP="$MOD v$KEDA_VERSION: keda-operator, keda-adapter (metrics listener on 127.0.0.1)"

have_keda() {
  [ -x "$BIN/keda-operator" ] && [ -x "$BIN/keda-adapter" ] && [ "$(cat "$DIR/built-from" 2>/dev/null)" = "$STAMP" ]
}
if have_keda; then echo "$BIN"; exit 0; fi

mkdir -p "$BIN"
exec 9>"$DIR/.build.lock"
flock 9
if have_keda; then echo "$BIN"; exit 0; fi

SRC="$CACHE_ROOT/src/$KEY"
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOSUMDB=off
# Stamped as upstream's Makefile does; both log it at start.
LD="-s -w -X $MOD/version.Version=$KEDA_VERSION -X $MOD/version.GitCommit=v$KEDA_VERSION"
build() {
  (cd "$SRC" && go build -trimpath -ldflags "$LD" -o "$BIN/keda-$1.tmp" "./cmd/$1") && mv "$BIN/keda-$1.tmp" "$BIN/keda-$1"
}
rm -f "$DIR/built-from"
step "copy $MOD@v$KEDA_VERSION" module_copy "$MOD@v$KEDA_VERSION" "$SRC"
step "metrics API server's Prometheus listener on 127.0.0.1" \
  patch_listen "$SRC/cmd/adapter/main.go" 'fmt.Sprintf(":%v", metricsAPIServerPort)' 'fmt.Sprintf("127.0.0.1:%v", metricsAPIServerPort)' 1
step "go build $MOD/cmd/operator" build operator
step "go build $MOD/cmd/adapter" build adapter
echo "$STAMP" > "$DIR/built-from"
have_keda || die "KEDA binaries missing in $BIN"
echo "$BIN"
