#!/usr/bin/env bash
# `make up` / `make down`: examples/kubernetes-ts (a KubernetesEnvironment,
# the operator and CRD, shared checkpoints on an NFS export, two
# Applications) on a cluster, with a local file backend and no Pulumi Cloud.
#
#   up    KUBECONFIG set and reachable: deploy there. Otherwise start the local
#         control plane (tools/cluster.sh) and deploy there. Prints the stack
#         outputs and `kubectl get vapp -A`.
#   down  pulumi destroy, then stop the local control plane if `up` started it.
#
# On the local control plane: no Helm charts (KEDA, Prometheus) since charts
# cannot be downloaded here (addons=false), and no waiting for Running since
# it runs no nodes, so no pod ever starts (awaitRunning=false). The
# Kubernetes provider plugin is tools/k8sprovider's stand-in when the real
# one cannot be installed (no download reachable). State: .pulumi/local.
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
    KUBECONFIG="$("$TOOLS_DIR/cluster.sh" up)" || die "local control plane did not start"
    export KUBECONFIG
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
