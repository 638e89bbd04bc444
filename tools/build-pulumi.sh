#!/usr/bin/env bash
# Builds the Pulumi CLI from its Go module into the versioned tools cache.
# No Pulumi download is reachable here; the Go module proxy is.
# Usage: tools/build-pulumi.sh   (prints the bin directory on stdout)
. "$(dirname "$0")/lib.sh"

# A pulumi already on PATH (outside our toolbin) at the pinned version or newer is used as is.
if ambient="$(PATH="$(printf %s "$PATH" | tr ':' '\n' | grep -v '/pulumi-volley-tools/' | paste -sd:)" command -v pulumi)"; then
  have="$("$ambient" version 2>/dev/null | sed 's/^v//')"
  if [ -n "$have" ] && [ "$(printf '%s\n%s\n' "$PULUMI_VERSION" "$have" | sort -V | sed -n 1p)" = "$PULUMI_VERSION" ]; then
    dirname "$ambient"; exit 0
  fi
fi

BIN="$CACHE_ROOT/pulumi-v$PULUMI_VERSION/bin"
if [ -x "$BIN/pulumi" ] && "$BIN/pulumi" version >/dev/null 2>&1; then
  echo "$BIN"; exit 0
fi
# Stamp the version, or the CLI reports none.
wrapper_build "$CACHE_ROOT/src/pulumi-v$PULUMI_VERSION" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$BIN/pulumi" \
  "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
  "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" ||
  die "building the Pulumi CLI failed"
echo "$BIN"
