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
# Real upstream controllers (tools/localkube controller): NAME's binary from
# tools/build-BUILD.sh (BUILD defaults to NAME), run as its chart's
# ServiceAccount once the chart's Deployment exists; PID and log in the
# cluster's state dir.
STARTED_CONTROLLERS=""
start_controller() { # start_controller NAME [BUILD]
  local lk bin
  lk="$("$REPO_DIR/tools/build-localkube.sh")" && bin="$("$REPO_DIR/tools/build-${2:-$1}.sh")" || return 1
  "$lk/localkube" controller start "$1" --dir "$CLUSTER_STATE" --bin "$bin" >&2 && STARTED_CONTROLLERS+=" $1"
}
stop_controllers() {
  local name lk
  [ -n "$STARTED_CONTROLLERS" ] || return 0
  lk="$("$REPO_DIR/tools/build-localkube.sh")" || return 1
  for name in $STARTED_CONTROLLERS; do "$lk/localkube" controller stop "$name" --dir "$CLUSTER_STATE"; done
  STARTED_CONTROLLERS=""
}
trap 'stop_operator_double; stop_controllers' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

passed=0 failed=0
ok()   { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
expect_grep() { # expect_grep NAME TEXT FILE: FILE contains TEXT
  if grep -qF -- "$2" "$3"; then ok "$1"; else fail "$1 (no [$2] in $3)"; tail -20 "$3"; fi
}
expect() { # expect NAME WANT GOT
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: want [$2], got [$3]"; fi
}
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

kget() { kubectl get "$@" -o json 2>/dev/null; }
jqe() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# Cluster-scoped objects and namespaces, by name: compared before `up` and
# after `destroy` to show that destroy leaves nothing behind but the CRDs it
# retains on purpose (#20.7).
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
  # A DaemonSet's pods go to every node it tolerates (node-exporter: the
  # stream nodes too); assert_prometheus_operator checks those.
  pods="$(pod_placement keda monitoring volley-system | grep -v -- '-node-exporter-')"
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
# VolleyApplication (the operator labels its pods volley.io/application)
# or to a DaemonSet (node-exporter), nothing else.
assert_stream_nodes_dedicated() {
  local others
  others="$(kubectl get pods -A -o json 2>/dev/null | STREAM_NODES="$(stream_nodes)" python3 -c '
import json, os, sys
stream = set(os.environ["STREAM_NODES"].split())
for p in json.load(sys.stdin)["items"]:
    daemon = any(o["kind"] == "DaemonSet" for o in p["metadata"].get("ownerReferences") or [])
    if p["spec"].get("nodeName") in stream and not daemon and not (p["metadata"].get("labels") or {}).get("volley.io/application"):
        print(p["metadata"]["namespace"] + "/" + p["metadata"]["name"])
')"
  expect "stream nodes run nothing but Volley application pods and DaemonSets" "" "$(echo $others)"
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
  expect "PrometheusRule accepted with Volley's nine alerts" "9 VolleyApplicationNotRunning" \
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

# What the real prometheus-operator (tools/localkube controller
# prometheus-operator) generated from the stack's Prometheus and
# Alertmanager and from the package's objects. Polls until it has caught up
# (it reconciles after `up`), at most 180 s, then asserts once.
assert_prometheus_operator() {
  local ns=monitoring t0=$SECONDS prom am out
  prom="$(kubectl get prometheus -n "$ns" -o jsonpath='{.items[0].metadata.name}' 2>/dev/null)"
  am="$(kubectl get alertmanager -n "$ns" -o jsonpath='{.items[0].metadata.name}' 2>/dev/null)"
  generated() { # one line per fact, from the operator's objects
    kubectl get secret,configmap,statefulset,pod,prometheus,alertmanager,alertmanagerconfig,servicemonitor,prometheusrule,daemonset,node -A -o json 2>/dev/null |
      PROM="$prom" AM="$am" NS="$ns" WANT_WEBHOOKS="${WANT_WEBHOOKS:-}" python3 "$E2E_DIR/operator_generated.py"
  }
  while out="$(generated)"; ((SECONDS - t0 < 180)); do
    [[ $out == *"settled yes"* ]] && break
    sleep 3
  done
  printf '%s\n' "$out" >"$WORK/operator-generated.txt"
  fact() { sed -n "s/^$1 //p" <<<"$out"; }
  expect "prometheus-operator reconciled Prometheus $prom and Alertmanager $am" "True True" "$(fact reconciled)"
  expect "Prometheus config (prometheus-$prom, prometheus.yaml.gz) scrapes each application's ServiceMonitor" \
    "$(fact servicemonitors)" "$(fact scrape-jobs)"
  expect "the applications have ServiceMonitors to scrape" "yes" "$( [ -n "$(fact servicemonitors)" ] && echo yes || echo no)"
  expect "Prometheus config loads the generated rule files" "yes" "$(fact rule-files-loaded)"
  expect "the package's PrometheusRule is in the rule-files ConfigMap" "monitoring/volley-alerts VolleyApplicationNotRunning" "$(fact volley-rules)"
  expect "Alertmanager config generated (alertmanager-$am-generated) with the configured receivers and route" \
    "$(fact am-input)" "$(fact am-generated)"
  # A receiver configured through prometheus.alerting (WANT_WEBHOOKS: what
  # the caller configured, "<receiver>=<url> [<route matchers>]").
  if [ -n "${WANT_WEBHOOKS:-}" ]; then
    expect "Alertmanager's generated config sends critical alerts to the configured webhook, URL read from its Secret" \
      "$WANT_WEBHOOKS" "$(fact am-webhooks)"
  fi
  expect "Prometheus and Alertmanager StatefulSets ready, pods Running on system nodes" \
    "prometheus-$prom:system alertmanager-$am:system" "$(fact statefulsets)"
  expect "node-exporter has a Running pod on every node, stream nodes too" "$(fact nodes)" "$(fact node-exporter)"
  log "prometheus-operator assertions: $((SECONDS - t0)) s (waiting included)"
}

# The package's policy pack (policy/), installed into $WORK/policy-pack once;
# prints its directory.
policy_pack() {
  local dir="$WORK/policy-pack"
  if [ ! -d "$dir/node_modules" ]; then
    rm -rf "$dir" && cp -r "$REPO_DIR/policy" "$dir" && rm -rf "$dir/node_modules" &&
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || return 1
  fi
  echo "$dir"
}
# preview_with_policies OUT: `pulumi preview --policy-pack` with the package's
# pack; OUT.txt gets the output, OUT.events the engine's event log. Returns
# the preview's status.
preview_with_policies() {
  local pack
  pack="$(policy_pack)" || return 2
  # --event-log is one of the CLI's debug flags: it exists only with PULUMI_DEBUG_COMMANDS.
  PULUMI_DEBUG_COMMANDS=true run_pulumi preview --policy-pack "$pack" --event-log "$1.events" >"$1.txt" 2>&1
}
# policy_violations EVENTS LEVEL: "<policy>:<resource name>" per violation of
# that enforcement level in an event log, sorted.
policy_violations() {
  python3 - "$1" "$2" <<'PY'
import json, sys
out = set()
for line in open(sys.argv[1]):
    e = json.loads(line).get("policyEvent")
    if e and e.get("enforcementLevel") == sys.argv[2]:
        out.add("%s:%s" % (e["policyName"], (e.get("resourceUrn") or "stack").split("::")[-1]))
print(" ".join(sorted(out)))
PY
}

# wait_until SECONDS CMD...: polls CMD (every 2 s) until it succeeds; fails after SECONDS.
wait_until() {
  local limit="$1" t0=$SECONDS; shift
  until "$@" >/dev/null 2>&1; do ((SECONDS - t0 < limit)) || return 1; sleep 2; done
}

# The autoscaling program (tests/e2e/autoscaling: KEDA and a Karpenter stream
# pool on Karpenter's kwok provider) in $PROGRAM_DIR with a fresh stack, the
# operator double, and the real KEDA operator, KEDA metrics API server and
# Karpenter as their charts' ServiceAccounts. Used by tests/e2e/autoscaling.sh
# and tools/bench/autoscale.sh.
prepare_autoscaling() {
  local karpenter c
  karpenter="$("$REPO_DIR/tools/build-karpenter.sh")" && "$REPO_DIR/tools/build-keda.sh" >/dev/null || return 1
  prepare_ts_program "$E2E_DIR/autoscaling" && cd "$PROGRAM_DIR" || return 1
  run_pulumi stack init e2e >/dev/null &&
    run_pulumi config set --secret kubeconfig -- "$(cat "$KUBECONFIG")" >/dev/null &&
    run_pulumi config set operatorImage "$OPERATOR_DOUBLE_IMAGE" >/dev/null &&
    run_pulumi config set kedaChart "$(cd "$KEDA_CHART_DIR" && pwd)" >/dev/null &&
    run_pulumi config set karpenterCrdChart "$(cd "$VOLLEY_CHARTS_DIR/karpenter-crd-$KARPENTER_VERSION" && pwd)" >/dev/null &&
    run_pulumi config set karpenterChart "$(cd "$karpenter/../chart" && pwd)" >/dev/null &&
    run_pulumi config set kwokNodeClassCrd "$(cd "$karpenter/../crds" && pwd)/karpenter.kwok.sh_kwoknodeclasses.yaml" >/dev/null &&
    run_pulumi config set streamReplicas 1 >/dev/null || return 1
  start_operator_double || return 1
  for c in "keda-operator keda" "keda-metrics-apiserver keda" "karpenter karpenter"; do
    # shellcheck disable=SC2086 # NAME BUILD
    start_controller $c || return 1
  done
}

# pool_nodes: the nodes Karpenter launched for the NodePool $POOL.
pool_nodes() { kubectl get nodes -l "karpenter.sh/nodepool=$POOL" -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' 2>/dev/null; }
