#!/usr/bin/env bash
# A throwaway local Kubernetes control plane (etcd + kube-apiserver, no
# kubelet, no controllers) listening on 127.0.0.1 only. Enough for CRDs,
# server-side dry runs, validation (OpenAPI + CEL) and RBAC.
#
# Usage: tools/cluster.sh up|down|kubeconfig|status
#   up          start etcd and kube-apiserver, wait for /readyz (prints the
#               kubeconfig path on stdout)
#   down        stop both (TERM, then KILL after a bounded wait)
#   kubeconfig  print the admin kubeconfig path
#   status      show PIDs, URL and /readyz; exit 0 only when up and ready
#
# Environment:
#   VOLLEY_CLUSTER_DIR      state dir (default: $REPO/.pulumi/cluster)
#   VOLLEY_CLUSTER_TIMEOUT  seconds `up` waits for readiness (default: 120)
#   VOLLEY_APISERVER_ARGS   extra kube-apiserver flags (space separated)
#
# Ports: etcd client, etcd peer and the API server each get a free port on
# 127.0.0.1 chosen at `up` (recorded in $STATE/ports.env), so two clusters
# with different state dirs do not collide. One state dir = one cluster.
# Every `up` starts from an empty etcd and fresh certificates; `down` keeps
# the logs for inspection.
. "$(dirname "$0")/lib.sh"

STATE="${VOLLEY_CLUSTER_DIR:-$REPO_DIR/.pulumi/cluster}"
TIMEOUT="${VOLLEY_CLUSTER_TIMEOUT:-120}"
SERVICE_CIDR=10.0.0.0/24
SERVICE_IP=10.0.0.1   # first address of SERVICE_CIDR: the `kubernetes` service
STOP_WAIT=15          # seconds between TERM and KILL

KUBECONFIG_PATH="$STATE/kubeconfig"
PKI="$STATE/pki"

# --- process helpers -------------------------------------------------------

# pid_of NAME: prints the PID recorded for NAME if that process is still
# alive and is really NAME (guards against recycled PIDs).
pid_of() {
  local f="$STATE/$1.pid" pid
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "/$1 " || return 1
  # A zombie is dead for our purposes.
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 1
  echo "$pid"
}

stop_one() {
  local name="$1" pid i
  if pid="$(pid_of "$name")"; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < STOP_WAIT * 10; i++)); do
      pid_of "$name" >/dev/null || break
      sleep 0.1
    done
    if pid_of "$name" >/dev/null; then
      log "$name (pid $pid) ignored TERM for ${STOP_WAIT}s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do pid_of "$name" >/dev/null || break; sleep 0.1; done
    fi
    pid_of "$name" >/dev/null && { log "ERROR: $name (pid $pid) is still running"; return 1; }
    # Once `up` has exited, the dead server is init's child; give init a
    # moment to reap it so no <defunct> entry lingers (best effort).
    for ((i = 0; i < 50; i++)); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
  fi
  rm -f "$STATE/$name.pid"
}

stop_all() {
  local rc=0
  stop_one kube-apiserver || rc=1
  stop_one etcd || rc=1
  return $rc
}

last_logs() {
  local name
  for name in "$@"; do
    [ -s "$STATE/$name.log" ] || continue
    log "last lines of $STATE/$name.log:"
    tail -n 25 "$STATE/$name.log" | sed "s/^/  [$name] /" >&2
  done
}

# free_port: a TCP port on 127.0.0.1 that no socket uses. Picked below the
# kernel's ephemeral range, so outgoing connections (which take their local
# port from that range) cannot grab it between now and the server's bind.
free_port() {
  local lo=32768 p i
  read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  ((lo > 12000)) || lo=32768
  for ((i = 0; i < 200; i++)); do
    p=$((10000 + RANDOM % (lo - 10000)))
    if command -v ss >/dev/null 2>&1; then
      ss -Htan "( sport = :$p )" 2>/dev/null | grep -q . && continue
    fi
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    echo "$p"; return 0
  done
  return 1
}

# --- certificates and credentials -----------------------------------------

gen_pki() {
  rm -rf "$PKI"; mkdir -p "$PKI"
  (
    cd "$PKI"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 \
      -keyout ca.key -out ca.crt -subj "/CN=volley-local-ca" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign"
    cat > apiserver.ext <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:$SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
EXT
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout apiserver.key \
      -out apiserver.csr -subj "/CN=kube-apiserver"
    openssl x509 -req -sha256 -days 30 -in apiserver.csr -CA ca.crt -CAkey ca.key \
      -CAcreateserial -extfile apiserver.ext -out apiserver.crt
    # Service-account token signing key pair.
    openssl genrsa -out sa.key 2048
    openssl rsa -in sa.key -pubout -out sa.pub
    # Static token: an admin user in system:masters.
    TOKEN="$(openssl rand -hex 32)"
    printf '%s,admin,admin-uid,"system:masters"\n' "$TOKEN" > tokens.csv
    printf '%s\n' "$TOKEN" > admin.token
  ) >"$STATE/pki.log" 2>&1 || { cat "$STATE/pki.log" >&2; return 1; }
}

write_kubeconfig() {
  local ca token
  ca="$(base64 -w0 < "$PKI/ca.crt")"
  token="$(cat "$PKI/admin.token")"
  (umask 077; cat > "$KUBECONFIG_PATH.tmp" <<KC
apiVersion: v1
kind: Config
clusters:
- name: volley-local
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $ca
users:
- name: admin
  user:
    token: $token
contexts:
- name: volley-local
  context:
    cluster: volley-local
    user: admin
    namespace: default
current-context: volley-local
KC
  )
  mv "$KUBECONFIG_PATH.tmp" "$KUBECONFIG_PATH"
}

# --- start ------------------------------------------------------------------

start_etcd() {
  rm -rf "$STATE/etcd-data"
  "$BIN/etcd" \
    --name volley-local \
    --data-dir "$STATE/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "volley-local=http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster-state new \
    --unsafe-no-fsync \
    --log-level warn \
    </dev/null >"$STATE/etcd.log" 2>&1 &
  echo $! > "$STATE/etcd.pid"
}

start_apiserver() {
  # shellcheck disable=SC2086 # VOLLEY_APISERVER_ARGS is a list of flags
  "$BIN/kube-apiserver" \
    --bind-address=127.0.0.1 \
    --advertise-address=127.0.0.1 \
    --secure-port="$APISERVER_PORT" \
    --etcd-servers="http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --cert-dir="$STATE/apiserver-certs" \
    --tls-cert-file="$PKI/apiserver.crt" \
    --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --token-auth-file="$PKI/tokens.csv" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" \
    --service-account-signing-key-file="$PKI/sa.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --authorization-mode=RBAC \
    --endpoint-reconciler-type=none \
    --profiling=false \
    ${VOLLEY_APISERVER_ARGS:-} \
    </dev/null >"$STATE/kube-apiserver.log" 2>&1 &
  echo $! > "$STATE/kube-apiserver.pid"
}

# wait_for NAME CHECK...: polls CHECK until it succeeds, NAME dies, or the
# deadline passes.
wait_for() {
  local name="$1"; shift
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! pid_of "$name" >/dev/null; then
      log "ERROR: $name exited during startup"
      last_logs "$name"; return 1
    fi
    if ((SECONDS >= DEADLINE)); then
      log "ERROR: $name not ready after ${TIMEOUT}s"
      last_logs "$name"; return 1
    fi
    sleep 0.5
  done
}

etcd_healthy() { curl -fsS --max-time 2 "http://127.0.0.1:$ETCD_CLIENT_PORT/health" | grep -q '"health":"true"'; }
apiserver_ready() {
  curl -fsS --max-time 3 --cacert "$PKI/ca.crt" \
    -H "Authorization: Bearer $(cat "$PKI/admin.token")" \
    "https://127.0.0.1:$APISERVER_PORT/readyz" | grep -qx ok
}

pick_ports() {
  ETCD_CLIENT_PORT="$(free_port)" && ETCD_PEER_PORT="$(free_port)" &&
    APISERVER_PORT="$(free_port)" || die "no free port found on 127.0.0.1"
  # free_port runs in a subshell; keep the three ports distinct.
  while [ "$ETCD_PEER_PORT" = "$ETCD_CLIENT_PORT" ]; do ETCD_PEER_PORT="$(free_port)"; done
  while [ "$APISERVER_PORT" = "$ETCD_CLIENT_PORT" ] || [ "$APISERVER_PORT" = "$ETCD_PEER_PORT" ]; do
    APISERVER_PORT="$(free_port)"
  done
  cat > "$STATE/ports.env" <<ENV
ETCD_CLIENT_PORT=$ETCD_CLIENT_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
APISERVER_PORT=$APISERVER_PORT
ENV
}

# try NAME CMD...: like `step`, but returns 1 instead of exiting.
try() {
  local name="$1"; shift
  local t0=$SECONDS
  log "start: $name"
  if ! "$@"; then log "failed: $name ($((SECONDS - t0)) s)"; return 1; fi
  log "done:  $name ($((SECONDS - t0)) s)"
}

start_servers() {
  try "start etcd on 127.0.0.1:$ETCD_CLIENT_PORT" start_etcd &&
    try "wait for etcd /health" wait_for etcd etcd_healthy &&
    try "start kube-apiserver on https://127.0.0.1:$APISERVER_PORT" start_apiserver &&
    try "wait for kube-apiserver /readyz" wait_for kube-apiserver apiserver_ready
}

cmd_up() {
  mkdir -p "$STATE"
  if pid_of kube-apiserver >/dev/null || pid_of etcd >/dev/null; then
    if cmd_status >/dev/null 2>&1; then
      log "cluster in $STATE is already up"
      echo "$KUBECONFIG_PATH"; return 0
    fi
    die "a half-started cluster is running in $STATE; run: $0 down"
  fi
  BIN="$("$TOOLS_DIR/build-k8s.sh")" || die "tools/build-k8s.sh failed"

  # From here on, anything we started must be stopped if `up` fails.
  # (`jobs -p` also covers a server started just before a signal, when its
  # PID file was not yet written.)
  trap 'rc=$?; if [ "$rc" -ne 0 ]; then log "up failed; stopping what it started"; stop_all || true
        for j in $(jobs -p); do kill -TERM "$j" 2>/dev/null || true; done; wait || true
        rm -f "$KUBECONFIG_PATH"; fi' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  rm -f "$KUBECONFIG_PATH"
  step "generate certificates and tokens" gen_pki
  DEADLINE=$((SECONDS + TIMEOUT))
  local attempt
  for attempt in 1 2 3; do
    pick_ports
    if start_servers; then break; fi
    # Another process may take a chosen port between the check and the bind.
    if ((attempt < 3)) && grep -qs 'address already in use' "$STATE/etcd.log" "$STATE/kube-apiserver.log"; then
      log "port clash; retrying with other ports"
      stop_all || die "could not stop the half-started cluster"
      continue
    fi
    die "cluster did not come up (logs: $STATE/etcd.log, $STATE/kube-apiserver.log)"
  done
  write_kubeconfig
  trap - EXIT INT TERM
  log "cluster up: https://127.0.0.1:$APISERVER_PORT (state: $STATE)"
  echo "$KUBECONFIG_PATH"
}

cmd_down() {
  stop_all || die "could not stop the cluster in $STATE"
  rm -f "$KUBECONFIG_PATH"
  rm -rf "$STATE/etcd-data"
  log "cluster down ($STATE)"
}

cmd_status() {
  local name pid up=0
  for name in etcd kube-apiserver; do
    if pid="$(pid_of "$name")"; then echo "$name: running (pid $pid)"
    else echo "$name: stopped"; up=1; fi
  done
  if [ -f "$STATE/ports.env" ] && [ "$up" = 0 ]; then
    . "$STATE/ports.env"
    echo "server: https://127.0.0.1:$APISERVER_PORT"
    if apiserver_ready; then echo "readyz: ok"; else echo "readyz: not ready"; up=1; fi
    echo "kubeconfig: $KUBECONFIG_PATH"
  fi
  return $up
}

cmd_kubeconfig() {
  echo "$KUBECONFIG_PATH"
  [ -f "$KUBECONFIG_PATH" ] || { log "no kubeconfig yet; run: $0 up"; return 1; }
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  kubeconfig) cmd_kubeconfig ;;
  *) echo "usage: $0 up|down|kubeconfig|status" >&2; exit 2 ;;
esac
