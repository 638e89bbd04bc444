#!/usr/bin/env bash
# Runs the Volley operator TEST DOUBLE (tools/localkube operator-double) on
# the cluster of KUBECONFIG, as the operator's own ServiceAccount: it waits
# for the operator Deployment the package creates, gets a token for its
# ServiceAccount from the TokenRequest API and runs with that token only,
# never with the admin credentials. On a real cluster the operator image in the package's
# Deployment does this work; under kwok that pod runs no container.
# Test infrastructure: never packaged or installed for users.
#
# Usage: tools/operator-double.sh start DIR [NAMESPACE] | stop DIR
#   start  in the background; PID in DIR/operator-double.pid, log in
#          DIR/operator-double.log (NAMESPACE: the operator's, default volley-system).
#          DIR is the local cluster's state dir, so `tools/cluster.sh down`
#          stops the double with the cluster, also when a test fails.
#   stop   TERM, then KILL after 10 s
. "$(dirname "$0")/lib.sh"

cmd="${1:-}" dir="${2:-}"
[ -n "$dir" ] || { echo "usage: $0 start DIR [NAMESPACE] | stop DIR" >&2; exit 2; }
PIDFILE="$dir/operator-double.pid"

# run NAMESPACE: foreground body of `start`.
run() {
  local ns="$1" sa=volley-operator token kc="$dir/operator-double.kubeconfig" server ca
  # It starts when the operator's pod would: once the package has made the
  # Deployment (which it does after the ServiceAccount's bindings).
  log "operator double: waiting for Deployment $ns/volley-operator"
  until kubectl get deployment volley-operator -n "$ns" >/dev/null 2>&1; do sleep 0.5; done
  token="$(kubectl create token "$sa" -n "$ns" --duration=6h)" || { log "operator double: no token"; return 1; }
  server="$(kubectl config view --minify --raw -o jsonpath='{.clusters[0].cluster.server}')"
  ca="$(kubectl config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')"
  (umask 077; cat > "$kc" <<KC
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "$server", certificate-authority-data: "$ca"}}]
users: [{name: $sa, user: {token: "$token"}}]
contexts: [{name: c, context: {cluster: c, user: $sa}}]
current-context: c
KC
  )
  log "operator double: running as system:serviceaccount:$ns:$sa"
  KUBECONFIG="$kc" exec "$("$TOOLS_DIR/build-localkube.sh")/localkube" operator-double --namespace "$ns"
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    pid="$(cat "$PIDFILE" 2>/dev/null)" && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
      { log "operator double already running (pid $pid)"; exit 0; }
    "$TOOLS_DIR/build-localkube.sh" >/dev/null || die "tools/build-localkube.sh failed"
    "$0" __run "$dir" "${3:-volley-system}" </dev/null >"$dir/operator-double.log" 2>&1 &
    echo $! > "$PIDFILE" ;;
  __run) run "${3:-volley-system}" ;;
  stop)
    pid="$(cat "$PIDFILE" 2>/dev/null)" || exit 0
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE" ;;
  *) echo "usage: $0 start DIR [NAMESPACE] | stop DIR" >&2; exit 2 ;;
esac
