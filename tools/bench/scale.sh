#!/usr/bin/env bash
# `make bench`, scale part (issue 15): the package against the same objects
# written as a plain program, on the local cluster with the real Kubernetes
# provider. Run under tools/with-cluster.sh.
#
# For each N (BENCH_APPS, default "1 10 50"): the volley program
# (tools/bench/scale/volley: a KubernetesEnvironment, operator only, and N
# distributed applications) is previewed fresh, brought up, previewed again
# (no changes) and updated with one application's replicas changed. Its
# Kubernetes objects are then read from its state (objects.js) and the plain
# program (tools/bench/scale/plain) declares exactly those, with the same
# inputs, dependencies and retention, through one provider, and goes through
# the same four steps. Wall times are of the whole `pulumi` command: `up` once,
# the previews and the one-application change the median of three runs.
# Prints a table and, last, one `scale:` line.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
set +e
. "$TOOLS_DIR/env.sh" || exit 1
[ -n "${KUBECONFIG:-}" ] || die "KUBECONFIG is not set; run under tools/with-cluster.sh"
command -v kubectl >/dev/null || die "kubectl is missing (make tools)"

WORK="${VOLLEY_BENCH_DIR:-${TMPDIR:-/tmp}/volley-bench-scale-$(printf %s "$REPO_DIR" | sha256sum | cut -c1-8)}"
rm -rf "$WORK"; mkdir -p "$WORK"
. "$TOOLS_DIR/program.sh"
COUNTS="${BENCH_APPS:-1 10 50}"
SRC="$TOOLS_DIR/bench/scale"

# --- the two programs ---------------------------------------------------------
install_kubernetes_plugin || die "kubernetes plugin unavailable"
build_node_sdk || die "node SDK build failed"
cp -r "$SRC/volley" "$WORK/volley"
sed -i "s|^  volley: .*$|  volley: $REPO_DIR|" "$WORK/volley/Pulumi.yaml"
sed -i "s|\"file:../../../../sdk/nodejs\"|\"file:$NODE_SDK_DIR\"|" "$WORK/volley/package.json"
cp -r "$SRC/plain" "$WORK/plain"
for p in volley plain; do
  (cd "$WORK/$p" && npm install --install-links --no-audit --no-fund --loglevel=error >/dev/null) || die "npm install ($p) failed"
done

# secs CMD...: runs CMD in the current program, prints its wall time in seconds.
secs() {
  local t0 t1
  t0="$(date +%s.%N)"
  if ! "$@" >"$WORK/last.txt" 2>&1; then log "failed: $*"; tail -30 "$WORK/last.txt" >&2; return 1; fi
  t1="$(date +%s.%N)"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}

# median3 CMD...: runs CMD three times, prints the median wall time (previews
# repeat without changing anything; one run per cell varied by 0.3 s).
median3() {
  local a b c
  a="$(secs "$@")" && b="$(secs "$@")" && c="$(secs "$@")" || return 1
  printf '%s\n' "$a" "$b" "$c" | sort -n | sed -n 2p
}

# change3: three one-application changes (replicas 2, 3, 2 of the first), the median.
change3() {
  local r t ts=()
  for r in 2 3 2; do
    run_pulumi config set changedReplicas "$r" >/dev/null
    t="$(secs run_pulumi up --yes --skip-preview)" || return 1
    ts+=("$t")
  done
  printf '%s\n' "${ts[@]}" | sort -n | sed -n 2p
}

# peak_plugin_mib CMD...: runs CMD, prints the plugin's peak resident memory (MiB) during it.
peak_plugin_mib() {
  local flag="$WORK/peak.running" out="$WORK/peak.kib"
  : >"$flag"; echo 0 >"$out"
  (
    max=0
    while [ -f "$flag" ]; do
      for pid in $(pgrep -f "run-plugin/index.js $REPO_DIR"); do
        kib="$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)"
        [ -n "$kib" ] && [ "$kib" -gt "$max" ] && max="$kib" && echo "$max" >"$out"
      done
      sleep 0.2
    done
  ) &
  local sampler=$!
  "$@" >"$WORK/last.txt" 2>&1; local rc=$?
  rm -f "$flag"; wait "$sampler"
  [ "$rc" -eq 0 ] || { tail -30 "$WORK/last.txt" >&2; return 1; }
  awk '{ printf "%.0f", $1 / 1024 }' "$out"
}

objects_in_state() {
  run_pulumi stack export --show-secrets | node -e '
    const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
    console.log((s.deployment.resources || []).filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:")).length)'
}

# side PROGRAM N: the four steps; sets PREVIEW UP NOOP CHANGE OBJECTS.
side() {
  local prog="$1" n="$2"
  cd "$WORK/$prog" || return 1
  run_pulumi stack init "bench-$n" >/dev/null || return 1
  run_pulumi config set --secret kubeconfig -- "$(cat "$KUBECONFIG")" >/dev/null || return 1
  if [ "$prog" = volley ]; then run_pulumi config set apps "$n" >/dev/null
  else run_pulumi config set objects "$WORK/objects-$n.json" >/dev/null; fi
  PREVIEW="$(median3 run_pulumi preview)" || return 1
  if [ "$prog" = volley ] && [ "$n" = "$LAST" ]; then
    local t0; t0="$(date +%s.%N)"
    PEAK_MIB="$(peak_plugin_mib run_pulumi up --yes --skip-preview)" || return 1
    UP="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
  else
    UP="$(secs run_pulumi up --yes --skip-preview)" || return 1
  fi
  NOOP="$(median3 run_pulumi preview --expect-no-changes)" || return 1
  OBJECTS="$(objects_in_state)"
  if [ "$prog" = volley ]; then
    run_pulumi stack export --show-secrets | node "$SRC/objects.js" >"$WORK/objects-$n.json" || return 1
  fi
  CHANGE="$(change3)" || return 1
  run_pulumi destroy --yes --skip-preview >/dev/null 2>&1 || return 1
  run_pulumi stack rm --yes "bench-$n" >/dev/null 2>&1
  # Checkpoint claims and volumes are retained on destroy: remove them so the
  # other program creates the same objects anew.
  kubectl delete pvc --all -n default --wait=true >/dev/null 2>&1
  kubectl delete pv -l volley.io/checkpoints=shared --wait=true >/dev/null 2>&1
  return 0
}

# One untimed preview of each program first: the first run of a program
# also compiles and caches its TypeScript, which no later run pays.
warm_up() {
  cd "$WORK/$1" && run_pulumi stack init warm-up >/dev/null &&
    run_pulumi config set --secret kubeconfig -- "$(cat "$KUBECONFIG")" >/dev/null &&
    if [ "$1" = volley ]; then run_pulumi config set apps 1 >/dev/null
    else echo '[]' >"$WORK/objects-none.json" && run_pulumi config set objects "$WORK/objects-none.json" >/dev/null; fi &&
    run_pulumi preview >"$WORK/last.txt" 2>&1 && run_pulumi stack rm --yes warm-up >/dev/null 2>&1
}
warm_up volley || die "warm-up preview (volley) failed"
warm_up plain || die "warm-up preview (plain) failed"

LAST="${COUNTS##* }"
rows=()
for n in $COUNTS; do
  log "N=$n: volley"
  side volley "$n" || die "volley program, N=$n"
  v=("$PREVIEW" "$UP" "$NOOP" "$CHANGE" "$OBJECTS")
  log "N=$n: plain"
  side plain "$n" || die "plain program, N=$n"
  p=("$PREVIEW" "$UP" "$NOOP" "$CHANGE" "$OBJECTS")
  [ "${v[4]}" = "${p[4]}" ] || die "N=$n: the plain program made ${p[4]} objects, the volley one ${v[4]}"
  rows+=("$n ${p[*]} ${v[*]}")
done

echo "scale: $(nproc) cores, real Kubernetes provider $K8S_PROVIDER_VERSION, local cluster; seconds of wall time per pulumi command"
printf '%s\n' "${rows[@]}" | awk -v peak="${PEAK_MIB:-?}" -v last="$LAST" '
  function r(v, p) { return p > 0 ? v / p : 0 }
  BEGIN {
    print "| N | objects | step | plain | volley | ratio |"
    print "|---|---|---|---|---|---|"
    split("fresh preview|up|no-op preview|one-app change (up)", step, "|")
  }
  {
    n = $1; objs = $6
    for (i = 1; i <= 4; i++) {
      p = $(1 + i); v = $(6 + i)
      printf "| %s | %s | %s | %.1f | %.1f | %.2f |\n", n, objs, step[i], p, v, r(v, p)
      P[n, i] = p; V[n, i] = v
    }
    ns[++k] = n
  }
  END {
    if (k >= 2) {
      a = ns[1]; b = ns[k]
      printf "marginal fresh preview per application (N=%s..%s): plain %.0f ms, volley %.0f ms\n", a, b,
        1000 * (P[b, 1] - P[a, 1]) / (b - a), 1000 * (V[b, 1] - V[a, 1]) / (b - a)
    }
    b = ns[k]
    printf "plugin peak memory during up at %s apps: %s MiB\n", last, peak
    printf "scale: preview ratio at %s apps %.2f, no-op preview ratio %.2f, up ratio %.2f\n", b, r(V[b, 1], P[b, 1]), r(V[b, 3], P[b, 3]), r(V[b, 2], P[b, 2])
  }'
