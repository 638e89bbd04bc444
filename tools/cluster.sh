#!/usr/bin/env bash
# A throwaway local Kubernetes control plane (etcd + kube-apiserver +
# kube-controller-manager, no kubelet, no nodes, no cloud provider) listening
# on 127.0.0.1 only. Enough for CRDs, server-side dry runs, validation
# (OpenAPI + CEL), RBAC, and the controllers that need no node: namespace
# deletion, garbage collection, PV/PVC binding, service accounts and tokens.
#
# Usage: tools/cluster.sh up|down|kubeconfig|status|stop-apiserver|start-apiserver
#   up          start etcd, kube-apiserver (wait for /readyz), then
#               kube-controller-manager (wait for /healthz); prints the
#               kubeconfig path on stdout
#   down        stop all three (TERM, then KILL after a bounded wait)
#   kubeconfig  print the admin kubeconfig path
#   status      show PIDs, URL and /readyz; exit 0 only when up and ready
#   stop-apiserver / start-apiserver
#               kill the API server only (KILL, as in a crash) and start it
#               again on the same port, certificates and etcd: fault tests
#
# Environment:
#   VOLLEY_CLUSTER_DIR      state dir (default: $REPO/.pulumi/cluster)
#   VOLLEY_CLUSTER_TIMEOUT  seconds `up` waits for readiness (default: 120)
#   VOLLEY_APISERVER_ARGS   extra kube-apiserver flags (space separated)
#   VOLLEY_CONTROLLER_MANAGER_ARGS  extra kube-controller-manager flags
#
# The controller manager authenticates as system:kube-controller-manager (a
# static token) and runs each controller under its own service account
# (--use-service-account-credentials), with the bootstrap RBAC roles, as in a
# real cluster. Controllers: the defaults minus the cloud-provider and node
# IPAM ones (see KCM_CONTROLLERS).
#
# Ports: etcd client, etcd peer, the API server and the controller manager's
# health endpoint each get a free port on
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
# Every on-by-default controller except those that need a cloud provider or
# node CIDR allocation (they would only log that they are skipped). This
# includes namespace-controller, garbage-collector-controller,
# persistentvolume-binder-controller, serviceaccount-controller and
# serviceaccount-token-controller.
KCM_CONTROLLERS='*,-cloud-node-lifecycle-controller,-node-route-controller,-service-lb-controller,-node-ipam-controller'

KUBECONFIG_PATH="$STATE/kubeconfig"
KCM_KUBECONFIG="$STATE/kube-controller-manager.kubeconfig"
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

# started_alive NAME: the process `up` just started as NAME is still alive.
# Unlike pid_of it does not look at the command line, which right after the
# fork is still this script's until the exec: a quick first check would
# otherwise take a starting server for a dead one.
started_alive() {
  local pid st
  pid="$(cat "$STATE/$1.pid" 2>/dev/null)" && [ -n "$pid" ] || return 1
  st="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [ -n "$st" ] && [ "$st" != Z ]
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
  stop_one kube-controller-manager || rc=1
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
    # Serving certificate of the controller manager's /healthz endpoint.
    cat > kube-controller-manager.ext <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EXT
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout kube-controller-manager.key \
      -out kube-controller-manager.csr -subj "/CN=kube-controller-manager"
    openssl x509 -req -sha256 -days 30 -in kube-controller-manager.csr -CA ca.crt \
      -CAkey ca.key -CAcreateserial -extfile kube-controller-manager.ext \
      -out kube-controller-manager.crt
    # Service-account token signing key pair.
    openssl genrsa -out sa.key 2048
    openssl rsa -in sa.key -pubout -out sa.pub
    # Static token: an admin user in system:masters.
    TOKEN="$(openssl rand -hex 32)"
    printf '%s,admin,admin-uid,"system:masters"\n' "$TOKEN" > tokens.csv
    printf '%s\n' "$TOKEN" > admin.token
    # Static token: the controller manager, bound by the bootstrap RBAC
    # policy (ClusterRole system:kube-controller-manager).
    TOKEN="$(openssl rand -hex 32)"
    printf '%s,system:kube-controller-manager,kube-controller-manager-uid\n' "$TOKEN" >> tokens.csv
    printf '%s\n' "$TOKEN" > kube-controller-manager.token
  ) >"$STATE/pki.log" 2>&1 || { cat "$STATE/pki.log" >&2; return 1; }
}

# write_kubeconfig [PATH USER]: a token kubeconfig for USER (a token file
# $PKI/USER.token); default: the admin kubeconfig.
write_kubeconfig() {
  local path="${1:-$KUBECONFIG_PATH}" user="${2:-admin}" ca token
  ca="$(base64 -w0 < "$PKI/ca.crt")"
  token="$(cat "$PKI/$user.token")"
  (umask 077; cat > "$path.tmp" <<KC
apiVersion: v1
kind: Config
clusters:
- name: volley-local
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $ca
users:
- name: $user
  user:
    token: $token
contexts:
- name: volley-local
  context:
    cluster: volley-local
    user: $user
    namespace: default
current-context: volley-local
KC
  )
  mv "$path.tmp" "$path"
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

start_controller_manager() {
  write_kubeconfig "$KCM_KUBECONFIG" kube-controller-manager
  # shellcheck disable=SC2086 # VOLLEY_CONTROLLER_MANAGER_ARGS is a list of flags
  "$BIN/kube-controller-manager" \
    --bind-address=127.0.0.1 \
    --secure-port="$KCM_PORT" \
    --tls-cert-file="$PKI/kube-controller-manager.crt" \
    --tls-private-key-file="$PKI/kube-controller-manager.key" \
    --kubeconfig="$KCM_KUBECONFIG" \
    --authentication-kubeconfig="$KCM_KUBECONFIG" \
    --authorization-kubeconfig="$KCM_KUBECONFIG" \
    --authentication-skip-lookup \
    --use-service-account-credentials \
    --service-account-private-key-file="$PKI/sa.key" \
    --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" \
    --cluster-signing-key-file="$PKI/ca.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --controllers="$KCM_CONTROLLERS" \
    --leader-elect=false \
    --profiling=false \
    ${VOLLEY_CONTROLLER_MANAGER_ARGS:-} \
    </dev/null >"$STATE/kube-controller-manager.log" 2>&1 &
  echo $! > "$STATE/kube-controller-manager.pid"
}

# wait_for NAME CHECK...: polls CHECK until it succeeds, NAME dies, or the
# deadline passes.
wait_for() {
  local name="$1"; shift
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! started_alive "$name"; then
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

kcm_healthy() {
  curl -fsS --max-time 3 --cacert "$PKI/ca.crt" \
    "https://127.0.0.1:$KCM_PORT/healthz" | grep -qx ok
}
# /healthz answers before the controllers start; the `default` service
# account (made by serviceaccount-controller) shows they run. Pods cannot be
# created in a namespace until it exists.
kcm_running() {
  kcm_healthy && curl -fsS --max-time 3 --cacert "$PKI/ca.crt" -o /dev/null \
    -H "Authorization: Bearer $(cat "$PKI/admin.token")" \
    "https://127.0.0.1:$APISERVER_PORT/api/v1/namespaces/default/serviceaccounts/default"
}

pick_ports() {
  ETCD_CLIENT_PORT="$(free_port)" && ETCD_PEER_PORT="$(free_port)" &&
    APISERVER_PORT="$(free_port)" && KCM_PORT="$(free_port)" ||
    die "no free port found on 127.0.0.1"
  # free_port runs in a subshell; keep the four ports distinct.
  while [ "$ETCD_PEER_PORT" = "$ETCD_CLIENT_PORT" ]; do ETCD_PEER_PORT="$(free_port)"; done
  while [ "$APISERVER_PORT" = "$ETCD_CLIENT_PORT" ] || [ "$APISERVER_PORT" = "$ETCD_PEER_PORT" ]; do
    APISERVER_PORT="$(free_port)"
  done
  while [ "$KCM_PORT" = "$ETCD_CLIENT_PORT" ] || [ "$KCM_PORT" = "$ETCD_PEER_PORT" ] ||
    [ "$KCM_PORT" = "$APISERVER_PORT" ]; do
    KCM_PORT="$(free_port)"
  done
  cat > "$STATE/ports.env" <<ENV
ETCD_CLIENT_PORT=$ETCD_CLIENT_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
APISERVER_PORT=$APISERVER_PORT
KCM_PORT=$KCM_PORT
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
    try "wait for kube-apiserver /readyz" wait_for kube-apiserver apiserver_ready &&
    try "start kube-controller-manager on https://127.0.0.1:$KCM_PORT" start_controller_manager &&
    try "wait for kube-controller-manager /healthz" wait_for kube-controller-manager kcm_healthy &&
    try "wait for controllers (ServiceAccount default/default)" wait_for kube-controller-manager kcm_running
}

cmd_up() {
  mkdir -p "$STATE"
  if pid_of kube-controller-manager >/dev/null || pid_of kube-apiserver >/dev/null ||
    pid_of etcd >/dev/null; then
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
        rm -f "$KUBECONFIG_PATH" "$KCM_KUBECONFIG"; fi' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  rm -f "$KUBECONFIG_PATH" "$KCM_KUBECONFIG"
  step "generate certificates and tokens" gen_pki
  DEADLINE=$((SECONDS + TIMEOUT))
  local attempt
  for attempt in 1 2 3; do
    pick_ports
    if start_servers; then break; fi
    # Another process may take a chosen port between the check and the bind.
    if ((attempt < 3)) && grep -qs 'address already in use' "$STATE/etcd.log" \
      "$STATE/kube-apiserver.log" "$STATE/kube-controller-manager.log"; then
      log "port clash; retrying with other ports"
      stop_all || die "could not stop the half-started cluster"
      continue
    fi
    die "cluster did not come up (logs: $STATE/etcd.log, $STATE/kube-apiserver.log, $STATE/kube-controller-manager.log)"
  done
  write_kubeconfig
  trap - EXIT INT TERM
  log "cluster up: https://127.0.0.1:$APISERVER_PORT (state: $STATE)"
  echo "$KUBECONFIG_PATH"
}

cmd_down() {
  stop_all || die "could not stop the cluster in $STATE"
  rm -f "$KUBECONFIG_PATH" "$KCM_KUBECONFIG"
  rm -rf "$STATE/etcd-data"
  log "cluster down ($STATE)"
}

cmd_status() {
  local name pid up=0
  for name in etcd kube-apiserver kube-controller-manager; do
    if pid="$(pid_of "$name")"; then echo "$name: running (pid $pid)"
    else echo "$name: stopped"; up=1; fi
  done
  if [ -f "$STATE/ports.env" ] && [ "$up" = 0 ]; then
    . "$STATE/ports.env"
    echo "server: https://127.0.0.1:$APISERVER_PORT"
    if apiserver_ready; then echo "readyz: ok"; else echo "readyz: not ready"; up=1; fi
    if [ -n "${KCM_PORT:-}" ]; then
      echo "controller manager: https://127.0.0.1:$KCM_PORT/healthz"
      if kcm_healthy; then echo "controller manager healthz: ok"
      else echo "controller manager healthz: not ok"; up=1; fi
    fi
    echo "kubeconfig: $KUBECONFIG_PATH"
  fi
  return $up
}

# A crash, not a shutdown: the API server gets no chance to finish requests.
cmd_stop_apiserver() {
  local pid
  pid="$(pid_of kube-apiserver)" || die "kube-apiserver is not running in $STATE"
  kill -KILL "$pid"
  STOP_WAIT=1 stop_one kube-apiserver
  log "kube-apiserver killed (pid $pid)"
}

cmd_start_apiserver() {
  pid_of kube-apiserver >/dev/null && die "kube-apiserver is already running in $STATE"
  pid_of etcd >/dev/null || die "etcd is not running in $STATE; use: $0 up"
  . "$STATE/ports.env"
  BIN="$("$TOOLS_DIR/build-k8s.sh")" || die "tools/build-k8s.sh failed"
  DEADLINE=$((SECONDS + TIMEOUT))
  step "restart kube-apiserver on https://127.0.0.1:$APISERVER_PORT" start_apiserver
  try "wait for kube-apiserver /readyz" wait_for kube-apiserver apiserver_ready ||
    { stop_one kube-apiserver; die "kube-apiserver did not come back"; }
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
  stop-apiserver) cmd_stop_apiserver ;;
  start-apiserver) cmd_start_apiserver ;;
  *) echo "usage: $0 up|down|kubeconfig|status|stop-apiserver|start-apiserver" >&2; exit 2 ;;
esac
