#!/usr/bin/env bash
# Runs CMD against a fresh local control plane (tools/cluster.sh) and always
# tears it down afterwards, also on failure, Ctrl-C or TERM.
# Usage: tools/with-cluster.sh CMD [ARGS...]   (exits with CMD's status)
. "$(dirname "$0")/lib.sh"
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }

child=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  "$TOOLS_DIR/cluster.sh" down >&2 || { log "ERROR: cluster.sh down failed"; rc=1; }
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$TOOLS_DIR/cluster.sh" up >/dev/null || die "cluster.sh up failed"
KUBECONFIG="$("$TOOLS_DIR/cluster.sh" kubeconfig)"
export KUBECONFIG

# In the background (with stdin kept) so INT/TERM traps run at once.
set +e
"$@" <&0 &
child=$!
wait "$child"
rc=$?
child=""
exit "$rc"
