#!/usr/bin/env bash
# Kafka in the environment on the local cluster (issue 24, item 6): the heavy
# scenario, proven once per CI run in this one check, not in every
# language's lifecycle. Strimzi is its TEST DOUBLE (tools/localkube
# strimzi-double, never shipped), run by tools/localkube controller as the
# vendored chart's strimzi-cluster-operator ServiceAccount (so the chart's
# RBAC is what it may do), and as the Entity Operator's ServiceAccount that
# one creates; the Volley operator is its double too.
#   TypeScript (examples/kubernetes-ts with `kafka: true`): up -> the Kafka
#   Ready for its generation, broker pods on the Kafka nodes only (one per
#   node) with their claims, the operator, Entity Operator and Kafka Exporter
#   on system nodes,
#   the Services, node pool and topic status -> the applications Running
#   with spec.kafka.bootstrapServers equal to the Kafka status listener's ->
#   an empty second preview -> a partitions change previews as exactly one
#   update -> a decrease (around Pulumi) leaves the topic Ready False with
#   NotSupported -> destroy in order (topics, Kafka, operator),
#   after which the CRDs and the broker claims are retained.
#   YAML (tests/e2e/kafka-yaml) on the same cluster, as a user would after
#   that destroy: up (the retained broker claims are taken up again), the
#   bootstrap assertion, destroy.
# Prints one ok/FAIL line per assertion and `N passed, M failed`, with the
# TypeScript up time.
set -uo pipefail
LANG_ID=kafka
. "$(dirname "$0")/lib.sh"

KNS=kafka CLUSTER=volley   # the package's defaults (README "Kafka in the environment")
STRIMZI_CHART="$(cd "$VOLLEY_CHARTS_DIR/strimzi-kafka-operator-1.2.0" && pwd)" || { echo "0 passed, 1 failed"; exit 1; }
start_strimzi() {
  start_controller strimzi-double-cluster-operator localkube && start_controller strimzi-double-entity-operator localkube
}

prepare_program ts || { echo "0 passed, 1 failed"; exit 1; }
cd "$PROGRAM_DIR" || { echo "0 passed, 1 failed"; exit 1; }
stack_init || { echo "0 passed, 1 failed"; exit 1; }
# Kafka on, KEDA and kube-prometheus-stack off: what this check proves is Kafka.
run_pulumi config set kafka true >/dev/null && run_pulumi config set strimziChartPath "$STRIMZI_CHART" >/dev/null &&
  run_pulumi config set addons false >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
before="$(cluster_objects)"
start_operator_double
start_strimzi || { echo "0 passed, 1 failed"; exit 1; }

# --- up -----------------------------------------------------------------------
t0=$SECONDS
if run_pulumi up --yes --skip-preview >"$WORK/up.txt" 2>&1; then ok "pulumi up with Kafka (TypeScript): $((SECONDS - t0)) s"
else fail "pulumi up with Kafka (TypeScript)"; tail -40 "$WORK/up.txt"; finish; fi
UP_SECONDS=$((SECONDS - t0))

kafka="$(kget kafka "$CLUSTER" -n "$KNS")"
expect "Kafka $CLUSTER is Ready for its generation" "True $(jqe "d['metadata']['generation']" <<<"$kafka")" \
  "$(jqe "'%s %s' % (next(c['status'] for c in d['status']['conditions'] if c['type'] == 'Ready'), d['status']['observedGeneration'])" <<<"$kafka")"
expect "Kafka status: node pool broker, a cluster ID, Kafka 4.3.1" "broker 22 4.3.1" \
  "$(jqe "'%s %d %s' % (','.join(p['name'] for p in d['status']['kafkaNodePools']), len(d['status']['clusterId']), d['status']['kafkaVersion'])" <<<"$kafka")"
listener="$(jqe "next(l['bootstrapServers'] for l in d['status']['listeners'] if l['name'] == 'plain')" <<<"$kafka")"
expect "the status listener plain is the bootstrap Service in the Kafka namespace" "$CLUSTER-kafka-bootstrap.$KNS.svc:9092" "$listener"

# Applications get the status listener's address (no authentication: the plain listener).
expect "both applications Running" "Running Running" "$(kubectl get vapp -n default aggregate ingest -o jsonpath='{.items[*].status.phase}' 2>/dev/null)"
expect "aggregate's spec.kafka.bootstrapServers is the Kafka status listener's" "$listener" \
  "$(kget vapp aggregate -n default | jqe "d['spec']['kafka']['bootstrapServers']")"
expect "aggregate's consumer group defaults to its name" "aggregate" "$(kget vapp aggregate -n default | jqe "d['spec']['kafka']['consumerGroup']")"
expect "stack output kafkaBootstrapServers (known at preview) is the status listener's" "$listener" "$(run_pulumi stack output --show-secrets kafkaBootstrapServers 2>/dev/null)"
assert_app_pods aggregate 3

# Brokers: pods <cluster>-<pool>-<id>, Running, on nodes labelled and tainted for Kafka (read from the nodes), one per node.
kubectl get nodes -o json >"$WORK/nodes.json"
kubectl get pods -n "$KNS" -l "strimzi.io/cluster=$CLUSTER,strimzi.io/kind=Kafka,strimzi.io/name=$CLUSTER-kafka" -o json >"$WORK/brokers.json"
expect "3 broker pods Running, each on its own node labelled volley.io/pool=kafka and tainted volley.io/kafka=true:NoSchedule" \
  "$CLUSTER-broker-0 $CLUSTER-broker-1 $CLUSTER-broker-2 Running kafka-tainted distinct" \
  "$(python3 - "$WORK/nodes.json" "$WORK/brokers.json" <<'PY'
import json, sys
nodes = {n["metadata"]["name"]: n for n in json.load(open(sys.argv[1]))["items"]}
def kafka_node(name):
    n = nodes.get(name) or {}
    return (n.get("metadata", {}).get("labels", {}).get("volley.io/pool") == "kafka" and
            any(t["key"] == "volley.io/kafka" and t.get("value") == "true" and t["effect"] == "NoSchedule" for t in n.get("spec", {}).get("taints", [])))
pods = json.load(open(sys.argv[2]))["items"]
on = [p["spec"].get("nodeName") for p in pods]
print(" ".join(sorted(p["metadata"]["name"] for p in pods)),
      ",".join(sorted({p["status"].get("phase", "") for p in pods})),
      "kafka-tainted" if on and all(kafka_node(n) for n in on) else "NOT-kafka:" + ",".join(map(str, on)),
      "distinct" if len(set(on)) == len(on) else "shared")
PY
)"
expect "nothing but broker pods (and DaemonSets) on the Kafka nodes" "" \
  "$(kubectl get pods -A -o json 2>/dev/null | python3 -c '
import json, sys
for p in json.load(sys.stdin)["items"]:
    daemon = any(o["kind"] == "DaemonSet" for o in p["metadata"].get("ownerReferences") or [])
    if (p["spec"].get("nodeName") or "").startswith("kafka-") and not daemon and (p["metadata"].get("labels") or {}).get("strimzi.io/kind") != "Kafka":
        print(p["metadata"]["namespace"] + "/" + p["metadata"]["name"])')"
system=" $(kubectl get nodes -l volley.io/pool=system -o jsonpath='{.items[*].metadata.name}') "
# Everything else Strimzi runs (operator, Entity Operator, Kafka Exporter: Strimzi's Deployment names) belongs on the system nodes.
others="$(kubectl get pods -n "$KNS" -l "strimzi.io/name!=$CLUSTER-kafka" -o jsonpath='{range .items[*]}{.metadata.name} {.status.phase} {.spec.nodeName}{"\n"}{end}' 2>/dev/null)"
expect "the Strimzi operator, the Entity Operator and the Kafka Exporter Running on system nodes" "yes yes yes" \
  "$(echo $(for p in strimzi-cluster-operator "$CLUSTER-entity-operator" "$CLUSTER-kafka-exporter"; do
    grep "^$p-" <<<"$others" | awk -v s="$system" 'BEGIN{r="no"} $2=="Running" && index(s, " "$3" ") {r="yes"} END{print r}'; done))"
expect "broker claims data-0-<pod> Bound, 100Gi" "data-0-$CLUSTER-broker-0:Bound:100Gi data-0-$CLUSTER-broker-1:Bound:100Gi data-0-$CLUSTER-broker-2:Bound:100Gi" \
  "$(echo $(kubectl get pvc -n "$KNS" -o jsonpath='{range .items[*]}{.metadata.name}:{.status.phase}:{.spec.resources.requests.storage}{"\n"}{end}' 2>/dev/null | sort))"
expect "Services: bootstrap (plain 9092, tls 9093) and headless brokers" "$CLUSTER-kafka-bootstrap:9091,9092,9093 $CLUSTER-kafka-brokers:None" \
  "$(echo "$(kubectl get svc "$CLUSTER-kafka-bootstrap" -n "$KNS" -o jsonpath='{.metadata.name}:{.spec.ports[*].port}' 2>/dev/null | tr ' ' ',')" \
    "$(kubectl get svc "$CLUSTER-kafka-brokers" -n "$KNS" -o jsonpath='{.metadata.name}:{.spec.clusterIP}' 2>/dev/null)")"
expect "KafkaNodePool broker status: node IDs 0-2, roles, the Kafka's cluster ID" "[0, 1, 2] controller,broker True" \
  "$(kget kafkanodepool broker -n "$KNS" | jqe "'%s %s %s' % (d['status']['nodeIds'], ','.join(d['status']['roles']), d['status']['clusterId'] == '$(jqe "d['status']['clusterId']" <<<"$kafka")')")"
topic="$(kget kafkatopic events -n "$KNS")"
expect "KafkaTopic events Ready for its generation, topic events, 12 partitions" "True events 12 True" \
  "$(jqe "'%s %s %s %s' % (next(c['status'] for c in d['status']['conditions'] if c['type'] == 'Ready'), d['status']['topicName'], d['spec']['partitions'], d['status']['observedGeneration'] == d['metadata']['generation'])" <<<"$topic")"
# The doubles ran with their ServiceAccounts' tokens, whose RBAC is the chart's (and what the operator granted).
expect_grep "the cluster operator double ran as the chart's ServiceAccount" "running as system:serviceaccount:$KNS:strimzi-cluster-operator" "$CLUSTER_STATE/strimzi-double-cluster-operator.log"
expect_grep "the Entity Operator double ran as the ServiceAccount the operator created" "running as system:serviceaccount:$KNS:$CLUSTER-entity-operator" "$CLUSTER_STATE/strimzi-double-entity-operator.log"
expect "that RBAC stops at the Kafka namespace (the chart's watchNamespaces: [])" "yes no" \
  "$(echo $(for ns in "$KNS" default; do kubectl auth can-i create pods -n "$ns" --as="system:serviceaccount:$KNS:strimzi-cluster-operator" 2>/dev/null; done))"

# --- a second preview is empty --------------------------------------------------
if run_pulumi preview --expect-no-changes --diff >"$WORK/preview-empty.txt" 2>&1; then ok "second preview shows no changes"
else fail "second preview shows no changes"; grep -E '^\s*[-+~]' "$WORK/preview-empty.txt" | sed -n 1,40p; tail -5 "$WORK/preview-empty.txt"; fi

# --- a partitions change: exactly one update -----------------------------------
run_pulumi config set eventsPartitions 16 >/dev/null
if run_pulumi preview --json >"$WORK/preview.json" 2>"$WORK/preview.err"; then
  expect "a partitions change previews as one update of the KafkaTopic, no replacement" \
    "update:volley:index:Application\$kubernetes:kafka.strimzi.io/v1:KafkaTopic::aggregate-topic-events spec.partitions" \
    "$(jqe "' '.join(sorted('%s:%s::%s' % (s['op'], s['urn'].split('::')[-2], s['urn'].split('::')[-1]) for s in d.get('steps', []) if s['op'] != 'same')) + ' ' + ' '.join(sorted(k for s in d.get('steps', []) if s['op'] != 'same' for k in s.get('detailedDiff', {})))" <"$WORK/preview.json")"
else fail "preview --json after a partitions change"; cat "$WORK/preview.err"; fi
run_pulumi config set eventsPartitions 12 >/dev/null

# --- a decrease, around Pulumi: what Strimzi does (Kafka keeps its partitions) ---
verdict() { kget kafkatopic events -n "$KNS" | jqe "' '.join('%s=%s:%s' % (c['type'], c['status'], c.get('reason', '')) for c in d['status']['conditions']) + ' gen=%s' % (d['status']['observedGeneration'] == d['metadata']['generation'])"; }
kubectl patch kafkatopic events -n "$KNS" --type merge -p '{"spec":{"partitions":4}}' >/dev/null
# Strimzi 1.2.0's Topic Operator: Ready False, NotSupported (BatchingTopicController; its system tests wait for Ready False).
decreased() { [[ $(verdict) == *NotSupported*gen=True ]]; }
wait_until 60 decreased
expect "partitions 12 -> 4: Ready False, NotSupported" "Ready=False:NotSupported gen=True" "$(verdict)"
kubectl patch kafkatopic events -n "$KNS" --type merge -p '{"spec":{"partitions":12}}' >/dev/null
restored() { [[ $(verdict) == "Ready=True: gen=True" ]]; }
wait_until 60 restored
expect "back to 12: Ready again" "Ready=True: gen=True" "$(verdict)"

# --- destroy: topics, then Kafka, then the operator ----------------------------
if PULUMI_DEBUG_COMMANDS=true run_pulumi destroy --yes --skip-preview --event-log "$WORK/destroy.events" >"$WORK/destroy.txt" 2>&1; then ok "pulumi destroy"
else fail "pulumi destroy"; tail -30 "$WORK/destroy.txt"; fi
expect "destroy order: KafkaTopic, then Kafka, then the Strimzi operator's Deployment" "KafkaTopic Kafka Deployment" \
  "$(python3 - "$WORK/destroy.events" <<'PY'
import json, sys
done = []
for line in open(sys.argv[1]):
    e = json.loads(line).get("resOutputsEvent")
    if e and e["metadata"]["op"] == "delete":
        urn = e["metadata"]["urn"]
        kind = urn.split("::")[-2].split(":")[-1]
        if kind in ("KafkaTopic", "Kafka") or (kind == "Deployment" and "strimzi-cluster-operator" in urn):
            done.append(kind)
# The first completion of each: every topic before the Kafka, the Kafka before the operator.
seen = []
for k in done:
    if k not in seen:
        seen.append(k)
print(" ".join(seen) if done.count("Kafka") == 1 and done.index("Kafka") > max((i for i, k in enumerate(done) if k == "KafkaTopic"), default=-1) else "out of order: " + " ".join(done))
PY
)"
# Wait for what the assertion checks: the garbage collector removes the operator's pod (no strimzi.io/cluster
# label) and the Kafka's Deployments after destroy returns.
left() { echo $(kubectl get kafka,strimzipodset,deployment,pod -n "$KNS" -o name 2>/dev/null); }
gone() { [ -z "$(left)" ]; }
wait_until 90 gone
expect "no Kafka, no broker, Entity Operator or Kafka Exporter pod, no operator left" "" "$(left)"
expect "broker claims retained (deleteClaim: false)" "data-0-$CLUSTER-broker-0 data-0-$CLUSTER-broker-1 data-0-$CLUSTER-broker-2" \
  "$(echo $(kubectl get pvc -n "$KNS" -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' 2>/dev/null | sort))"
expect "KafkaTopic events retained (retainKafkaTopics defaults to true)" "kafkatopic.kafka.strimzi.io/events" "$(kubectl get kafkatopic events -n "$KNS" -o name 2>/dev/null)"
changed="$(diff <(echo "$before") <(cluster_objects) | grep '^[<>]')"
expect "Strimzi's CRDs are retained" "10" "$(grep -cE '^> customresourcedefinition\.apiextensions\.k8s\.io/[a-z0-9]+\.(kafka|core)\.strimzi\.io$' <<<"$changed")"
RETAINED='customresourcedefinition\.apiextensions\.k8s\.io/[a-z0-9-]+\.(volley\.io|kafka\.strimzi\.io|core\.strimzi\.io)|apiservice\.apiregistration\.k8s\.io/v[0-9a-z]+\.(volley\.io|kafka\.strimzi\.io|core\.strimzi\.io)|namespace/kafka'
expect "cluster-scoped objects and namespaces as before up, but for the retained CRDs and Kafka namespace" "" \
  "$(grep -vE "^> ($RETAINED)\$" <<<"$changed" | tr '\n' ' ')"
kubectl delete pvc --all -n default --wait=false >/dev/null 2>&1
kubectl delete pv default.aggregate-shared-ckpt --ignore-not-found --wait=false >/dev/null 2>&1
# Their ServiceAccounts went with the destroy, and their tokens with them: started again for the YAML program.
stop_operator_double
stop_controllers

# --- YAML, on the same cluster: the retained claims are taken up again ----------
PROGRAM_DIR="$WORK/program-yaml"
mkdir -p "$PROGRAM_DIR" && cp -r "$E2E_DIR/kafka-yaml/." "$PROGRAM_DIR/" &&
  sed -i "s|^  volley: .*$|  volley: $REPO_DIR|" "$PROGRAM_DIR/Pulumi.yaml" && cd "$PROGRAM_DIR" &&
  run_pulumi stack init e2e-yaml >/dev/null &&
  run_pulumi config set --secret kubeconfig -- "$(cat "$KUBECONFIG")" >/dev/null &&
  run_pulumi config set operatorImage "$OPERATOR_DOUBLE_IMAGE" >/dev/null &&
  run_pulumi config set strimziChartPath "$STRIMZI_CHART" >/dev/null || { fail "prepare the YAML program"; finish; }
claims_before="$(kubectl get pvc -n "$KNS" -o jsonpath='{range .items[*]}{.metadata.uid}{"\n"}{end}' 2>/dev/null | sort)"
start_operator_double
start_strimzi || { fail "start the Strimzi double again"; finish; }
if run_pulumi up --yes --skip-preview >"$WORK/up-yaml.txt" 2>&1; then ok "pulumi up with Kafka (YAML)"
else fail "pulumi up with Kafka (YAML)"; tail -40 "$WORK/up-yaml.txt"; finish; fi
listener="$(kget kafka "$CLUSTER" -n "$KNS" | jqe "next(l['bootstrapServers'] for l in d['status']['listeners'] if l['name'] == 'plain')")"
expect "YAML: clicks Running, its spec.kafka.bootstrapServers the Kafka status listener's" "Running $listener" \
  "$(kget vapp clicks -n default | jqe "'%s %s' % (d['status']['phase'], d['spec']['kafka']['bootstrapServers'])")"
expect "YAML: stack output kafkaBootstrapServers is the status listener's" "$listener" "$(run_pulumi stack output --show-secrets kafkaBootstrapServers 2>/dev/null)"
expect "YAML: KafkaTopic clicks Ready" "True" "$(kget kafkatopic clicks -n "$KNS" | jqe "next(c['status'] for c in d['status']['conditions'] if c['type'] == 'Ready')")"
expect "YAML: the brokers took up the retained claims (same claims, no new ones)" "$claims_before" \
  "$(kubectl get pvc -n "$KNS" -o jsonpath='{range .items[*]}{.metadata.uid}{"\n"}{end}' 2>/dev/null | sort)"
if run_pulumi destroy --yes --skip-preview >"$WORK/destroy-yaml.txt" 2>&1; then ok "pulumi destroy (YAML)"
else fail "pulumi destroy (YAML)"; tail -30 "$WORK/destroy-yaml.txt"; fi
expect "YAML: no Kafka left" "" "$(kubectl get kafka -n "$KNS" -o name 2>/dev/null)"
stop_operator_double
stop_controllers
echo "pulumi up with Kafka on (examples/kubernetes-ts, addons off, local cluster, $(nproc) cores): ${UP_SECONDS} s"
finish
