#!/usr/bin/env bash
# Builds our language host (tools/langhost) and installs it as
# pulumi-language-nodejs, -python and -go: upstream's hosts are separate Go
# modules that the reachable module proxy does not serve.
# Usage: tools/build-langhost.sh   (prints the bin directory on stdout)
. "$(dirname "$0")/lib.sh"

BIN="$CACHE_ROOT/langhost-v$PULUMI_VERSION-r$LANGHOST_REVISION/bin"
NAMES="pulumi-language-nodejs pulumi-language-python pulumi-language-go"
SRC="$TOOLS_DIR/langhost"
# Edits to the source rebuild even when LANGHOST_REVISION was not bumped.
STAMP="$(cd "$SRC" && cat go.mod go.sum ./*.go ./*.py | sha256sum | cut -c1-16)"

cached=1
[ "$(cat "$BIN/.source-hash" 2>/dev/null)" = "$STAMP" ] || cached=0
for n in $NAMES; do
  [ -x "$BIN/$n" ] && "$BIN/$n" -version >/dev/null 2>&1 || cached=0
done
if [ "$cached" = 1 ]; then echo "$BIN"; exit 0; fi

mkdir -p "$BIN"
cd "$SRC"
# The checksum database is not reachable; go.sum in the repo pins modules.
export CGO_ENABLED=0 GOSUMDB=off GOFLAGS=-mod=readonly
step "go build langhost (pulumi v$PULUMI_VERSION, r$LANGHOST_REVISION)" \
  go build -trimpath -ldflags "-s -w -X main.version=$PULUMI_VERSION" -o "$BIN/langhost.tmp" .
# One binary; argv[0] selects the language, so install it under each name.
for n in $NAMES; do ln -f "$BIN/langhost.tmp" "$BIN/$n"; done
rm -f "$BIN/langhost.tmp"
echo "$STAMP" > "$BIN/.source-hash"
echo "$BIN"
