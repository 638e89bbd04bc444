#!/usr/bin/env bash
# Builds prometheus-operator (github.com/prometheus-operator/prometheus-operator,
# cmd/operator) from its Go module into the versioned tools cache: the
# version kube-prometheus-stack 77 deploys (its appVersion). The e2e
# lifecycle runs it on the local cluster as the chart's operator
# ServiceAccount (tools/localkube controller), so the Prometheus and
# Alertmanager configuration it asserts is what the real operator generates.
# Test infrastructure: never packaged or installed for users.
# Usage: tools/build-prometheus-operator.sh   (prints the bin directory on stdout)
. "$(dirname "$0")/lib.sh"

KEY="prometheus-operator-v$PROMETHEUS_OPERATOR_VERSION"
BIN="$CACHE_ROOT/$KEY/bin"
MOD=github.com/prometheus-operator/prometheus-operator

have_operator() {
  local out
  [ -x "$BIN/prometheus-operator" ] && out="$("$BIN/prometheus-operator" --version 2>&1)" &&
    [[ $out == *"version $PROMETHEUS_OPERATOR_VERSION"* ]]
}
if have_operator; then echo "$BIN"; exit 0; fi

mkdir -p "$BIN"
exec 9>"$CACHE_ROOT/$KEY/.build.lock"
flock 9
if have_operator; then echo "$BIN"; exit 0; fi

# The module's go.mod replaces its API and client submodules with local
# paths, which a wrapper does not inherit: require their tagged releases of
# the same version instead. Stamped as upstream's Makefile does, or
# `--version` reports none.
wrapper_build "$CACHE_ROOT/src/$KEY" "$MOD/cmd/operator" "$BIN/prometheus-operator" \
  "-s -w -X github.com/prometheus/common/version.Version=$PROMETHEUS_OPERATOR_VERSION -X github.com/prometheus/common/version.Branch=module -X github.com/prometheus/common/version.Revision=v$PROMETHEUS_OPERATOR_VERSION" \
  "$MOD@v$PROMETHEUS_OPERATOR_VERSION" "$MOD/pkg/apis/monitoring@v$PROMETHEUS_OPERATOR_VERSION" \
  "$MOD/pkg/client@v$PROMETHEUS_OPERATOR_VERSION" ||
  die "building prometheus-operator failed"
have_operator || die "built prometheus-operator does not report version $PROMETHEUS_OPERATOR_VERSION ($BIN)"
echo "$BIN"
