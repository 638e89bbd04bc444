#!/usr/bin/env bash
# Bad input through the real engine: an Application with several invalid
# inputs fails `pulumi preview` and `pulumi up` with the InputPropertyError
# text (property path + what is allowed), and nothing is created.
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
finish
