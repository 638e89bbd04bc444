#!/usr/bin/env bash
# Validates the VolleyApplication CRD against a real kube-apiserver:
# applies the CRD, waits until it is Established, checks printer columns and
# the `vapp` short name, then server-side dry-runs every seed fixture:
#   tests/fixtures/seed/broken-*.yaml  must be rejected as invalid,
#   every other tests/fixtures/seed/*.yaml must be accepted.
# Prints one `ok`/`FAIL` line per case and finally `N passed, M failed`.
#
# Usage: tools/with-cluster.sh tests/apiserver/run.sh [CRD_FILE]
#   (needs KUBECONFIG pointing at a disposable cluster; CRD_FILE defaults to
#    $VOLLEY_CRD or crds/volley.io_volleyapplications.yaml)
set -uo pipefail
REPO_DIR="$(cd "$(dirname "$0")/../.." && pwd)"
CRD="${1:-${VOLLEY_CRD:-$REPO_DIR/crds/volley.io_volleyapplications.yaml}}"
FIXTURES="${VOLLEY_SEED_FIXTURES:-$REPO_DIR/tests/fixtures/seed}"
CRD_NAME=volleyapplications.volley.io
VERSION=v1alpha1

[ -n "${KUBECONFIG:-}" ] || { echo "KUBECONFIG is not set; run under tools/with-cluster.sh" >&2; exit 2; }
[ -f "$CRD" ] || { echo "CRD file not found: $CRD" >&2; exit 2; }

passed=0 failed=0
ok()   { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
# first_line TEXT: TEXT on one line (multi-line errors joined), shortened.
first_line() { printf '%s' "$1" | tr '\n' ' ' | tr -s ' ' | cut -c1-220; }

# --- the CRD itself ---------------------------------------------------------

if out="$(kubectl apply --server-side --force-conflicts -f "$CRD" 2>&1)"; then
  ok "apply CRD $(basename "$CRD")"
else
  fail "apply CRD $(basename "$CRD"): $(first_line "$out")"
  echo "$passed passed, $failed failed"; exit 1
fi

if out="$(kubectl wait --for=condition=Established "crd/$CRD_NAME" --timeout=60s 2>&1)"; then
  ok "CRD $CRD_NAME Established"
else
  fail "CRD $CRD_NAME Established: $(first_line "$out")"
  echo "$passed passed, $failed failed"; exit 1
fi

cols="$(kubectl get crd "$CRD_NAME" \
  -o jsonpath="{.spec.versions[?(@.name==\"$VERSION\")].additionalPrinterColumns[*].name}" 2>&1)"
if [ $? -eq 0 ] && [ -n "$cols" ]; then
  ok "printer columns: $cols"
else
  fail "printer columns: none found for $VERSION ($(first_line "$cols"))"
fi

# Discovery can trail the Established condition by a moment.
short=""
for _ in $(seq 1 20); do
  short="$(kubectl api-resources --api-group=volley.io --no-headers 2>/dev/null |
    awk '$1 == "volleyapplications"')"
  [ -n "$short" ] && break
  sleep 0.5
done
if [ -n "$short" ] && [[ ",$(awk '{print $2}' <<<"$short")," == *,vapp,* ]]; then
  ok "api-resources lists volleyapplications with short name vapp"
else
  fail "api-resources short name vapp: got '${short:-<volleyapplications not listed>}'"
fi

# --- fixtures ---------------------------------------------------------------

shopt -s nullglob
files=("$FIXTURES"/*.yaml)
[ ${#files[@]} -gt 0 ] || fail "no fixtures in $FIXTURES"
for f in "${files[@]}"; do
  name="$(basename "$f")"
  out="$(kubectl apply --dry-run=server -f "$f" 2>&1)"; rc=$?
  case "$name" in
    broken-*)
      # Only a validation error counts as a rejection (not e.g. a missing
      # CRD or an unreachable server).
      if [ $rc -ne 0 ] && grep -q 'is invalid' <<<"$out"; then
        ok "reject $name: $(first_line "$out" | sed 's/^.* is invalid: *//')"
      elif [ $rc -ne 0 ]; then
        fail "reject $name: failed, but not as invalid: $(first_line "$out")"
      else
        fail "reject $name: accepted ($(first_line "$out"))"
      fi ;;
    *)
      if [ $rc -eq 0 ]; then
        ok "accept $name"
      else
        fail "accept $name: $(first_line "$out")"
      fi ;;
  esac
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
