#!/usr/bin/env bash
# Builds promtool (github.com/prometheus/prometheus/cmd/promtool) from its Go
# module into the versioned tools cache. The observability check runs
# `promtool test rules` on the generated alert rules and on the dashboard's
# queries. The module has no replace directives, so `go install mod@version`
# builds it directly (no wrapper module).
# Usage: tools/build-promtool.sh   (prints the bin directory on stdout)
. "$(dirname "$0")/lib.sh"

KEY="promtool-$PROMETHEUS_MODULE_VERSION"
BIN="$CACHE_ROOT/$KEY/bin"

have_promtool() {
  local out
  [ -x "$BIN/promtool" ] && out="$("$BIN/promtool" --version 2>&1)" && [[ $out == *"version $PROMETHEUS_VERSION"* ]]
}
if have_promtool; then echo "$BIN"; exit 0; fi

mkdir -p "$BIN"
exec 9>"$CACHE_ROOT/$KEY/.build.lock"
flock 9
if have_promtool; then echo "$BIN"; exit 0; fi

# The checksum database is not reachable here; the module proxy is the only source.
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOSUMDB=off GOBIN="$BIN/.tmp"
rm -rf "$GOBIN"
# Stamp the version as upstream's release build does (.promu.yml), or
# `promtool --version` reports none.
step "go install promtool $PROMETHEUS_MODULE_VERSION" go install -trimpath \
  -ldflags "-s -w -X github.com/prometheus/common/version.Version=$PROMETHEUS_VERSION -X github.com/prometheus/common/version.Branch=module -X github.com/prometheus/common/version.Revision=$PROMETHEUS_MODULE_VERSION" \
  "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_MODULE_VERSION"
mv "$GOBIN/promtool" "$BIN/promtool"
rm -rf "$GOBIN"
have_promtool || die "built promtool does not report version $PROMETHEUS_VERSION ($BIN)"
echo "$BIN"
