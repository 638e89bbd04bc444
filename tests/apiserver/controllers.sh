#!/usr/bin/env bash
# Checks that the local control plane runs the controllers end-to-end tests
# rely on (tools/cluster.sh starts kube-controller-manager):
#   - namespace controller: a deleted Namespace (holding a ConfigMap) is
#     finalized and gone within the timeout, not stuck in Terminating;
#   - persistentvolume binder: a PV pre-bound to a claim (claimRef) and the
#     PVC naming it (volumeName) both become Bound within the timeout;
#   - garbage collector: a ConfigMap owned by another one is deleted with it;
#   - service accounts: a new namespace gets its `default` ServiceAccount and
#     the `kube-root-ca.crt` ConfigMap;
#   - nodes (kwok): 2 system, 3 stream and 3 Kafka nodes are Ready, the
#     stream and Kafka nodes labelled and tainted like an environment's pools;
#   - scheduler: a pod tolerating the stream taint and selecting the stream
#     pool runs on a stream node; a pod that does not tolerate it lands on a
#     system node; a pod asking for more CPU than any node has stays Pending;
#   - dynamic provisioning: a claim on the default StorageClass is Bound.
# Prints one `ok`/`FAIL` line per check and finally `N passed, M failed`.
#
# Usage: tools/with-cluster.sh tests/apiserver/controllers.sh
#   (needs KUBECONFIG pointing at a disposable cluster)
# Environment: VOLLEY_CONTROLLER_TIMEOUT  seconds per check (default: 60)
set -uo pipefail
TIMEOUT="${VOLLEY_CONTROLLER_TIMEOUT:-60}"

[ -n "${KUBECONFIG:-}" ] || { echo "KUBECONFIG is not set; run under tools/with-cluster.sh" >&2; exit 2; }

passed=0 failed=0
ok()   { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
first_line() { printf '%s' "$1" | tr '\n' ' ' | tr -s ' ' | cut -c1-220; }

# Unique names, so a rerun against the same cluster does not collide.
SUFFIX="$(date +%s)-$$"
NS_DEL="volley-ctl-del-$SUFFIX"
NS_PV="volley-ctl-pv-$SUFFIX"
PV="volley-ctl-pv-$SUFFIX"
PVC=data

# Best-effort cleanup of what this script created (the cluster is disposable
# anyway; this keeps a shared cluster tidy).
cleanup() {
  kubectl delete namespace "$NS_DEL" "$NS_PV" --ignore-not-found --wait=false >/dev/null 2>&1
  kubectl delete pv "$PV" --ignore-not-found --wait=false >/dev/null 2>&1
}
trap cleanup EXIT

# not_found KUBECTL_GET_ARGS...: the object is gone (NotFound, not merely an
# unreachable server).
not_found() {
  local out
  out="$(kubectl get "$@" -o name 2>&1)" && return 1
  grep -q '(NotFound)' <<<"$out"
}

# wait_until SECONDS CMD...: polls CMD until it succeeds or SECONDS pass.
wait_until() {
  local end=$((SECONDS + $1)); shift
  while :; do
    "$@" >/dev/null 2>&1 && return 0
    ((SECONDS >= end)) && return 1
    sleep 1
  done
}

# --- namespace deletion (namespace controller) ------------------------------

if out="$(kubectl create namespace "$NS_DEL" 2>&1 &&
  kubectl -n "$NS_DEL" create configmap payload --from-literal=k=v 2>&1)"; then
  t0=$SECONDS
  if ! out="$(kubectl delete namespace "$NS_DEL" --wait=false 2>&1)"; then
    fail "delete namespace $NS_DEL: $(first_line "$out")"
  elif wait_until "$TIMEOUT" not_found namespace "$NS_DEL"; then
    ok "namespace with a ConfigMap deleted and gone in $((SECONDS - t0)) s"
  else
    phase="$(kubectl get namespace "$NS_DEL" -o jsonpath='{.status.phase} {.status.conditions[*].message}' 2>&1)"
    fail "namespace $NS_DEL still present after ${TIMEOUT}s: $(first_line "$phase")"
  fi
else
  fail "create namespace $NS_DEL with a ConfigMap: $(first_line "$out")"
fi

# --- PV pre-bound to a claim (persistentvolume binder) ----------------------

bound() { [ "$(kubectl get "$@" -o jsonpath='{.status.phase}' 2>/dev/null)" = Bound ]; }

if out="$(kubectl create namespace "$NS_PV" 2>&1 && kubectl apply -f - 2>&1 <<YAML
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $PV
spec:
  capacity:
    storage: 1Gi
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: ""
  hostPath:
    path: /tmp/$PV
  claimRef:
    namespace: $NS_PV
    name: $PVC
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: $PVC
  namespace: $NS_PV
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  volumeName: $PV
  resources:
    requests:
      storage: 1Gi
YAML
)"; then
  t0=$SECONDS
  if wait_until "$TIMEOUT" bound pv "$PV"; then
    ok "PersistentVolume $PV Bound in $((SECONDS - t0)) s"
  else
    fail "PersistentVolume $PV not Bound after ${TIMEOUT}s: phase '$(kubectl get pv "$PV" -o jsonpath='{.status.phase}' 2>&1)'"
  fi
  if wait_until "$TIMEOUT" bound -n "$NS_PV" pvc "$PVC"; then
    vol="$(kubectl -n "$NS_PV" get pvc "$PVC" -o jsonpath='{.spec.volumeName}' 2>&1)"
    if [ "$vol" = "$PV" ]; then
      ok "PersistentVolumeClaim $NS_PV/$PVC Bound to $PV in $((SECONDS - t0)) s"
    else
      fail "PersistentVolumeClaim $NS_PV/$PVC Bound to '$vol', expected $PV"
    fi
  else
    fail "PersistentVolumeClaim $NS_PV/$PVC not Bound after ${TIMEOUT}s: phase '$(kubectl -n "$NS_PV" get pvc "$PVC" -o jsonpath='{.status.phase}' 2>&1)'"
  fi
else
  fail "create PV $PV and PVC $NS_PV/$PVC: $(first_line "$out")"
fi

# --- service accounts (serviceaccount + root-ca publisher controllers) ------

if wait_until "$TIMEOUT" kubectl -n "$NS_PV" get serviceaccount default &&
  wait_until "$TIMEOUT" kubectl -n "$NS_PV" get configmap kube-root-ca.crt; then
  ok "namespace $NS_PV got ServiceAccount default and ConfigMap kube-root-ca.crt"
else
  fail "namespace $NS_PV: no ServiceAccount default or ConfigMap kube-root-ca.crt after ${TIMEOUT}s"
fi

# --- garbage collection (garbage collector) ---------------------------------

if out="$(kubectl -n "$NS_PV" create configmap owner --from-literal=k=v 2>&1)" &&
  uid="$(kubectl -n "$NS_PV" get configmap owner -o jsonpath='{.metadata.uid}' 2>&1)" &&
  out="$(kubectl apply -f - 2>&1 <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: child
  namespace: $NS_PV
  ownerReferences:
  - apiVersion: v1
    kind: ConfigMap
    name: owner
    uid: $uid
data:
  k: v
YAML
)"; then
  t0=$SECONDS
  if ! out="$(kubectl -n "$NS_PV" delete configmap owner --wait=false 2>&1)"; then
    fail "delete owner ConfigMap: $(first_line "$out")"
  elif wait_until "$TIMEOUT" not_found -n "$NS_PV" configmap child; then
    ok "garbage collector deleted the dependent ConfigMap in $((SECONDS - t0)) s"
  else
    fail "dependent ConfigMap $NS_PV/child still present ${TIMEOUT}s after its owner was deleted"
  fi
else
  fail "create owner/child ConfigMaps: $(first_line "$out")"
fi

# --- nodes, scheduler, kwok pod lifecycle, dynamic provisioning ------------

nodes="$(kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}:{.metadata.labels.volley\.io/pool}:{.spec.taints[*].key}={.spec.taints[*].value}/{.spec.taints[*].effect}:{.status.conditions[?(@.type=="Ready")].status} {end}' 2>&1)"
want="kafka-0:kafka:volley.io/kafka=true/NoSchedule:True kafka-1:kafka:volley.io/kafka=true/NoSchedule:True kafka-2:kafka:volley.io/kafka=true/NoSchedule:True stream-0:stream-processing:volley.io/dedicated=true/NoSchedule:True stream-1:stream-processing:volley.io/dedicated=true/NoSchedule:True stream-2:stream-processing:volley.io/dedicated=true/NoSchedule:True system-0:system:=/:True system-1:system:=/:True "
if [ "$nodes" = "$want" ]; then ok "2 system, 3 tainted stream and 3 tainted Kafka nodes, all Ready"; else fail "nodes: got [$nodes]"; fi

phase_of() { kubectl -n "$NS_PV" get pod "$1" -o jsonpath='{.status.phase}' 2>/dev/null; }
running() { [ "$(phase_of "$1")" = Running ]; }
node_of() { kubectl -n "$NS_PV" get pod "$1" -o jsonpath='{.spec.nodeName}' 2>/dev/null; }
if out="$(kubectl apply -f - 2>&1 <<YAML
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: dynamic, namespace: $NS_PV}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: on-stream, namespace: $NS_PV}
spec:
  nodeSelector: {volley.io/pool: stream-processing}
  tolerations: [{key: volley.io/dedicated, operator: Equal, value: "true", effect: NoSchedule}]
  containers: [{name: c, image: registry.invalid/x:1, resources: {requests: {cpu: "2", memory: 4Gi}}}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: dynamic}}]
---
apiVersion: v1
kind: Pod
metadata: {name: untolerated, namespace: $NS_PV}
spec:
  containers: [{name: c, image: registry.invalid/x:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: too-big, namespace: $NS_PV}
spec:
  containers: [{name: c, image: registry.invalid/x:1, resources: {requests: {cpu: "64"}}}]
YAML
)"; then
  if wait_until "$TIMEOUT" bound -n "$NS_PV" pvc dynamic; then ok "claim on the default StorageClass Bound by the provisioner"
  else fail "claim dynamic not Bound: $(kubectl -n "$NS_PV" get pvc dynamic -o jsonpath='{.status.phase}' 2>&1)"; fi
  if wait_until "$TIMEOUT" running on-stream && [[ $(node_of on-stream) == stream-* ]]; then ok "tolerating pod Running on stream node $(node_of on-stream)"
  else fail "tolerating pod: phase '$(phase_of on-stream)' node '$(node_of on-stream)'"; fi
  if wait_until "$TIMEOUT" running untolerated && [[ $(node_of untolerated) == system-* ]]; then ok "untolerating pod Running on system node $(node_of untolerated)"
  else fail "untolerating pod: phase '$(phase_of untolerated)' node '$(node_of untolerated)'"; fi
  sleep 2
  reason="$(kubectl -n "$NS_PV" get pod too-big -o jsonpath='{.status.phase} {.status.conditions[?(@.type=="PodScheduled")].reason}' 2>&1)"
  expect_pending="Pending Unschedulable"
  if [ "$reason" = "$expect_pending" ]; then ok "pod larger than any node stays Pending (Unschedulable)"; else fail "too-big pod: [$reason]"; fi
else
  fail "create pods and claim: $(first_line "$out")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
