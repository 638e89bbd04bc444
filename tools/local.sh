#!/usr/bin/env bash
# `make up` / `make down`: examples/kubernetes-ts (a KubernetesEnvironment:
# the operator and CRD, KEDA, kube-prometheus-stack, shared checkpoints on an
# NFS export; two Applications) on a cluster, with the real Kubernetes
# provider, a local file backend and no Pulumi Cloud.
#
#   up    KUBECONFIG set and reachable: deploy there (the real operator image
#         runs the applications). Otherwise start the local cluster
#         (tools/cluster.sh: control plane, scheduler, kwok nodes) with the
#         operator TEST DOUBLE (tools/operator-double.sh), since no container
#         runs there, and deploy there. Waits until the applications are
#         Running; prints the stack outputs, `kubectl get vapp -A`,
#         `kubectl get pods -A -o wide`, then the kubeconfig, the backend and
#         the stack a second program needs (README "Your own program").
#         VOLLEY_KAFKA=1 turns the example's Kafka on (Strimzi from the local
#         chart copy); on the local cluster the Strimzi TEST DOUBLE
#         (tools/localkube strimzi-double) runs as the chart's ServiceAccounts.
#   down  pulumi destroy and remove the stack, stop the local cluster if `up`
#         started it, and delete what `up` made (.pulumi/local and, for the
#         local cluster, its state dir with its logs). Says what it keeps.
#
# Charts come from the local copies in $VOLLEY_CHARTS_DIR (default:
# shared/charts beside the repository) when they are there, else from the
# chart repositories. State: .pulumi/local (VOLLEY_LOCAL_DIR); the local
# cluster's: .pulumi/cluster (VOLLEY_CLUSTER_DIR).
. "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"
. "$TOOLS_DIR/env.sh"
WORK="${VOLLEY_LOCAL_DIR:-$REPO_DIR/.pulumi/local}"
CLUSTER_DIR="${VOLLEY_CLUSTER_DIR:-$REPO_DIR/.pulumi/cluster}"
mkdir -p "$WORK"
. "$TOOLS_DIR/program.sh"

reachable() { [ -n "${KUBECONFIG:-}" ] && kubectl --request-timeout=5s get --raw /readyz >/dev/null 2>&1; }

cmd_up() {
  local mode
  if reachable; then
    mode=external
    log "deploying to the cluster of KUBECONFIG=$KUBECONFIG"
  else
    mode=local
    KUBECONFIG="$("$TOOLS_DIR/cluster.sh" up)" || die "local cluster did not start"
    export KUBECONFIG
    # Its PID goes into the cluster's state dir: `cluster.sh down` stops it.
    "$TOOLS_DIR/operator-double.sh" start "$CLUSTER_DIR" ||
      die "the operator test double did not start"
    if [ "${VOLLEY_KAFKA:-}" = 1 ]; then
      local lk c
      lk="$("$TOOLS_DIR/build-localkube.sh")" || die "tools/build-localkube.sh failed"
      for c in strimzi-double-cluster-operator strimzi-double-entity-operator; do
        "$lk/localkube" controller start "$c" --dir "$CLUSTER_DIR" --bin "$lk" >&2 || die "the Strimzi test double did not start"
      done
    fi
  fi
  echo "$mode" > "$WORK/mode"
  # Absolute, for the summary below and for `down`.
  KUBECONFIG="$(cd "$(dirname "$KUBECONFIG")" && pwd)/$(basename "$KUBECONFIG")"
  echo "$KUBECONFIG" > "$WORK/kubeconfig-path"
  if [ ! -d "$WORK/program" ]; then
    prepare_program ts || die "could not prepare examples/kubernetes-ts"
  fi
  cd "$WORK/program"
  if ! run_pulumi stack select local >/dev/null 2>&1; then
    stack_init local || die "could not create the stack"
  fi
  run_pulumi config set --secret kubeconfig -- "$(cat "$KUBECONFIG")" >/dev/null
  if [ "${VOLLEY_KAFKA:-}" = 1 ]; then
    run_pulumi config set kafka true >/dev/null
    local strimzi="$VOLLEY_CHARTS_DIR/strimzi-kafka-operator-1.2.0"
    if [ -f "$strimzi/Chart.yaml" ]; then run_pulumi config set strimziChartPath "$(cd "$strimzi" && pwd)" >/dev/null; fi
  else
    run_pulumi config set kafka false >/dev/null
  fi
  run_pulumi up --yes || die "pulumi up failed"
  run_pulumi stack output
  kubectl get vapp -A
  kubectl get pods -A -o wide
  local project
  project="$(sed -n 's/^name: *//p' Pulumi.yaml)"
  cat <<SUMMARY

What you see, again:
  export KUBECONFIG=$KUBECONFIG
  kubectl get vapp -A
  kubectl get pods -A -o wide
A second program deploys onto this environment (README "Your own program"):
  export PULUMI_BACKEND_URL=file://$WORK/state   # this stack's state
  stack reference organization/$project/local, its output "environment"
Remove it all: make down
SUMMARY
}

cmd_down() {
  local mode kubeconfig kept
  mode="$(cat "$WORK/mode" 2>/dev/null || true)"
  kubeconfig="$(cat "$WORK/kubeconfig-path" 2>/dev/null || true)"
  if [ -d "$WORK/program" ]; then
    cd "$WORK/program"
    if run_pulumi stack select local >/dev/null 2>&1; then
      # --remove: the stack's history and config go too, so nothing is left
      # for the `pulumi stack rm` that a plain destroy suggests.
      run_pulumi destroy --yes --remove || die "pulumi destroy failed (the cluster is still up; state in $WORK)"
    fi
    cd "$REPO_DIR"
  fi
  if [ "$mode" = external ] && [ -n "$kubeconfig" ]; then
    # Checkpoint data outlives the stack on purpose (README "What destroy leaves").
    kept="$(KUBECONFIG="$kubeconfig" kubectl get pvc -A --no-headers \
      -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name 2>/dev/null |
      awk '$2 ~ /-shared-ckpt$|^(state|checkpoints)-/ {print "  " $1 "/" $2}')"
    [ -z "$kept" ] || printf 'kept on the cluster (checkpoint data; delete on purpose, see README "What destroy leaves"):\n%s\n' "$kept"
  fi
  if [ "$mode" = local ]; then
    "$TOOLS_DIR/cluster.sh" down
    # Its logs (kept by `cluster.sh down`) are of no use once the cluster is gone.
    rm -rf "$CLUSTER_DIR"
    log "removed $CLUSTER_DIR (the local cluster and its logs)"
  fi
  if [ -d "$WORK" ]; then
    rm -rf "$WORK"
    log "removed $WORK (the stack's state, its Pulumi home and the program copy)"
  fi
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
