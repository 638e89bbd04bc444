#!/usr/bin/env bash
# Autoscaling on the local cluster with the real controllers (issue 23, items
# 5 and 6): the program tests/e2e/autoscaling (a KubernetesEnvironment with
# KEDA and a Karpenter stream pool on Karpenter's kwok provider, and three
# applications), the Volley operator test double, and, each as its chart's
# ServiceAccount (tools/localkube controller), the KEDA operator, KEDA's
# metrics API server and Karpenter. Run under tools/with-cluster.sh; once
# per CI run (the heavy scenario), not per language.
#   KEDA: the ScaledObject the double creates from the package's spec is
#   Ready and yields an HPA with the spec's bounds; the external metrics API
#   is KEDA's own server; a Kafka trigger the package completed fails only to
#   reach the (absent) broker, while one without a bootstrap address, applied
#   around the package, is what KEDA rejects.
#   Karpenter: more replicas than stream nodes make Karpenter add exactly the
#   missing nodes, with the stream label and taint; the pods run on them;
#   scaling back down removes the emptied nodes, as Empty (WhenEmpty) and for
#   no other reason. Then the second preview is empty.
# Prints one ok/FAIL line per assertion and `N passed, M failed`, with the
# scale-out and scale-in times.
set -uo pipefail
LANG_ID=autoscaling
. "$(dirname "$0")/lib.sh"

prepare_autoscaling || { echo "0 passed, 1 failed"; exit 1; }

if run_pulumi up --yes --skip-preview >"$WORK/up.txt" 2>&1; then ok "pulumi up"
else fail "pulumi up"; tail -40 "$WORK/up.txt"; finish; fi

# --- KEDA ---------------------------------------------------------------------
# ready NAME: the ScaledObject's Ready condition, "status reason message".
ready() { kget scaledobject "$1" -n default | jqe "next(('%s %s %s' % (c['status'], c.get('reason', ''), c.get('message', ''))) for c in d['status']['conditions'] if c['type'] == 'Ready')"; }
is_ready() { [[ $(ready "$1") == True* ]]; }
has_verdict() { local r; r="$(ready "$1")"; [[ $r == True* || $r == False* ]]; }
wait_until 120 is_ready keda-check
got="$(ready keda-check 2>&1)"
expect "KEDA: keda-check's ScaledObject is Ready" "True ScaledObjectReady" "$(cut -d' ' -f1-2 <<<"$got")"
expect "KEDA: its HPA keda-hpa-keda-check scales StatefulSet keda-check between minReplicas 2 and maxReplicas 5" "StatefulSet/keda-check 2 5" \
  "$(kget hpa keda-hpa-keda-check -n default | jqe "'%s/%s %s %s' % (d['spec']['scaleTargetRef']['kind'], d['spec']['scaleTargetRef']['name'], d['spec']['minReplicas'], d['spec']['maxReplicas'])")"
expect "KEDA: its metrics are the cpu trigger (Utilization 70, the package's default metricType) and the prometheus one (External)" "External Resource:cpu:Utilization:70" \
  "$(kget hpa keda-hpa-keda-check -n default | jqe "' '.join(sorted((m['type'] + ((':%s:%s:%s' % (m['resource']['name'], m['resource']['target']['type'], m['resource']['target']['averageUtilization'])) if m['type'] == 'Resource' else '')) for m in d['spec']['metrics']))")"

# The external metrics API is KEDA's own server, behind the CA its operator
# generated and injected; the HPA's external metric reaches KEDA's prometheus
# scaler through it (which then cannot reach a Prometheus: none runs here).
available() { [ "$(kubectl get apiservice v1beta1.external.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type=="Available")].status}')" = True ]; }
wait_until 120 available
expect "KEDA's metrics API server serves v1beta1.external.metrics.k8s.io (Available)" "True" \
  "$(kubectl get apiservice v1beta1.external.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type=="Available")].status}' 2>&1)"
expect "its caBundle is the CA of KEDA's operator (Secret keda/kedaorg-certs)" \
  "$(kubectl get secret kedaorg-certs -n keda -o jsonpath='{.data.ca\.crt}' 2>/dev/null)" \
  "$(kubectl get apiservice v1beta1.external.metrics.k8s.io -o jsonpath='{.spec.caBundle}' 2>/dev/null)"
metric="$(kget hpa keda-hpa-keda-check -n default | jqe "next(m['external']['metric']['name'] for m in d['spec']['metrics'] if m['type'] == 'External')")"
kubectl get --raw "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/$metric?labelSelector=scaledobject.keda.sh%2Fname%3Dkeda-check" >"$WORK/metric.txt" 2>&1
expect_grep "a metric read reaches KEDA's metrics service through its API server ($metric)" "error when getting metric values metric:$metric" "$WORK/metric.txt"
expect_grep "... where KEDA's prometheus scaler queried the trigger's serverAddress" "prometheus.monitoring.svc:9090/api/v1/query" "$CLUSTER_STATE/keda-operator.log"

# Kafka: the package filled in bootstrapServers, consumerGroup and topic, so
# KEDA parses the trigger and fails only at the connection.
expect "Kafka: kafka-lag's trigger as the package completed it" "kafka.volley-e2e.invalid:9092 kafka-lag events 100" \
  "$(kget scaledobject kafka-lag -n default | jqe "' '.join(d['spec']['triggers'][0]['metadata'][k] for k in ('bootstrapServers', 'consumerGroup', 'topic', 'lagThreshold'))")"
wait_until 90 has_verdict kafka-lag
got="$(ready kafka-lag 2>&1)"
if [[ $got == False* && $got != *"no bootstrapServers given"* && $got == *kafka.volley-e2e.invalid* ]]; then
  ok "Kafka: KEDA parsed kafka-lag's trigger and failed only to reach the broker"
else fail "Kafka: KEDA parsed kafka-lag's trigger and failed only to reach the broker: Ready [$got]"; fi
# The same trigger without bootstrapServers, around the package (which
# refuses it at preview), straight to the operator: KEDA rejects it.
kubectl apply -f - >"$WORK/raw.txt" 2>&1 <<'CR'
apiVersion: volley.io/v1alpha1
kind: VolleyApplication
metadata: {name: kafka-raw, namespace: default}
spec:
  image: registry.example.com/kafka-raw:v1
  resources: {requests: {cpu: 100m, memory: 128Mi}}
  autoscaling:
    enabled: true
    minReplicas: 1
    maxReplicas: 3
    triggers: [{type: kafka, metadata: {topic: events, lagThreshold: "100"}}]
CR
wait_until 90 has_verdict kafka-raw
got="$(ready kafka-raw 2>&1)"
if [[ $got == False* && $got == *"no bootstrapServers given"* ]]; then ok "Kafka: KEDA rejects a trigger without bootstrapServers (\"no bootstrapServers given\")"
else fail "Kafka: KEDA rejects a trigger without bootstrapServers: Ready [$got]"; cat "$WORK/raw.txt"; fi
kubectl delete vapp kafka-raw -n default --wait=false >/dev/null 2>&1

# --- Karpenter ----------------------------------------------------------------
POOL="$(kubectl get nodepools -l app.kubernetes.io/part-of=volley -o jsonpath='{.items[0].metadata.name}' 2>/dev/null)"
expect "Karpenter: the environment's NodePool is Ready" "True" \
  "$(kubectl get nodepool "$POOL" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>&1)"
static="$(echo $(stream_nodes))"
expect "Karpenter: no node of its own before the scale-out (stream nodes: $static)" "" "$(pool_nodes)"

# Five replicas, one per node, on three stream nodes: Karpenter adds two.
run_pulumi config set streamReplicas 5 >/dev/null
t0=$SECONDS
if run_pulumi up --yes --skip-preview >"$WORK/up-out.txt" 2>&1; then ok "pulumi up: stream to 5 replicas (awaiting Running)"
else fail "pulumi up: stream to 5 replicas"; tail -30 "$WORK/up-out.txt"; fi
scale_out=$((SECONDS - t0))
assert_app_pods stream 5
expect "Karpenter added exactly the 2 missing nodes" "2" "$(pool_nodes | grep -c .)"
kubectl get nodes -l "karpenter.sh/nodepool=$POOL" -o json >"$WORK/pool-nodes.json" 2>/dev/null
expect "each new node carries the stream label, the stream taint (and no other), and is Ready" "stream-processing volley.io/dedicated=true:NoSchedule True
stream-processing volley.io/dedicated=true:NoSchedule True" \
  "$(jqe "'\n'.join('%s %s %s' % (n['metadata']['labels'].get('volley.io/pool'), ','.join('%s=%s:%s' % (t['key'], t.get('value', ''), t['effect']) for t in n['spec'].get('taints', [])), next(c['status'] for c in n['status']['conditions'] if c['type'] == 'Ready')) for n in d['items'])" <"$WORK/pool-nodes.json")"
on_new="$(kubectl get pods -n default -l volley.io/application=stream -o jsonpath='{range .items[*]}{.spec.nodeName} {.status.phase}{"\n"}{end}' 2>/dev/null |
  grep -cE "^($(pool_nodes | paste -sd'|')) Running$")"
expect "two of the stream pods run on Karpenter's nodes" "2" "$on_new"
# Initialized follows the node's Ready and its startup taints' removal
# asynchronously (Karpenter's lifecycle controller), so it may lag the pods.
initialized() { echo $(kubectl get nodeclaims -l "karpenter.sh/nodepool=$POOL" -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Initialized")].status}{"\n"}{end}' 2>/dev/null); }
all_initialized() { [ "$(initialized)" = "True True" ]; }
wait_until 60 all_initialized
expect "Karpenter's NodeClaims are Initialized (within 60 s)" "True True" "$(initialized)"

# Back to one replica: the emptied nodes go (WhenEmpty, consolidateAfter 10s), the running pod stays.
run_pulumi config set streamReplicas 1 >/dev/null
t0=$SECONDS
if run_pulumi up --yes --skip-preview >"$WORK/up-in.txt" 2>&1; then ok "pulumi up: stream back to 1 replica"
else fail "pulumi up: stream back to 1 replica"; tail -30 "$WORK/up-in.txt"; fi
no_pool_nodes() { [ -z "$(pool_nodes)" ]; }
wait_until 240 no_pool_nodes
scale_in=$((SECONDS - t0))
expect "Karpenter removed its emptied nodes and their NodeClaims" "" \
  "$(echo $(pool_nodes) $(kubectl get nodeclaims -l "karpenter.sh/nodepool=$POOL" -o name 2>/dev/null))"
expect "the stream nodes are the cluster's own again" "$static" "$(echo $(stream_nodes))"
# Karpenter's own account of each removal (an Event on the NodeClaim): empty
# nodes only, never a consolidation that would evict a running pipeline.
expect "Karpenter disrupted its 2 NodeClaims as Empty, and for no other reason" "2 Disrupting NodeClaim: Empty" \
  "$(kubectl get events -A --field-selector reason=DisruptionTerminating,involvedObject.kind=NodeClaim -o json 2>/dev/null |
    jqe "'%d %s' % (len({e['involvedObject']['name'] for e in d['items']}), ','.join(sorted({e['message'] for e in d['items']})))")"
expect "stream-0 Running on a stream node of the cluster's own" "Running yes" \
  "$(kubectl get pod stream-0 -n default -o jsonpath='{.status.phase}' 2>/dev/null) $([[ " $static " == *" $(kubectl get pod stream-0 -n default -o jsonpath='{.spec.nodeName}' 2>/dev/null) "* ]] && echo yes || echo no)"
assert_stream_nodes_dedicated

if run_pulumi preview --expect-no-changes >"$WORK/preview.txt" 2>&1; then ok "second preview: no changes"
else fail "second preview: no changes"; tail -30 "$WORK/preview.txt"; fi
log "scale-out to 5 (2 new nodes) in ${scale_out} s (pulumi up awaiting Running); scale-in to 1 with the nodes gone in ${scale_in} s"
stop_operator_double
stop_controllers
finish
