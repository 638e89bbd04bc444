#!/usr/bin/env bash
# `make bench-autoscale` (issue 23, item 6): seconds from a replicas change to
# all pods Running when Karpenter must add nodes, on the local cluster (run
# under tools/with-cluster.sh). A script that prints figures, never a timed test.
#
# The program of tests/e2e/autoscaling (KubernetesEnvironment with a Karpenter
# stream pool on Karpenter's kwok provider, the real KEDA and Karpenter as
# processes, the Volley operator test double) runs the application `stream`
# at 1 replica on the cluster's 3 stream nodes. Each run sets 5 replicas
# (one pod per node: Karpenter must add 2 nodes) with `pulumi up`, then waits
# for the 5 pods Running; then back to 1, until Karpenter has removed its
# nodes again (WhenEmpty, consolidateAfter 10s), so every run starts alike.
# Times per run, all from the API server's records (whole seconds): from the
# change of the VolleyApplication (when it recorded Pulumi's update of
# spec.replicas) to all 5 pods Running (the last pod's Ready transition), and
# Karpenter's part: to its first NodeClaim, and to its last node Ready
# (NodeClaim Initialized). Also the wall time from the start of `pulumi up`
# to all 5 pods Running as polled (every 0.5 s, while `up` runs). Prints each
# run, then the medians (BENCH_RUNS, default 3). kwok nodes boot in no time:
# on a cloud add the instance's launch and boot (about a minute on EC2).
set -uo pipefail
LANG_ID=bench-autoscale
VOLLEY_E2E_DIR="${VOLLEY_BENCH_DIR:-${TMPDIR:-/tmp}/volley-bench-autoscale-$(printf %s "$(cd "$(dirname "$0")/../.." && pwd)" | sha256sum | cut -c1-8)}"
export VOLLEY_E2E_DIR
. "$(dirname "$0")/../../tests/e2e/lib.sh"
RUNS="${BENCH_RUNS:-3}"
OUT=5 IN=1

prepare_autoscaling || die "preparing the autoscaling program failed"
run_pulumi config set awaitRunning false >/dev/null
run_pulumi up --yes --skip-preview >"$WORK/up.txt" 2>&1 || { tail -30 "$WORK/up.txt" >&2; die "pulumi up failed"; }
POOL="$(kubectl get nodepools -l app.kubernetes.io/part-of=volley -o jsonpath='{.items[0].metadata.name}' 2>/dev/null)"
[ -n "$POOL" ] || die "no NodePool of the environment"

now() { date +%s.%N; }
# epoch SECONDS-since-epoch of an RFC 3339 time from the API server.
epoch() { date -d "$1" +%s; }
running() { # running N: the stream application has exactly N pods, all Running
  local phases
  phases="$(kubectl get pods -n default -l volley.io/application=stream -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}' 2>/dev/null)"
  [ "$(grep -c . <<<"$phases")" = "$1" ] && [ "$(grep -c '^Running$' <<<"$phases")" = "$1" ]
}
wait_for() { # wait_for LIMIT CMD...: polls CMD every 0.5 s
  local end=$((SECONDS + $1)); shift
  until "$@"; do ((SECONDS < end)) || return 1; sleep 0.5; done
}
no_pool_nodes() { [ -z "$(pool_nodes)" ]; }
# changed: when the API server recorded the last update of spec.replicas by Pulumi.
changed() {
  kubectl get vapp stream -n default -o json --show-managed-fields | jqe "max(f['time'] for f in d['metadata']['managedFields'] if f.get('subresource') != 'status' and 'f:replicas' in json.dumps(f.get('fieldsV1', {}).get('f:spec', {})))"
}
# API-server timestamps have whole seconds: differences are whole seconds (±1 s).
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

wait_for 300 running "$IN" || die "stream is not Running at $IN replica"
from_change=() from_up=() to_claim=() to_nodes=()
for i in $(seq 1 "$RUNS"); do
  run_pulumi config set streamReplicas "$OUT" >/dev/null
  t_up="$(now)"
  run_pulumi up --yes --skip-preview >"$WORK/out-$i.txt" 2>&1 &
  up_pid=$!
  wait_for 600 running "$OUT" || die "run $i: $OUT pods not Running after 600 s"
  t_polled="$(now)"
  wait "$up_pid" || { tail -30 "$WORK/out-$i.txt" >&2; die "run $i: pulumi up to $OUT failed"; }
  t_change="$(changed)" && t_change="$(epoch "$t_change")" || die "run $i: no time of the replicas change"
  t_run="$(epoch "$(kget pods -n default -l volley.io/application=stream |
    jqe "max(c['lastTransitionTime'] for p in d['items'] for c in p['status']['conditions'] if c['type'] == 'Ready')")")"
  claims="$(kubectl get nodeclaims -l "karpenter.sh/nodepool=$POOL" -o json 2>/dev/null)"
  t_claim="$(epoch "$(jqe "min(c['metadata']['creationTimestamp'] for c in d['items'])" <<<"$claims")")"
  t_nodes="$(epoch "$(jqe "max(x['lastTransitionTime'] for c in d['items'] for x in c['status']['conditions'] if x['type'] == 'Initialized')" <<<"$claims")")"
  n="$(jqe "len(d['items'])" <<<"$claims")"
  # The figure is of a scale-out that needs new nodes: 5 pods, one per node, on 3 stream nodes.
  [ "$n" -eq $((OUT - 3)) ] || die "run $i: Karpenter added $n nodes, not $((OUT - 3)): the figure would not be of a node scale-out"
  from_change+=("$(sub "$t_change" "$t_run")") from_up+=("$(sub "$t_up" "$t_polled")")
  to_claim+=("$(sub "$t_change" "$t_claim")") to_nodes+=("$(sub "$t_change" "$t_nodes")")
  log "run $i: $IN -> $OUT replicas, $n nodes added: all Running ${from_change[-1]} s after the change (polled: ${from_up[-1]} s after pulumi up started); first NodeClaim at ${to_claim[-1]} s, last node Ready at ${to_nodes[-1]} s"
  run_pulumi config set streamReplicas "$IN" >/dev/null
  run_pulumi up --yes --skip-preview >"$WORK/in-$i.txt" 2>&1 || { tail -30 "$WORK/in-$i.txt" >&2; die "run $i: pulumi up to $IN failed"; }
  t_in="$(now)"
  wait_for 300 no_pool_nodes || die "run $i: Karpenter's nodes not removed after 300 s"
  log "run $i: back to $IN replica; Karpenter removed its nodes $(sub "$t_in" "$(now)") s after pulumi up returned"
done

stop_operator_double
stop_controllers
echo "scale-out with Karpenter adding nodes ($IN -> $OUT replicas, one pod per node, 3 stream nodes; kwok nodes), median of $RUNS on $(nproc) cores:"
echo "  replicas change -> all pods Running:      $(median "${from_change[@]}") s"
echo "  pulumi up start -> all pods Running:      $(median "${from_up[@]}") s (polled)"
echo "  replicas change -> first NodeClaim:       $(median "${to_claim[@]}") s"
echo "  replicas change -> last new node Ready:   $(median "${to_nodes[@]}") s"
