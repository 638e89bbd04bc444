#!/usr/bin/env bash
# Failures of applications as a user meets them, through the real engine,
# the real provider and the operator test double (run under
# tools/with-cluster.sh). Prints `N passed, M failed`.
#   1. A permission missing from the package's operator ClusterRole: the
#      operator cannot update the StatefulSet, the application turns Failed
#      with a message naming the permission, and `pulumi up` fails with it.
#   2. An application that cannot be scheduled (more replicas than stream
#      nodes, one pod per node): `pulumi up` fails after awaitTimeoutSeconds
#      with the operator's status message, which says what to do; after the
#      fix `pulumi up` converges and the next preview is empty.
set -uo pipefail
LANG_ID=operator-faults
. "$(dirname "$0")/lib.sh"

prepare_program ts || { fail "prepare program"; finish; }
cd "$PROGRAM_DIR"
stack_init || { fail "stack init"; finish; }
# Neither fault involves KEDA or Prometheus: the example's add-ons stay off
# (the TypeScript lifecycle proves them), so each of the five `up`s below
# does not render their charts again.
run_pulumi config set addons false >/dev/null
start_operator_double
if run_pulumi up --yes --skip-preview >"$WORK/up.txt" 2>&1; then ok "pulumi up: both applications Running"
else fail "pulumi up"; tail -30 "$WORK/up.txt"; finish; fi
run_pulumi config set awaitTimeoutSeconds 40 >/dev/null

# --- 1. one verb removed from the operator's ClusterRole ---------------------
ROLE=volley-operator-volley-system
kubectl get clusterrole "$ROLE" -o json >"$WORK/role.json"
idx="$(python3 -c "
import json; r = json.load(open('$WORK/role.json'))['rules']
print([i for i, x in enumerate(r) if 'statefulsets' in x['resources']][0])")"
verbs="$(python3 -c "
import json; r = json.load(open('$WORK/role.json'))['rules'][$idx]
print(json.dumps([v for v in r['verbs'] if v != 'patch']))")"
kubectl patch clusterrole "$ROLE" --type=json -p "[{\"op\":\"replace\",\"path\":\"/rules/$idx/verbs\",\"value\":$verbs}]" >/dev/null ||
  fail "patch the ClusterRole"
run_pulumi config set aggregateReplicas 2 >/dev/null
if run_pulumi up --yes --skip-preview >"$WORK/up-rbac.txt" 2>&1; then fail "pulumi up must fail without 'patch' on statefulsets"
else ok "pulumi up fails without 'patch' on statefulsets"; fi
msg="$(kubectl get vapp aggregate -n default -o jsonpath='{.status.phase}: {.status.message}' 2>/dev/null)"
if [[ $msg == Failed:*'cannot patch resource "statefulsets"'*"lacks this permission"* ]]; then ok "application Failed, naming the missing permission"
else fail "application status names the missing permission: [$msg]"; fi
if grep -q 'cannot patch resource \\\?"statefulsets' "$WORK/up-rbac.txt"; then ok "pulumi up output names the missing permission"
else fail "pulumi up output names the missing permission"; tail -20 "$WORK/up-rbac.txt"; fi
usage="$(python3 "$E2E_DIR/rbac_usage.py" "$CLUSTER_STATE/audit.log" "$WORK/role.json" --allow-denied 2>&1)"
expect "the audit log shows the operator denied exactly that" "denied patch apps/statefulsets" "$(grep '^denied ' <<<"$usage")"
# Restore the package's rules; the operator recovers on its own.
kubectl patch clusterrole "$ROLE" --type=json -p "[{\"op\":\"replace\",\"path\":\"/rules/$idx/verbs\",\"value\":$(python3 -c "
import json; print(json.dumps(json.load(open('$WORK/role.json'))['rules'][$idx]['verbs']))")}]" >/dev/null
if run_pulumi up --yes --skip-preview >"$WORK/up-fixed.txt" 2>&1; then ok "pulumi up converges once the permission is back"
else fail "pulumi up converges once the permission is back"; tail -20 "$WORK/up-fixed.txt"; fi
expect "aggregate Running at 2 replicas" "Running 2" "$(kubectl get vapp aggregate -n default -o jsonpath='{.status.phase} {.status.readyReplicas}' 2>/dev/null)"

# --- 2. more replicas than stream nodes --------------------------------------
run_pulumi config set aggregateReplicas 4 >/dev/null
t0=$SECONDS
if run_pulumi up --yes --skip-preview >"$WORK/up-unsched.txt" 2>&1; then fail "pulumi up must fail: 4 replicas, 3 stream nodes, one pod per node"
else ok "pulumi up fails: 4 replicas, 3 stream nodes, one pod per node ($((SECONDS - t0)) s, timeout 40 s)"; fi
# The provider prints the operator's Warning events on the application as the
# resource's warnings, right above the timeout error.
if grep -q 'aggregate-vapp .*warning: \(Pending\|Degraded\): [0-9]/4 replicas ready; waiting for .*add nodes to the stream pool or lower replicas' "$WORK/up-unsched.txt" &&
  grep -q 'timed out waiting for the condition' "$WORK/up-unsched.txt"; then
  ok "pulumi up shows the operator's message, which says what to do, with the timeout error"
else fail "pulumi up shows the operator's message, which says what to do, with the timeout error"; tail -20 "$WORK/up-unsched.txt"; fi
expect "the fourth pod is Unschedulable" "Unschedulable" \
  "$(kubectl get pod aggregate-3 -n default -o jsonpath='{.status.conditions[?(@.type=="PodScheduled")].reason}' 2>/dev/null)"
run_pulumi config set aggregateReplicas 3 >/dev/null
if run_pulumi up --yes --skip-preview >"$WORK/up-3.txt" 2>&1; then ok "pulumi up converges after the fix"
else fail "pulumi up converges after the fix"; tail -20 "$WORK/up-3.txt"; fi
expect "aggregate Running at 3 replicas" "Running 3" "$(kubectl get vapp aggregate -n default -o jsonpath='{.status.phase} {.status.readyReplicas}' 2>/dev/null)"
if run_pulumi preview --expect-no-changes >"$WORK/preview.txt" 2>&1; then ok "then a preview is empty"
else fail "then a preview is empty"; tail -20 "$WORK/preview.txt"; fi

run_pulumi destroy --yes --skip-preview >/dev/null 2>&1 || fail "destroy"
finish
