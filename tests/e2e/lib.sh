# Shared by the end-to-end scripts. Source it after `set -uo pipefail`.
# Needs KUBECONFIG (tools/with-cluster.sh sets it) and the toolchain.
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$E2E_DIR/../.." && pwd)"
. "$REPO_DIR/tools/lib.sh"
set +e
. "$REPO_DIR/tools/env.sh"
[ -n "${KUBECONFIG:-}" ] || { echo "KUBECONFIG is not set; run under tools/with-cluster.sh" >&2; exit 2; }

# Outside the repository: the plugin's language host must not take these
# programs' node_modules for the plugin's own.
WORK="${VOLLEY_E2E_DIR:-${TMPDIR:-/tmp}/volley-e2e-$(printf %s "$REPO_DIR" | sha256sum | cut -c1-8)}/${LANG_ID:-misc}"
rm -rf "$WORK"; mkdir -p "$WORK"

# The local cluster's state dir (tools/with-cluster.sh): the operator double
# keeps its PID there, so the cluster's teardown stops it whatever happens here.
CLUSTER_STATE="${VOLLEY_CLUSTER_DIR:-$REPO_DIR/.pulumi/cluster}"
start_operator_double() { "$REPO_DIR/tools/operator-double.sh" start "$CLUSTER_STATE" "$@"; }
stop_operator_double() { "$REPO_DIR/tools/operator-double.sh" stop "$CLUSTER_STATE"; }
trap 'stop_operator_double' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

passed=0 failed=0
ok()   { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
expect() { # expect NAME WANT GOT
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: want [$2], got [$3]"; fi
}
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

kget() { kubectl get "$@" -o json 2>/dev/null; }
jqe() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# Cluster-scoped objects and namespaces, by name: compared before `up` and
# after `destroy` to show that destroy leaves nothing behind.
CLUSTER_KINDS="namespaces,customresourcedefinitions,clusterroles,clusterrolebindings,apiservices,validatingwebhookconfigurations,mutatingwebhookconfigurations,priorityclasses,storageclasses"
cluster_objects() { kubectl get "$CLUSTER_KINDS" -o name 2>/dev/null | sort; }

# pod_placement NAMESPACE...: one line per pod of those namespaces:
# "<namespace>/<pod> <phase> <node>".
pod_placement() {
  local ns
  for ns in "$@"; do
    kubectl get pods -n "$ns" -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name} {.status.phase} {.spec.nodeName}{"\n"}{end}' 2>/dev/null
  done
}

# assert_platform_placement: every pod of KEDA, kube-prometheus-stack and
# the operator is Running on a system node (label volley.io/pool=system).
assert_platform_placement() {
  local pods bad system
  system=" $(kubectl get nodes -l volley.io/pool=system -o jsonpath='{.items[*].metadata.name}') "
  pods="$(pod_placement keda monitoring volley-system)"
  for ns in keda monitoring volley-system; do
    if [[ $pods == *"$ns/"* ]]; then ok "namespace $ns has pods"; else fail "namespace $ns has pods"; fi
  done
  bad="$(while read -r pod phase node; do
    [ -n "$pod" ] || continue
    if [ "$phase" != Running ] || [[ $system != *" $node "* ]]; then echo "$pod:$phase:${node:-unscheduled}"; fi
  done <<<"$pods")"
  expect "every KEDA, Prometheus and operator pod ($(wc -l <<<"$pods")) is Running on a system node" "" "$(echo $bad)"
}

# stream_nodes: names of the nodes of the stream pool.
stream_nodes() { kubectl get nodes -l volley.io/pool=stream-processing -o jsonpath='{.items[*].metadata.name}'; }

# assert_stream_nodes_dedicated: a pod on a stream node belongs to a
# VolleyApplication (the operator labels its pods volley.io/application),
# nothing else.
assert_stream_nodes_dedicated() {
  local others
  others="$(kubectl get pods -A -o json 2>/dev/null | STREAM_NODES="$(stream_nodes)" python3 -c '
import json, os, sys
stream = set(os.environ["STREAM_NODES"].split())
for p in json.load(sys.stdin)["items"]:
    if p["spec"].get("nodeName") in stream and not (p["metadata"].get("labels") or {}).get("volley.io/application"):
        print(p["metadata"]["namespace"] + "/" + p["metadata"]["name"])
')"
  expect "stream nodes run nothing but Volley application pods" "" "$(echo $others)"
}

# assert_app_pods APP REPLICAS: the application's pods are all Running and
# Ready, each on a stream node, one per node.
assert_app_pods() {
  local app="$1" want="$2" got
  got="$(kubectl get pods -n default -l "volley.io/application=$app" -o json 2>/dev/null | STREAM_NODES="$(stream_nodes)" python3 -c '
import json, os, sys
stream = set(os.environ["STREAM_NODES"].split())
pods = [p for p in json.load(sys.stdin)["items"] if not p["metadata"].get("deletionTimestamp")]
nodes = [p["spec"].get("nodeName") for p in pods]
ready = [p for p in pods if p["status"].get("phase") == "Running" and
         any(c["type"] == "Ready" and c["status"] == "True" for c in p["status"].get("conditions", []))]
print(len(pods), len(ready), "stream" if nodes and set(nodes) <= stream else "NOT-stream", "distinct" if len(set(nodes)) == len(nodes) else "shared")
')"
  expect "$app: $want pods Running and Ready, on stream nodes, one per node" "$want $want stream distinct" "$got"
}

# assert_discovery: API discovery answers completely for kubectl, and a
# namespace deletes (the namespace controller needs discovery of every group).
assert_discovery() {
  local err
  if kubectl api-resources >/dev/null 2>"$WORK/discovery.err" && [ ! -s "$WORK/discovery.err" ]; then ok "kubectl API discovery is complete"
  else err="$(head -c 300 "$WORK/discovery.err")"; fail "kubectl API discovery is complete: $err"; fi
  local ns="volley-e2e-scratch" t0
  kubectl create namespace "$ns" >/dev/null 2>&1 && kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1
  t0=$SECONDS
  while kubectl get namespace "$ns" >/dev/null 2>&1 && ((SECONDS - t0 < 60)); do sleep 1; done
  if kubectl get namespace "$ns" >/dev/null 2>&1; then
    fail "a namespace deletes with KEDA's APIService registered: $(kubectl get namespace "$ns" -o jsonpath='{.status.conditions[*].message}' 2>&1 | cut -c1-300)"
  else ok "a namespace deletes with KEDA's APIService registered ($((SECONDS - t0)) s)"; fi
}

. "$REPO_DIR/tools/program.sh"

# Volley's observability on the real kube-prometheus-stack chart: the API
# server accepted the dashboard ConfigMap and the PrometheusRule, the rule is
# what the stack's Prometheus selects, Grafana's sidecar watches the
# dashboard's namespace and label, and kube-state-metrics runs with the
# VolleyApplication custom resource state and may list and watch them.
assert_observability() {
  local ns=monitoring cm rule ksm cfg
  cm="$(kget configmap volley-dashboard -n "$ns")"
  expect "dashboard ConfigMap accepted, labelled for the Grafana sidecar" "1 volley Volley" \
    "$(jqe "'%s %s %s' % (d['metadata']['labels']['grafana_dashboard'], json.loads(d['data']['volley.json'])['uid'], json.loads(d['data']['volley.json'])['title'])" <<<"$cm")"
  expect "Grafana's dashboard sidecar watches that namespace and label" "$ns grafana_dashboard=1" \
    "$(kget deployment -n "$ns" -l app.kubernetes.io/name=grafana | jqe "(lambda e: '%s %s=%s' % (e.get('NAMESPACE'), e.get('LABEL'), e.get('LABEL_VALUE')))({v['name']: v.get('value') for c in d['items'][0]['spec']['template']['spec']['containers'] if c['name'].endswith('-sc-dashboard') for v in c.get('env', [])})")"
  rule="$(kget prometheusrule volley-alerts -n "$ns")"
  expect "PrometheusRule accepted with Volley's seven alerts" "7 VolleyApplicationNotRunning" \
    "$(jqe "'%d %s' % (len(d['spec']['groups'][0]['rules']), d['spec']['groups'][0]['rules'][0]['alert'])" <<<"$rule")"
  kget prometheus -n "$ns" | jqe "json.dumps(d['items'][0])" >"$WORK/prometheus.json"
  printf '%s' "$rule" >"$WORK/rule.json"
  kget namespace "$ns" >"$WORK/namespace.json"
  expect "the stack's Prometheus selects the PrometheusRule" "selected" \
    "$(python3 "$E2E_DIR/selected.py" "$WORK/prometheus.json" "$WORK/rule.json" "$WORK/namespace.json" 2>&1)"
  ksm="$(kget deployment -n "$ns" -l app.kubernetes.io/name=kube-state-metrics)"
  cfg="$(jqe "next(a for a in d['items'][0]['spec']['template']['spec']['containers'][0]['args'] if a.startswith('--custom-resource-state-config-file=')).split('=',1)[1]" <<<"$ksm")"
  expect "kube-state-metrics reads a custom resource state config" "/etc/customresourcestate/config.yaml" "$cfg"
  expect "its ConfigMap exports VolleyApplication status.phase as a StateSet" "VolleyApplication volleyapplication_status_phase Pending,Running,Degraded,Failed" \
    "$(kubectl get configmap -n "$ns" -l app.kubernetes.io/name=kube-state-metrics -o json 2>/dev/null | NODE_PATH="$REPO_DIR/node_modules" node -e '
const d = JSON.parse(require("fs").readFileSync(0, "utf8"));
const cm = d.items.find((i) => (i.data || {})["config.yaml"]);
const r = require("js-yaml").load(cm.data["config.yaml"]).spec.resources[0];
const m = r.metrics.find((x) => x.each.type === "StateSet");
console.log(r.groupVersionKind.kind, m.name, m.each.stateSet.list.join(","));' 2>&1)"
  expect "kube-state-metrics may list and watch VolleyApplications" "yes yes" \
    "$(echo $(for v in list watch; do kubectl auth can-i "$v" volleyapplications.volley.io --all-namespaces \
      --as="system:serviceaccount:$ns:$(jqe "d['items'][0]['spec']['template']['spec']['serviceAccountName']" <<<"$ksm")" 2>/dev/null; done))"
}
