# Shared helpers for the tools scripts. Source it; do not run it.
set -euo pipefail
TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$TOOLS_DIR/.." && pwd)"
# shellcheck source=versions.env
. "$TOOLS_DIR/versions.env"
CACHE_ROOT="${VOLLEY_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-volley-tools}"

# The operator image that tests and `make up` name. Nobody publishes it, on
# purpose: kwok nodes run no containers, and tools/localkube runs the Volley
# operator double (a test double, never shipped) as a process in its place.
OPERATOR_DOUBLE_IMAGE="volley-operator-double.invalid/volley-k8s-operator:double"

log() { printf '[tools %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# step NAME CMD...: runs CMD, prints how long it took, fails loudly.
step() {
  local name="$1"; shift
  local t0=$SECONDS
  log "start: $name"
  if ! "$@"; then die "$name failed after $((SECONDS - t0)) s"; fi
  log "done:  $name ($((SECONDS - t0)) s)"
}

# wrapper_build SRC MAIN OUT LDFLAGS MODULE@VERSION...: builds the main package
# MAIN into OUT from a throwaway wrapper module in SRC that requires the given
# modules. Pulumi's modules carry replace directives, which make
# `go install pkg@version` refuse them; a wrapper ignores dependencies'
# replaces, so the one non-local replace they need is repeated here.
wrapper_build() {
  local src="$1" main="$2" out="$3" ldflags="$4"; shift 4
  mkdir -p "$src" "$(dirname "$out")"
  cat > "$src/go.mod" <<MOD
module local.invalid/wrapper

go 1.25

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$main" > "$src/tools.go"
  # The checksum database is not reachable for every module here; the module
  # proxy is the only source, so checksums are recorded in the wrapper go.sum.
  (
    cd "$src" && export GOFLAGS=-mod=mod CGO_ENABLED=0 GOSUMDB=off &&
      step "resolve $*" go get "$@" &&
      step "go build $main" go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$out.tmp" "$main"
  ) && mv "$out.tmp" "$out"
}

# module_copy MODULE@VERSION DEST: a writable copy of the module as the module
# proxy serves it (its own go.mod and go.sum, so its replace directives
# apply), for builds that patch a file: Go refuses -overlay on files in the
# module cache.
module_copy() {
  local d
  d="$(GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" && [ -d "$d" ] || return 1
  rm -rf "$2" && mkdir -p "$(dirname "$2")" && cp -r "$d" "$2" && chmod -R u+w "$2"
}

# patch_listen FILE FROM TO COUNT: replaces the fixed string FROM by TO in
# FILE and checks that exactly COUNT lines now hold TO (a listener address
# upstream hard-codes to every interface, moved to 127.0.0.1).
patch_listen() {
  local f="$1" from="$2" to="$3" want="$4" n
  FROM="$from" TO="$to" perl -pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/g' "$f" || return 1
  n="$(grep -c -F -- "$to" "$f")"
  [ "$n" = "$want" ] || { log "expected $want lines with [$to] in $f, found $n"; return 1; }
}
