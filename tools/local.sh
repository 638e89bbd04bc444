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
#         Running; prints the stack outputs, `kubectl get vapp -A` and
#         `kubectl get pods -A -o wide`.
#   down  pulumi destroy, then stop the local cluster if `up` started it.
#
# Charts come from the local copies in $VOLLEY_CHARTS_DIR (default:
# shared/charts beside the repository) when they are there, else from the
# chart repositories. State: .pulumi/local.
. "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"
. "$TOOLS_DIR/env.sh"
WORK="$REPO_DIR/.pulumi/local"
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
    "$TOOLS_DIR/operator-double.sh" start "${VOLLEY_CLUSTER_DIR:-$REPO_DIR/.pulumi/cluster}" ||
      die "the operator test double did not start"
  fi
  echo "$mode" > "$WORK/mode"
  if [ ! -d "$WORK/program" ]; then
    prepare_program ts || die "could not prepare examples/kubernetes-ts"
  fi
  cd "$WORK/program"
  if ! run_pulumi stack select local >/dev/null 2>&1; then
    stack_init local || die "could not create the stack"
  fi
  run_pulumi config set --secret kubeconfig -- "$(cat "$KUBECONFIG")" >/dev/null
  run_pulumi up --yes || die "pulumi up failed"
  run_pulumi stack output
  kubectl get vapp -A
  kubectl get pods -A -o wide
}

cmd_down() {
  if [ -d "$WORK/program" ]; then
    cd "$WORK/program"
    if run_pulumi stack select local >/dev/null 2>&1; then
      run_pulumi destroy --yes || die "pulumi destroy failed (the cluster is still up)"
    fi
  fi
  if [ "$(cat "$WORK/mode" 2>/dev/null)" = local ]; then
    "$TOOLS_DIR/cluster.sh" down
  fi
  rm -rf "$WORK"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
