#!/usr/bin/env bash
# `make tools`: builds (or reuses) everything the tests need outside npm:
# the Pulumi CLI, our language hosts, etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok, localkube, the real Kubernetes provider, kubectl and a
# Python venv with the Pulumi SDK. Each step prints its duration.
. "$(dirname "$0")/lib.sh"
t0=$SECONDS
for script in build-pulumi.sh build-langhost.sh build-yaml.sh build-k8s.sh build-kwok.sh build-localkube.sh build-k8sprovider.sh python-venv.sh; do
  out="$("$TOOLS_DIR/$script")" || die "$script failed"
  log "ready: $out"
done
log "toolchain ready in $((SECONDS - t0)) s (cache: $CACHE_ROOT, $(du -sh "$CACHE_ROOT" | cut -f1))"
