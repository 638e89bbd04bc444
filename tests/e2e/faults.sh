#!/usr/bin/env bash
# Fault: the API server dies in the middle of `pulumi up`. After it comes
# back, `pulumi up` again converges and the next preview is empty.
# Run under tools/with-cluster.sh. Prints `N passed, M failed`.
set -uo pipefail
LANG_ID=faults
. "$(dirname "$0")/lib.sh"

prepare_program ts || { fail "prepare program"; finish; }
cd "$PROGRAM_DIR"
stack_init || { fail "stack init"; finish; }
start_operator_double

# Start the up, and kill the API server as soon as the first of our objects
# exists: the CRD comes early, the applications last.
run_pulumi up --yes --skip-preview >"$WORK/up1.txt" 2>&1 &
up=$!
for ((i = 0; i < 600; i++)); do
  kubectl get crd volleyapplications.volley.io >/dev/null 2>&1 && break
  kill -0 "$up" 2>/dev/null || break
  sleep 0.1
done
"$REPO_DIR/tools/cluster.sh" stop-apiserver >/dev/null 2>&1
wait "$up"; rc=$?
if [ "$rc" -ne 0 ]; then ok "pulumi up fails while the API server is down"
else fail "the fault came too late: pulumi up finished before the API server died"; fi

"$REPO_DIR/tools/cluster.sh" start-apiserver >/dev/null 2>&1 || { fail "restart kube-apiserver"; finish; }
if run_pulumi up --yes --skip-preview >"$WORK/up2.txt" 2>&1; then ok "pulumi up converges after the restart"
else fail "pulumi up converges after the restart"; tail -30 "$WORK/up2.txt"; fi
if run_pulumi preview --expect-no-changes >"$WORK/preview.txt" 2>&1; then ok "then a preview is empty"
else fail "then a preview is empty"; tail -30 "$WORK/preview.txt"; fi
expect "both applications exist" "aggregate ingest" "$(kubectl get vapp -n default -o jsonpath='{.items[*].metadata.name}' 2>/dev/null)"
run_pulumi destroy --yes --skip-preview >/dev/null 2>&1 || fail "destroy after the fault test"
finish
