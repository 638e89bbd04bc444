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

passed=0 failed=0
ok()   { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
expect() { # expect NAME WANT GOT
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: want [$2], got [$3]"; fi
}
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

. "$REPO_DIR/tools/program.sh"
