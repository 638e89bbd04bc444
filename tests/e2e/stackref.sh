#!/usr/bin/env bash
# A second stack on the `make up` environment, as README "Applications on
# the make up environment (a second stack)" says, on one local cluster:
#   `make up` (tools/local.sh up; KUBECONFIG is reachable, so it deploys
#   there) prints the kubeconfig, the kubectl commands and the backend, and
#   exports `environment` -> the README's blocks, read from README.md: a new
#   project adds the package and `pulumi up`s an Application through a
#   StackReference -> it is Running on a stream node, through its own
#   provider, and the environment's applications are untouched -> the
#   README's hand-written environment equals the exported one -> the README's
#   destroy removes it -> `make down` removes the stack and says what it
#   keeps, with no stale advice.
# Run under tools/with-cluster.sh. Prints `N passed, M failed`.
set -uo pipefail
LANG_ID=stackref
. "$(dirname "$0")/lib.sh"
README="$REPO_DIR/README.md"
BLOCKS="$E2E_DIR/../consumers/readme.py"
LOCAL="$WORK/local"       # make up's state (VOLLEY_LOCAL_DIR), as .pulumi/local
APPS="$WORK/apps"

# `make up` starts the operator double only with its own local cluster.
start_operator_double
if VOLLEY_LOCAL_DIR="$LOCAL" "$REPO_DIR/tools/local.sh" up >"$WORK/up.txt" 2>&1; then ok "make up (tools/local.sh up) on this cluster"
else fail "make up"; tail -40 "$WORK/up.txt"; finish; fi
for want in "export KUBECONFIG=$KUBECONFIG" "  kubectl get vapp -A" "  kubectl get pods -A -o wide" \
  "export PULUMI_BACKEND_URL=file://$LOCAL/state" "organization/volley-kubernetes-ts/local"; do
  if grep -qF -- "$want" "$WORK/up.txt"; then ok "make up prints '$want'"
  else fail "make up prints '$want'"; tail -15 "$WORK/up.txt"; fi
done
exported="$(cd "$LOCAL/program" && PULUMI_HOME="$LOCAL/home" PULUMI_BACKEND_URL="file://$LOCAL/state" \
  run_pulumi stack output --show-secrets --json environment 2>"$WORK/output.err")"
expect "the make up stack exports environment, naming its operator namespace" "volley-system" \
  "$(jqe "d['operatorNamespace']" <<<"$exported" 2>&1)"

# The README's blocks; its paths under the repository root become this run's.
python3 "$BLOCKS" "$README" setup "$WORK/setup" >/dev/null &&
  python3 "$BLOCKS" "$README" stackref "$APPS" >/dev/null || { fail "README has the stackref blocks"; finish; }
sed -i -e "s|\$PWD/.pulumi/local|$LOCAL|g" -e "s|\$PWD/.pulumi/cluster/kubeconfig|$KUBECONFIG|g" "$APPS/steps.sh"
readme() { # readme DIR BLOCK: run the README's BLOCK after its setup, in DIR
  (cd "$REPO_DIR" && bash -euo pipefail -c '. "$1"; cd "$2"; . "$3"' _ "$WORK/setup/steps.sh" "$1" "$2")
}
if readme "$APPS" "$APPS/steps.sh" >"$WORK/apps-up.txt" 2>&1; then ok "README second stack: package add, pulumi up"
else fail "README second stack: package add, pulumi up"; tail -40 "$WORK/apps-up.txt"; finish; fi
expect "its Application is Running" "Running" "$(kubectl get vapp enrich -n default -o jsonpath='{.status.phase}' 2>&1)"
assert_app_pods enrich 1
expect "the README's kubectl line printed it" "1" "$(grep -c '^enrich ' "$WORK/apps-up.txt")"
state="$(cd "$APPS/volley-apps" && PULUMI_BACKEND_URL="file://$LOCAL/state" run_pulumi stack export 2>/dev/null)"
expect "it deploys through its own provider, made from the referenced kubeconfig" "enrich-k8s" \
  "$(jqe "' '.join(r['urn'].split('::')[-1] for r in d['deployment']['resources'] if r['type'] == 'pulumi:providers:kubernetes')" <<<"$state" 2>&1)"
expect "the environment's own applications stay Running" "Running Running" \
  "$(echo $(kubectl get vapp ingest aggregate -n default -o jsonpath='{.items[*].status.phase}' 2>&1))"

# The hand-written environment of the README is the exported one (but for
# the kubeconfig, read there from the file KUBECONFIG names, as in the
# README's steps, and the provider URN, never written). The real fs runs, so
# a path that only works from the repository's root fails here.
expect "README's hand-written environment equals the exported one" "same" "$(cd "$APPS" && EXPORTED="$exported" node -e '
const fs = require("fs");
'"$(grep -v '^import ' "$APPS/environment.sh")"'
const strip = (o) => { const { kubeconfig, kubernetesProviderUrn, ...rest } = o; return rest; };
const sorted = (v) => Array.isArray(v) ? v.map(sorted) : v && typeof v === "object"
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v;
const a = JSON.stringify(sorted(strip(environment))), b = JSON.stringify(sorted(strip(JSON.parse(process.env.EXPORTED))));
console.log(!environment.kubeconfig.includes("clusters") ? `README kubeconfig read: ${environment.kubeconfig.slice(0, 80)}`
    : a === b ? "same" : `README ${a}\nstack  ${b}`);' 2>&1)"

# Two stacks on one cluster (#20.7): the make-up stack turns its add-ons
# (KEDA, kube-prometheus-stack) off while the second stack's application
# runs. The add-ons' CRDs are retained, so the other stack's resources of
# those kinds (its ServiceMonitor, made by the operator) survive.
expect "the second stack's application has a ServiceMonitor" "servicemonitor.monitoring.coreos.com/enrich" \
  "$(kubectl get servicemonitor enrich -n default -o name 2>&1)"
if (cd "$LOCAL/program" && export PULUMI_BACKEND_URL="file://$LOCAL/state" && run_pulumi stack select local &&
    run_pulumi config set addons false && run_pulumi up --yes --skip-preview) >"$WORK/addons-off.txt" 2>&1; then
  ok "the make-up stack turns its add-ons off"
else fail "the make-up stack turns its add-ons off"; tail -30 "$WORK/addons-off.txt"; fi
expect "KEDA's and prometheus-operator's CRDs stay (retained on delete)" "2" \
  "$(kubectl get crd scaledobjects.keda.sh servicemonitors.monitoring.coreos.com -o name 2>/dev/null | wc -l)"
expect "the other stack's ServiceMonitor survives" "servicemonitor.monitoring.coreos.com/enrich" \
  "$(kubectl get servicemonitor enrich -n default -o name 2>&1)"
expect "the other stack's application stays Running" "Running" "$(kubectl get vapp enrich -n default -o jsonpath='{.status.phase}' 2>&1)"

# In the reader's shell, still in volley-apps with make up's backend.
if PULUMI_BACKEND_URL="file://$LOCAL/state" readme "$APPS/volley-apps" "$APPS/down.sh" >"$WORK/apps-down.txt" 2>&1; then ok "README second stack: pulumi destroy --remove"
else fail "README second stack: pulumi destroy --remove"; tail -30 "$WORK/apps-down.txt"; fi
expect "its Application is gone" "" "$(kubectl get vapp enrich -n default -o name 2>/dev/null)"
expect "the environment's applications are still there" "2" "$(kubectl get vapp -n default -o name 2>/dev/null | wc -l)"

if VOLLEY_LOCAL_DIR="$LOCAL" "$REPO_DIR/tools/local.sh" down >"$WORK/down.txt" 2>&1; then ok "make down (tools/local.sh down)"
else fail "make down"; tail -30 "$WORK/down.txt"; fi
expect "make down suggests no pulumi stack rm" "0" "$(grep -c 'stack rm' "$WORK/down.txt")"
expect "make down removed its state folder" "gone" "$([ -e "$LOCAL" ] && echo present || echo gone)"
expect "make down lists the checkpoint claims it keeps" "1" "$(grep -c 'default/aggregate-shared-ckpt' "$WORK/down.txt")"
expect "no VolleyApplication is left" "" "$(kubectl get vapp -A -o name 2>/dev/null)"
finish
