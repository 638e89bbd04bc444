#!/usr/bin/env bash
# Builds etcd, kube-apiserver and kube-controller-manager from their Go
# modules into the versioned tools cache, for the local control plane of
# tools/cluster.sh. Only the missing binaries are built.
# No release download is reachable here; the Go module proxy is.
# Also makes sure kubectl is installed (Debian package).
# Usage: tools/build-k8s.sh   (prints the bin directory on stdout)
. "$(dirname "$0")/lib.sh"

KEY="k8s-v$KUBERNETES_VERSION-etcd-v$ETCD_VERSION"
BIN="$CACHE_ROOT/$KEY/bin"
SRC="$CACHE_ROOT/src/$KEY"

ensure_kubectl() {
  if command -v kubectl >/dev/null 2>&1 && kubectl version --client >/dev/null 2>&1; then
    return 0
  fi
  log "kubectl missing; installing the Debian package"
  export DEBIAN_FRONTEND=noninteractive
  # Only refresh the package lists when the package is not installable as is.
  if ! apt-get install -y kubectl >&2; then
    apt-get update >&2
    apt-get install -y kubectl >&2
  fi
  kubectl version --client >/dev/null
}

# The Kubernetes commands built from k8s.io/kubernetes/cmd/<name>.
K8S_CMDS=(kube-apiserver kube-controller-manager kube-scheduler)

# Output is captured before matching: a pipe into an early-exiting reader fails
# with 141 when the reader exits before the writer has written everything.
have_etcd() {
  local out
  [ -x "$BIN/etcd" ] && out="$("$BIN/etcd" --version 2>/dev/null)" &&
    [[ $'\n'$out$'\n' == *$'\n'"etcd Version: $ETCD_VERSION"$'\n'* ]]
}

have_k8s_cmd() {
  local out
  [ -x "$BIN/$1" ] && out="$("$BIN/$1" --version 2>/dev/null)" && [ "$out" = "Kubernetes v$KUBERNETES_VERSION" ]
}

# missing_k8s_cmds: the entries of K8S_CMDS not yet built (one per line).
missing_k8s_cmds() {
  local c
  for c in "${K8S_CMDS[@]}"; do have_k8s_cmd "$c" || echo "$c"; done
}

have_binaries() { have_etcd && [ -z "$(missing_k8s_cmds)" ]; }

# The checksum database is not reachable here; the module proxy is the only
# source, so checksums are recorded in the wrapper go.sum files.
# The proxy is a filtered mirror: ask for exact tagged versions only.
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOSUMDB=off

# k8s.io/kubernetes requires every staging module at v0.0.0 and replaces it
# with ./staging/src/...; a wrapper module ignores dependencies' replaces, so
# point each one at its published v0.<minor>.<patch> release instead.
write_k8s_wrapper() {
  local dir="$SRC/kubernetes" gomod staging_ver
  staging_ver="v0.${KUBERNETES_VERSION#*.}"
  mkdir -p "$dir"
  gomod="$(cd "$dir" && go mod download -json "k8s.io/kubernetes@v$KUBERNETES_VERSION" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [ -f "$gomod" ] || { log "no go.mod for k8s.io/kubernetes@v$KUBERNETES_VERSION"; return 1; }
  local staging
  staging="$(awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" { print $1 }' "$gomod" | sort -u)"
  [ -n "$staging" ] || { log "no v0.0.0 k8s.io requirements found in $gomod"; return 1; }
  {
    echo "module local.invalid/k8sbuild"
    echo
    echo "go 1.25"
    echo
    # Same GODEBUG defaults as the upstream main module.
    grep '^godebug ' "$gomod" || true
    echo
    echo "require k8s.io/kubernetes v$KUBERNETES_VERSION"
    echo
    echo "replace ("
    local m
    for m in $staging; do printf '\t%s => %s %s\n' "$m" "$m" "$staging_ver"; done
    echo ")"
  } > "$dir/go.mod"
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    local c
    for c in "${K8S_CMDS[@]}"; do printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$c"; done
    printf ')\n'
  } > "$dir/tools.go"
  log "kubernetes wrapper: $(wc -w <<<"$staging") staging modules replaced by $staging_ver"
}

# etcd's server module replaces its sibling modules with ../ paths.
write_etcd_wrapper() {
  local dir="$SRC/etcd"
  mkdir -p "$dir"
  cat > "$dir/go.mod" <<MOD
module local.invalid/etcdbuild

go 1.25

require (
	go.etcd.io/etcd/api/v3 v$ETCD_VERSION
	go.etcd.io/etcd/client/pkg/v3 v$ETCD_VERSION
	go.etcd.io/etcd/client/v3 v$ETCD_VERSION
	go.etcd.io/etcd/pkg/v3 v$ETCD_VERSION
	go.etcd.io/etcd/server/v3 v$ETCD_VERSION
)
MOD
  cat > "$dir/tools.go" <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
}

# resolve DIR PKG: completes the wrapper go.mod/go.sum and downloads exactly
# the modules PKG needs (all pinned by upstream go.mod files: no @v/list).
resolve() { local dir="$1"; shift; (cd "$dir" && go list -deps "$@" >/dev/null); }

# build_k8s NAME: builds k8s.io/kubernetes/cmd/NAME with the version stamp.
build_k8s() {
  local name="$1" ld="-s -w"
  ld+=" -X k8s.io/component-base/version.gitVersion=v$KUBERNETES_VERSION"
  ld+=" -X k8s.io/component-base/version.gitMajor=${KUBERNETES_VERSION%%.*}"
  local minor="${KUBERNETES_VERSION#*.}"; minor="${minor%%.*}"
  ld+=" -X k8s.io/component-base/version.gitMinor=$minor"
  ld+=" -X k8s.io/component-base/version.gitTreeState=clean"
  (cd "$SRC/kubernetes" &&
    go build -trimpath -ldflags "$ld" -o "$BIN/$name.tmp" "k8s.io/kubernetes/cmd/$name") &&
    mv "$BIN/$name.tmp" "$BIN/$name"
}

build_etcd() {
  (cd "$SRC/etcd" &&
    go build -trimpath -ldflags "-s -w" -o "$BIN/etcd.tmp" go.etcd.io/etcd/server/v3) &&
    mv "$BIN/etcd.tmp" "$BIN/etcd"
}

step "kubectl present" ensure_kubectl

if have_binaries; then echo "$BIN"; exit 0; fi

mkdir -p "$BIN" "$SRC"
# Two concurrent callers (e.g. two `cluster.sh up`) must not build at once.
exec 9>"$CACHE_ROOT/$KEY/.build.lock"
if ! flock -n 9; then
  log "another build of $KEY is running; waiting for it"
  flock 9
fi
if have_binaries; then echo "$BIN"; exit 0; fi

t_all=$SECONDS
if ! have_etcd; then
  step "write etcd v$ETCD_VERSION wrapper module" write_etcd_wrapper
  step "resolve etcd v$ETCD_VERSION modules" resolve "$SRC/etcd" go.etcd.io/etcd/server/v3
  step "go build etcd v$ETCD_VERSION" build_etcd
fi
mapfile -t missing < <(missing_k8s_cmds)
if [ ${#missing[@]} -gt 0 ]; then
  step "write kubernetes v$KUBERNETES_VERSION wrapper module" write_k8s_wrapper
  step "resolve kubernetes v$KUBERNETES_VERSION modules" \
    resolve "$SRC/kubernetes" "${missing[@]/#/k8s.io/kubernetes/cmd/}"
  for c in "${missing[@]}"; do
    step "go build $c v$KUBERNETES_VERSION" build_k8s "$c"
  done
fi
have_binaries || die "built binaries do not report etcd $ETCD_VERSION / Kubernetes v$KUBERNETES_VERSION ($BIN)"
log "built $KEY in $((SECONDS - t_all)) s"
echo "$BIN"
