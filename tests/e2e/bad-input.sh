#!/usr/bin/env bash
# Bad input through the real engine: an Application with several invalid
# inputs fails `pulumi preview` and `pulumi up` with the InputPropertyError
# text (property path + what is allowed), and nothing is created; the
# package's policy pack fails the preview of a program that breaks its rules.
# Run under tools/with-cluster.sh. Prints `N passed, M failed`.
set -uo pipefail
LANG_ID=bad-input
. "$(dirname "$0")/lib.sh"

PROGRAM_DIR="$WORK/program"
mkdir -p "$PROGRAM_DIR"
cat > "$PROGRAM_DIR/Pulumi.yaml" <<YAML
name: volley-bad-input
runtime: yaml
packages:
  volley: $REPO_DIR
resources:
  broken:
    type: volley:index:Application
    properties:
      environment:
        name: local
        kubeconfig: ""
        operatorNamespace: volley-system
        crdName: volleyapplications.volley.io
        streamPlacement: { nodeSelector: {}, tolerations: [] }
        systemPlacement: { nodeSelector: {}, tolerations: [] }
        kedaEnabled: false
        prometheusEnabled: false
      image: registry.example.com/app:v1
      resources:
        requests: { cpu: "1", memory: 4 GB }
      replicas: 0
      cluster:
        maxKeyGroups: 100
YAML
install_kubernetes_plugin || { fail "kubernetes plugin"; finish; }
cd "$PROGRAM_DIR" && run_pulumi stack init bad >/dev/null || { fail "stack init"; finish; }

for cmd in preview "up --yes --skip-preview"; do
  if run_pulumi $cmd >"$WORK/out.txt" 2>&1; then
    fail "pulumi $cmd must fail on bad input"
  else
    out="$(cat "$WORK/out.txt")"
    for want in "resources.requests.memory" "Kubernetes quantity" "replicas" "must be an integer >= 1" "cluster.maxKeyGroups" "power of two"; do
      if grep -qF -- "$want" <<<"$out"; then ok "pulumi $cmd reports '$want'"; else fail "pulumi $cmd reports '$want'"; fi
    done
  fi
done
count="$(run_pulumi stack export | python3 -c "import json,sys; d=json.load(sys.stdin); print(len([r for r in d.get('deployment',{}).get('resources') or [] if not r['type'].startswith('pulumi:')]))")"
expect "stack holds no resources after the failed up" "0" "$count"
expect "nothing reached the cluster" "" "$(kubectl get vapp -A -o name 2>/dev/null)"

# The package's policy pack (#25) on a program a platform team must not
# merge: a stream pool description without the taint, an application without
# limits (and so without the taint's toleration), a checkpoint volume whose
# reclaim policy deletes the data. The preview fails with those violations.
POLICY_DIR="$WORK/policy-program"
mkdir -p "$POLICY_DIR"
cat > "$POLICY_DIR/Pulumi.yaml" <<YAML
name: volley-bad-policy
runtime: yaml
packages:
  volley: $REPO_DIR
resources:
  env:
    type: volley:index:KubernetesEnvironment
    properties:
      operator: { image: "$OPERATOR_DOUBLE_IMAGE" }
      keda: { enabled: false }
      prometheus: { mode: none }
      streamNodes:
        labels: { volley.io/pool: stream-processing }
        taints: []
  app:
    type: volley:index:Application
    properties:
      environment: \${env.environment}
      image: registry.example.com/app:v1
      resources:
        requests: { cpu: "1", memory: 1Gi }
      awaitRunning: false
  ckpt:
    type: kubernetes:core/v1:PersistentVolume
    properties:
      metadata:
        name: bad-ckpt
        labels: { app.kubernetes.io/part-of: volley }
      spec:
        capacity: { storage: 1Gi }
        accessModes: [ReadWriteMany]
        persistentVolumeReclaimPolicy: Delete
        nfs: { server: 127.0.0.1, path: /exports/bad }
YAML
cd "$POLICY_DIR" && run_pulumi stack init bad-policy >/dev/null || { fail "stack init (policy program)"; finish; }
if preview_with_policies "$WORK/bad-policy"; then
  fail "preview --policy-pack must fail on the bad program"; tail -30 "$WORK/bad-policy.txt"
else
  ok "preview --policy-pack fails on the bad program"
fi
expect "its mandatory violations" "checkpoint-storage-retained:ckpt limits-set:app-vapp stream-pool-tainted:app-vapp" \
  "$(policy_violations "$WORK/bad-policy.events" mandatory)"
for want in "without the taint volley.io/dedicated=true:NoSchedule" "has no cpu or memory limit" "persistentVolumeReclaimPolicy Delete"; do
  expect_grep "the preview output says '$want'" "$want" "$WORK/bad-policy.txt"
done
expect "nothing reached the cluster (policy program)" "" "$(kubectl get pv bad-ckpt --ignore-not-found -o name 2>/dev/null)"
finish
