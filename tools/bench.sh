#!/usr/bin/env bash
# `make bench`: plugin cold start to the first Construct result, our compiled
# plugin vs the same components hosted the default source-based way (package
# main = the .ts entry exporting the component classes, so Pulumi's host
# type-checks with ts-node and runs its schema Analyzer on first Construct).
# Runs alternate between the two; prints each run and the medians.
# BENCH_RUNS (default 5) sets the runs per variant.
. "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"
RUNS="${BENCH_RUNS:-5}"
TOKEN=volley:index:Application

[ -f bin/provider/index.js ] || die "run 'make build' first"

# The source-based variant: same sources and node_modules, different package.json.
SRC_DIR="${TMPDIR:-/tmp}/volley-bench-source-$(printf %s "$REPO_DIR" | sha256sum | cut -c1-8)"
rm -rf "$SRC_DIR"; mkdir -p "$SRC_DIR"
for f in provider node_modules crds tsconfig.json schema.json; do ln -s "$REPO_DIR/$f" "$SRC_DIR/$f"; done
cp PulumiPlugin.yaml "$SRC_DIR/"
node -e '
  const p = require("./package.json");
  // The source-based host derives the package name (and so the tokens) from package.json.
  const out = { name: "volley", version: p.version, main: "provider/components.ts", dependencies: p.dependencies };
  require("fs").writeFileSync(process.argv[1], JSON.stringify(out, null, 2));
' "$SRC_DIR/package.json"

ours=() source=()
for i in $(seq 1 "$RUNS"); do
  o="$(node tools/bench/construct.js . "$TOKEN" 1 | sed -n 's/.*"ms":\([0-9]*\).*/\1/p')" || die "our plugin failed"
  s="$(node tools/bench/construct.js "$SRC_DIR" "$TOKEN" 1 | sed -n 's/.*"ms":\([0-9]*\).*/\1/p')" || die "source-based plugin failed"
  [ -n "$o" ] && [ -n "$s" ] || die "a run produced no figure"
  ours+=("$o"); source+=("$s")
  log "run $i: ours ${o} ms, source-based ${s} ms"
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
mo="$(median "${ours[@]}")"; ms="$(median "${source[@]}")"
echo "plugin start -> first Construct ($TOKEN), median of $RUNS on $(nproc) cores:"
echo "  ours (compiled JS, committed schema): ${mo} ms"
echo "  source-based (ts-node + Analyzer):    ${ms} ms"
awk -v o="$mo" -v s="$ms" 'BEGIN { printf "  speed-up: %.1fx\n", s / o }'
