#!/usr/bin/env bash
# `make tools`: builds (or reuses) everything the tests need outside npm:
# the Pulumi CLI, our language hosts, etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok, localkube, the real Kubernetes provider, promtool,
# prometheus-operator, KEDA, Karpenter's kwok provider, kubectl and a Python
# venv with the Pulumi SDK. Each step prints its duration.
# Two lanes of about equal cold build time run side by side: a cold build
# spends much of its time downloading modules and linking, which one lane
# alone leaves a core idle for. Builds share only Go's caches, which lock.
. "$(dirname "$0")/lib.sh"
t0=$SECONDS
lane() {
  local script out
  for script in "$@"; do
    out="$("$TOOLS_DIR/$script")" || { log "ERROR: $script failed"; return 1; }
    log "ready: $out"
  done
}
# KEDA (operator and metrics API server, the larger) joins the lane with the
# Kubernetes provider, Karpenter the other: both lanes grow by about as much.
lane build-pulumi.sh build-langhost.sh build-yaml.sh build-k8s.sh build-kwok.sh build-localkube.sh python-venv.sh build-karpenter.sh &
a=$!
lane build-k8sprovider.sh build-promtool.sh build-prometheus-operator.sh build-keda.sh &
b=$!
rc=0
wait "$a" || rc=1
wait "$b" || rc=1
[ "$rc" -eq 0 ] || die "toolchain build failed"
log "toolchain ready in $((SECONDS - t0)) s (cache: $CACHE_ROOT, $(du -sh "$CACHE_ROOT" | cut -f1))"
