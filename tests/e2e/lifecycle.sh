#!/usr/bin/env bash
# End-to-end lifecycle of examples/kubernetes-<lang> through the real Pulumi
# engine and the real Kubernetes provider, on the local cluster with nodes
# (run under tools/with-cluster.sh), and the operator test double running as
# the package's operator ServiceAccount. TypeScript runs the whole
# environment: KEDA and kube-prometheus-stack from the pinned upstream charts
# (the example's `addons`), the real prometheus-operator as the chart's
# operator ServiceAccount (tools/localkube controller) and the policy pack.
# Python, Go and YAML prove their SDK's surface on the same example with its
# add-ons off (`addons: false`, which their examples read too): the charts
# are the provider's, not the language's, and proving them once per run is
# about 80 s less per language (preview and up render the charts each time).
#   up (awaiting readiness and every application Running) -> assert with
#   kubectl: objects, pod placement, discovery -> preview --expect-no-changes
#   -> change replicas -> preview shows exactly one update -> up (Running
#   again at the new size) -> destroy -> nothing of ours remains but the
#   retained checkpoint and state claims.
# Usage: tests/e2e/lifecycle.sh ts|py|go|yaml
# Prints one ok/FAIL line per assertion and `N passed, M failed`.
set -uo pipefail
LANG_ID="${1:?usage: lifecycle.sh ts|py|go|yaml}"
. "$(dirname "$0")/lib.sh"

prepare_program "$LANG_ID" || { echo "0 passed, 1 failed"; exit 1; }
cd "$PROGRAM_DIR"
stack_init || { echo "0 passed, 1 failed"; exit 1; }
if [ "$LANG_ID" = ts ]; then ADDONS=True
else ADDONS=False; run_pulumi config set addons false >/dev/null && run_pulumi config set prometheusMode none >/dev/null; fi
before="$(cluster_objects)"
start_operator_double
# The real prometheus-operator, as the chart's ServiceAccount: what it
# generates from the stack is asserted once per CI run (TypeScript only).
if [ "$LANG_ID" = ts ]; then start_controller prometheus-operator || { echo "0 passed, 1 failed"; exit 1; }; fi

# --- the package's policy pack passes the example (TypeScript only: the pack
# reads resources, not languages) ---------------------------------------------
if [ "$LANG_ID" = ts ]; then
  # Critical alerts to a webhook whose Secret is created after `up` (as a user
  # would): prometheus-operator picks it up when it appears.
  run_pulumi config set alertWebhookSecret alert-webhook >/dev/null
  preview_with_policies "$WORK/policy"; rc=$?
  expect "preview --policy-pack passes the example" "0" "$rc"
  [ "$rc" -eq 0 ] || tail -30 "$WORK/policy.txt"
  expect "the example has no mandatory policy violation" "" "$(policy_violations "$WORK/policy.events" mandatory)"
  # Advisory only: the example's images are tags, not digests.
  expect "advisory: images not pinned by digest" "images-pinned:aggregate-vapp images-pinned:ingest-vapp" \
    "$(policy_violations "$WORK/policy.events" advisory)"
fi

# --- up ---------------------------------------------------------------------
if run_pulumi up --yes --skip-preview >"$WORK/up.txt" 2>&1; then ok "pulumi up"
else fail "pulumi up"; tail -40 "$WORK/up.txt"; finish; fi

crd="$(kget crd volleyapplications.volley.io)"
expect "CRD established" "True" "$(jqe "[c['status'] for c in d['status']['conditions'] if c['type']=='Established'][0]" <<<"$crd")"
agg="$(kget vapp aggregate -n default)"
expect "aggregate CR wired to its claim" "aggregate-shared-ckpt" "$(jqe "d['spec']['cluster']['sharedCheckpoints']['claimName']" <<<"$agg")"
expect "aggregate CR tolerates the stream pool" "volley.io/dedicated=true:NoSchedule" \
  "$(jqe "'%s=%s:%s' % tuple(d['spec']['isolation']['tolerations'][0][k] for k in ('key','value','effect'))" <<<"$agg")"
expect "aggregate CR selects the stream pool" "stream-processing" "$(jqe "d['spec']['isolation']['nodeSelector']['volley.io/pool']" <<<"$agg")"
expect "aggregate CR replicas" "3" "$(jqe "d['spec']['replicas']" <<<"$agg")"
expect "aggregate CR autoscales with KEDA as the example's addons say" "$ADDONS" "$(jqe "d['spec']['autoscaling']['enabled']" <<<"$agg")"
if [ "$ADDONS" = True ]; then
  expect "ServiceMonitor left on (CRD default) with Prometheus" "absent" \
    "$(jqe "'absent' if 'serviceMonitor' not in (d['spec'].get('observability') or {}) else d['spec']['observability']['serviceMonitor']" <<<"$agg")"
else
  expect "ServiceMonitor off without Prometheus" "False" "$(jqe "d['spec']['observability']['serviceMonitor']['enabled']" <<<"$agg")"
fi
expect "ingest CR exists" "ingest" "$(kget vapp ingest -n default | jqe "d['metadata']['name']")"
role="$(kget clusterrole volley-operator-volley-system)"
expect "operator ClusterRole has no wildcard" "False" "$(jqe "'*' in json.dumps(d['rules'])" <<<"$role")"
expect "operator ClusterRole covers statefulsets" "True" "$(jqe "any('statefulsets' in r['resources'] for r in d['rules'])" <<<"$role")"
expect "operator ClusterRoleBinding to its ServiceAccount" "volley-operator" \
  "$(kget clusterrolebinding volley-operator-volley-system | jqe "d['subjects'][0]['name']")"
dep="$(kget deployment volley-operator -n volley-system)"
expect "operator Deployment runs the configured image (operatorImage)" "$OPERATOR_DOUBLE_IMAGE" "$(jqe "d['spec']['template']['spec']['containers'][0]['image']" <<<"$dep")"
expect "operator Deployment: no undocumented probes or ports, no surge with one replica" "None None None 0" \
  "$(jqe "(lambda c, s: '%s %s %s %s' % (c.get('livenessProbe'), c.get('readinessProbe'), c.get('ports'), s.get('rollingUpdate', {}).get('maxSurge')))(d['spec']['template']['spec']['containers'][0], d['spec']['strategy'])" <<<"$dep")"
if [ "$LANG_ID" = ts ]; then
  # One replica, never two reconcilers (#20.2), judged by the real
  # kube-scheduler and Deployment controller: the running operator pod is
  # held in Terminating (a finalizer; kwok deletes it at once otherwise), the
  # Deployment is rolled, and the new pod must stay unscheduled until the old
  # one is gone. maxSurge 0 alone fails this (kubernetes#99513): the new pod
  # is created and scheduled while the old one terminates.
  OP_SEL=app.kubernetes.io/name=volley-k8s-operator
  op_pods() { kubectl -n volley-system get pods -l "$OP_SEL" -o json 2>/dev/null; }
  old_pod="$(op_pods | jqe "' '.join(p['metadata']['name'] for p in d['items'])")"
  kubectl -n volley-system patch pod "$old_pod" --type=merge -p '{"metadata":{"finalizers":["volley.io/e2e-hold"]}}' >/dev/null
  kubectl -n volley-system rollout restart deployment/volley-operator >/dev/null
  old_terminating_new_exists() {
    [ "$(op_pods | jqe "'%s %d' % (any(p['metadata']['name'] == '$old_pod' and p['metadata'].get('deletionTimestamp') for p in d['items']), sum(p['metadata']['name'] != '$old_pod' for p in d['items']))")" = "True 1" ]
  }
  if wait_until 60 old_terminating_new_exists; then
    sleep 10   # the scheduler has had time to place it, were it allowed to
    expect "operator rollout: no new pod scheduled while the old one is terminating (#20.2)" "Pending unscheduled" \
      "$(op_pods | jqe "' '.join('%s %s' % (p['status'].get('phase'), p['spec'].get('nodeName') or 'unscheduled') for p in d['items'] if p['metadata']['name'] != '$old_pod')")"
  else
    fail "operator rollout: the old pod terminating beside a new one ($(op_pods | jqe "[(p['metadata']['name'], p['metadata'].get('deletionTimestamp')) for p in d['items']]"))"
  fi
  kubectl -n volley-system patch pod "$old_pod" --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]' >/dev/null
  if kubectl -n volley-system rollout status deployment/volley-operator --timeout=90s >/dev/null 2>&1; then
    expect "operator rollout: once the old pod is gone the new one runs, alone" "1 Running" \
      "$(op_pods | jqe "'%d %s' % (len(d['items']), ' '.join(p['status'].get('phase') for p in d['items']))")"
  else fail "operator rollout completes once the old pod is gone"; fi
fi
expect "Volley's CRD is retained on delete (in the state)" "True" \
  "$(run_pulumi stack export 2>/dev/null | jqe "any(r.get('retainOnDelete') for r in d['deployment']['resources'] if r['type'] == 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition' and r['urn'].endswith('dev-operator-crd'))")"
expect "operator runs read-only, non-root" "True True" \
  "$(jqe "'%s %s' % (d['spec']['template']['spec']['containers'][0]['securityContext']['readOnlyRootFilesystem'], d['spec']['template']['spec']['securityContext']['runAsNonRoot'])" <<<"$dep")"
expect "operator Deployment ready" "1" "$(jqe "d['status'].get('readyReplicas', 0)" <<<"$dep")"
expect "checkpoint PV is retained" "Retain" "$(kget pv default.aggregate-shared-ckpt | jqe "d['spec']['persistentVolumeReclaimPolicy']")"
expect "checkpoint PVC is RWX, Bound to its PV" "ReadWriteMany default.aggregate-shared-ckpt Bound" \
  "$(kget pvc aggregate-shared-ckpt -n default | jqe "d['spec']['accessModes'][0] + ' ' + d['spec']['volumeName'] + ' ' + d['status']['phase']")"
expect "stack output aggregateClaim" "aggregate-shared-ckpt" "$(run_pulumi stack output aggregateClaim 2>/dev/null)"

# Applications, as the operator (double) runs them.
expect "stack output aggregatePhase" "Running" "$(run_pulumi stack output aggregatePhase 2>/dev/null)"
expect "both applications Running" "Running Running" "$(kubectl get vapp -n default aggregate ingest -o jsonpath='{.items[*].status.phase}' 2>/dev/null)"
assert_app_pods aggregate 3
assert_app_pods ingest 1
expect "every aggregate pod mounts the shared claim" "aggregate-shared-ckpt aggregate-shared-ckpt aggregate-shared-ckpt" \
  "$(kubectl get pods -n default -l volley.io/application=aggregate -o jsonpath='{range .items[*]}{.spec.volumes[?(@.name=="shared-checkpoints")].persistentVolumeClaim.claimName}{" "}{end}' 2>/dev/null | xargs)"
expect "aggregate is distributed (VOLLEY_NUM_WORKERS=3)" "3" \
  "$(kubectl get sts aggregate -n default -o jsonpath='{.spec.template.spec.containers[0].env[?(@.name=="VOLLEY_NUM_WORKERS")].value}' 2>/dev/null)"
if [ "$ADDONS" = True ]; then
  expect "aggregate has its ScaledObject and ServiceMonitor" "scaledobject.keda.sh/aggregate servicemonitor.monitoring.coreos.com/aggregate" \
    "$(echo $(kubectl get scaledobject,servicemonitor -n default -l volley.io/application=aggregate -o name 2>/dev/null))"
else
  expect "no KEDA or Prometheus Operator API with the add-ons off" "" "$(kubectl api-resources --api-group=keda.sh -o name 2>/dev/null; kubectl api-resources --api-group=monitoring.coreos.com -o name 2>/dev/null)"
fi
# Its own directory on the export (#11): the volume mounts only <export>/<namespace>/<app>,
# created by a Job on the system nodes before the pods, in the environment's
# namespace for such Jobs (#22 G3): Pod Security baseline, enforced by the
# API server, so the application's namespace need not admit a root pod.
expect "aggregate's volume is its own directory on the export" "127.0.0.1:/exports/volley/default/aggregate" \
  "$(kubectl get pv default.aggregate-shared-ckpt -o jsonpath='{.spec.nfs.server}:{.spec.nfs.path}' 2>/dev/null)"
JOBS_NS=volley-system-checkpoint-jobs
dirjob="$(kubectl get job -n "$JOBS_NS" -l volley.io/application=aggregate,volley.io/namespace=default -o jsonpath='{.items[*].metadata.name}' 2>/dev/null)"
expect "the directory Job completed on a system node" "1 system" \
  "$(kubectl get job "$dirjob" -n "$JOBS_NS" -o jsonpath='{.status.succeeded}' 2>/dev/null) $(kubectl get pods -n "$JOBS_NS" -l job-name="$dirjob" -o jsonpath='{.items[0].spec.nodeName}' 2>/dev/null | sed 's/-[0-9]*$//')"
expect "the directory Jobs' namespace enforces Pod Security baseline" "baseline" \
  "$(kubectl get ns "$JOBS_NS" -o jsonpath='{.metadata.labels.pod-security\.kubernetes\.io/enforce}' 2>/dev/null)"
expect "no directory Job in the application's namespace" "" "$(kubectl get job -n default -o name 2>/dev/null)"
expect "per-pod state and checkpoint claims Bound" "6" \
  "$(kubectl get pvc -n default -l volley.io/application=aggregate -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}' 2>/dev/null | grep -c '^Bound$')"

# What the real prometheus-operator generated (it has caught up once this
# returns, so its StatefulSets' pods count in the placement below).
if [ "$LANG_ID" = ts ]; then
  kubectl create secret generic alert-webhook -n monitoring --from-literal=url=http://127.0.0.1:9/volley-alerts >/dev/null
  WANT_WEBHOOKS='oncall=http://127.0.0.1:9/volley-alerts [severity=~"critical"]' assert_prometheus_operator
fi
# The charts as the real provider rendered them: every platform pod runs.
if [ "$ADDONS" = True ]; then
  assert_platform_placement
  expect "KEDA ScaledObject CRD installed" "customresourcedefinition.apiextensions.k8s.io/scaledobjects.keda.sh" \
    "$(kubectl get crd scaledobjects.keda.sh -o name 2>/dev/null)"
  expect "KEDA's external metrics API is registered" "v1beta1.external.metrics.k8s.io" \
    "$(kubectl get apiservice v1beta1.external.metrics.k8s.io -o jsonpath='{.metadata.name}' 2>/dev/null)"
  assert_discovery
  expect "Prometheus selects rules from every namespace" "{}" \
    "$(kubectl get prometheus -n monitoring -o jsonpath='{.items[0].spec.ruleSelector}' 2>/dev/null)"
  expect "prometheus-operator runs without the hook-made admission certificate" "False" \
    "$(kget deployment -n monitoring -l app=kube-prometheus-stack-operator | jqe "'tls-secret' in json.dumps(d['items'][0]['spec']['template']['spec'].get('volumes', []))")"
  # Volley's dashboard, alerts and phase metric: the objects come from the
  # provider, not the program's language, so one language checks them.
  assert_observability
else
  expect "the operator's pods Running on a system node, no keda or monitoring namespace" "Running system" \
    "$(echo $(pod_placement volley-system | awk '{print $2}' | sort -u) $(pod_placement volley-system | awk '{print $3}' | sed 's/-[0-9]*$//' | sort -u) $(kubectl get ns keda monitoring -o name 2>/dev/null))"
fi
assert_stream_nodes_dedicated

# --- a second preview is empty ----------------------------------------------
if run_pulumi preview --expect-no-changes --diff >"$WORK/preview-empty.txt" 2>&1; then ok "second preview shows no changes"
else fail "second preview shows no changes"; grep -E '^\s*[-+~]' "$WORK/preview-empty.txt" | sed -n 1,40p; tail -5 "$WORK/preview-empty.txt"; fi

# --- one input changes: exactly one update, no replacement ------------------
run_pulumi config set aggregateReplicas 2 >/dev/null
if run_pulumi preview --json >"$WORK/preview.json" 2>"$WORK/preview.err"; then
  changes="$(python3 - "$WORK/preview.json" <<'PY'
import json, sys
steps = json.load(open(sys.argv[1])).get("steps", [])
print(" ".join(sorted(f"{s['op']}:{s['urn'].split('::')[-2]}::{s['urn'].split('::')[-1]}" for s in steps if s["op"] != "same")))
PY
)"
  # The type carries its parent chain: the CR is a child of the Application component.
  expect "replicas change previews as one update, no replacement" "update:volley:index:Application\$kubernetes:volley.io/v1alpha1:VolleyApplication::aggregate-vapp" "$changes"
  # A reviewable diff: the one field that changed, not the whole object.
  expect "the update's diff is spec.replicas alone" "spec.replicas" \
    "$(jqe "' '.join(sorted(k for s in d['steps'] if s['op'] != 'same' for k in s.get('detailedDiff', {})))" <"$WORK/preview.json")"
else
  fail "preview --json after a change"; cat "$WORK/preview.err"
fi
if run_pulumi up --yes --skip-preview >"$WORK/up2.txt" 2>&1; then ok "pulumi up (update)"; else fail "pulumi up (update)"; tail -30 "$WORK/up2.txt"; fi
expect "aggregate CR replicas after update" "2" "$(kget vapp aggregate -n default | jqe "d['spec']['replicas']")"
expect "aggregate StatefulSet scaled to 2, all ready" "2 2" "$(kubectl get sts aggregate -n default -o jsonpath='{.spec.replicas} {.status.readyReplicas}' 2>/dev/null)"
expect "aggregate Running again after the update" "Running" "$(run_pulumi stack output aggregatePhase 2>/dev/null)"
assert_app_pods aggregate 2

# What the operator used of its RBAC (the API server's audit log), with the
# applications created, updated and scaled: nothing it needed was denied.
kget clusterrole volley-operator-volley-system >"$WORK/clusterrole.json"
kget role volley-operator-leases -n volley-system >"$WORK/role.json"
if python3 "$E2E_DIR/rbac_usage.py" "$CLUSTER_STATE/audit.log" "$WORK/clusterrole.json" "$WORK/role.json" >"$WORK/rbac.txt"; then
  ok "the operator was denied nothing"
else fail "the operator was denied nothing"; fi
sed "s/^/    /" "$WORK/rbac.txt"

# --- destroy ----------------------------------------------------------------
if run_pulumi destroy --yes --skip-preview >"$WORK/destroy.txt" 2>&1; then ok "pulumi destroy"; else fail "pulumi destroy"; tail -30 "$WORK/destroy.txt"; fi
expect "no pod left in keda, monitoring, volley-system, $JOBS_NS" "" "$(pod_placement keda monitoring volley-system "$JOBS_NS")"
# The garbage collector deletes what the operator made once the CR is gone.
left() { kubectl get statefulset,service,pdb,pod -n default -l volley.io/application -o name 2>/dev/null; }
for ((i = 0; i < 60; i++)); do [ -z "$(left)" ] && break; sleep 1; done
expect "no application object left" "" "$(echo $(kubectl get vapp -n default -o name 2>/dev/null) $(left))"
# What a StatefulSet keeps by default (persistentVolumeClaimRetentionPolicy Retain): the per-pod data claims.
expect "per-pod state and checkpoint claims retained" "checkpoints-aggregate-0 checkpoints-aggregate-1 checkpoints-aggregate-2 checkpoints-ingest-0 state-aggregate-0 state-aggregate-1 state-aggregate-2 state-ingest-0" \
  "$(echo $(kubectl get pvc -n default -l volley.io/application -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' 2>/dev/null | sort))"
expect "checkpoint PV retained after destroy" "persistentvolume/default.aggregate-shared-ckpt" \
  "$(kubectl get pv default.aggregate-shared-ckpt --ignore-not-found -o name)"
expect "checkpoint PVC retained after destroy" "persistentvolumeclaim/aggregate-shared-ckpt" \
  "$(kubectl get pvc aggregate-shared-ckpt -n default --ignore-not-found -o name)"
# CRDs are retained on delete (#20.7), and the API server serves their groups
# (an APIService per group and version) while they exist: only those are new.
changed="$(diff <(echo "$before") <(cluster_objects) | grep '^[<>]')"
RETAINED_GROUPS='(volley\.io|keda\.sh|eventing\.keda\.sh|monitoring\.coreos\.com)'
expect "cluster-scoped objects and namespaces as before up, but for the retained CRDs" "" \
  "$(grep -vE "^> (customresourcedefinition\.apiextensions\.k8s\.io/[a-z0-9-]+\.$RETAINED_GROUPS|apiservice\.apiregistration\.k8s\.io/v[0-9a-z]+\.$RETAINED_GROUPS)\$" <<<"$changed" | tr '\n' ' ')"
if [ "$ADDONS" = True ]; then
  expect "Volley's, KEDA's and prometheus-operator's CRDs are retained" "3" \
    "$(grep -cE '^> customresourcedefinition\.apiextensions\.k8s\.io/(volleyapplications\.volley\.io|scaledobjects\.keda\.sh|servicemonitors\.monitoring\.coreos\.com)$' <<<"$changed")"
else
  expect "Volley's CRD is retained" "> customresourcedefinition.apiextensions.k8s.io/volleyapplications.volley.io" \
    "$(grep -E '^> customresourcedefinition' <<<"$changed")"
fi
# Retained data is the user's to delete; clear it so a rerun starts clean.
kubectl delete pvc --all -n default --wait=false >/dev/null 2>&1
stop_operator_double
stop_controllers
kubectl delete pv default.aggregate-shared-ckpt default.ingest-shared-ckpt --ignore-not-found --wait=false >/dev/null 2>&1
finish
