#!/usr/bin/env bash
# A throwaway local Kubernetes cluster listening on 127.0.0.1 only: etcd,
# kube-apiserver, kube-controller-manager and kube-scheduler, nodes
# simulated by kwok (Node objects whose kubelet is kwok: pods the scheduler
# binds to them become Running and Ready; no container runs), and a default
# StorageClass whose claims bind (tools/localkube's hostPath provisioner).
# The API server reaches Services (webhooks, aggregated APIs) through
# tools/localkube's network proxy on a Unix socket: a Service that a real
# controller started by an e2e check answers for (KEDA's metrics API server)
# reaches that process; other connections are refused at once, since no pod
# runs a process, except to an external metrics APIService's Service, where
# a test double of KEDA's metrics API server answers discovery (an
# unavailable aggregated API would leave every namespace deletion stuck; see
# tools/localkube/network.go).
#
# Nodes mirror a Volley environment's pools, with realistic allocatable
# capacity:
#   system-0, system-1    4 CPU / 16 GiB, label volley.io/pool=system
#   stream-0..stream-2    8 CPU / 32 GiB, label volley.io/pool=stream-processing,
#                         taint volley.io/dedicated=true:NoSchedule
#   kafka-0..kafka-2      4 CPU / 16 GiB, label volley.io/pool=kafka,
#                         taint volley.io/kafka=true:NoSchedule (Strimzi's
#                         brokers; tools/localkube strimzi-double places them)
#
# Usage: tools/cluster.sh up|down|kubeconfig|status|stop-apiserver|start-apiserver
#   up          start everything above, wait until each part is ready and
#               the nodes are Ready; prints the kubeconfig path on stdout
#   down        stop every process `up` started (TERM, then KILL after a
#               bounded wait)
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
# The controller manager and the scheduler authenticate with static tokens
# as system:kube-controller-manager and system:kube-scheduler, bound by the
# bootstrap RBAC roles; the controller manager runs each controller under
# its own service account (--use-service-account-credentials), as in a real
# cluster. Controllers: the defaults minus the cloud-provider and node IPAM
# ones (see KCM_CONTROLLERS). kwok and the provisioner stand in for kubelets
# and a storage driver, which have node credentials in a real cluster; they
# use the admin kubeconfig.
#
# Ports: each server gets a free port on 127.0.0.1 chosen at `up` (recorded
# in $STATE/ports.env), so two clusters with different state dirs do not
# collide. One state dir = one cluster. Every `up` starts from an empty etcd
# and fresh certificates; `down` keeps the logs for inspection.
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
SCHED_KUBECONFIG="$STATE/kube-scheduler.kubeconfig"
PKI="$STATE/pki"

# --- process helpers -------------------------------------------------------

# The binary each process name runs (default: the name itself).
binary_of() {
  case "$1" in
    provisioner) echo "localkube provisioner" ;;
    network) echo "localkube network" ;;
    operator-double) echo "localkube operator-double" ;;
    # Real controllers: tools/localkube's supervisor (`localkube controller
    # start`), which the e2e scripts start; listed so `down` stops them.
    # The Strimzi test doubles run under the same supervisor.
    prometheus-operator | keda-operator | keda-metrics-apiserver | karpenter | strimzi-double-*) echo "localkube controller" ;;
    *) echo "$1" ;;
  esac
}

# pid_of NAME: prints the PID recorded for NAME if that process is still
# alive and is really NAME (guards against recycled PIDs).
pid_of() {
  local f="$STATE/$1.pid" pid cmdline
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  # The operator double (tools/operator-double.sh) is a script until it execs.
  [[ $cmdline == *"/$(binary_of "$1") "* || ($1 == operator-double && $cmdline == *"/operator-double.sh __run "*) ]] || return 1
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

# Every process `up` starts, in the order `down` stops them.
# (tools/operator-double.sh keeps its PID here too, so `down` stops it.)
PROCESSES="operator-double prometheus-operator keda-operator keda-metrics-apiserver karpenter strimzi-double-cluster-operator strimzi-double-entity-operator provisioner kwok kube-scheduler kube-controller-manager network kube-apiserver etcd"

# Real upstream controllers (tools/localkube controller), started by the
# e2e checks that need them, not by `up`.
REAL_CONTROLLERS="prometheus-operator keda-operator keda-metrics-apiserver karpenter strimzi-double-cluster-operator strimzi-double-entity-operator"

# Everything but etcd is stopped at once (none needs another to shut down);
# etcd last, so the API server never loses its store while still serving.
stop_all() {
  local rc=0 name pids=()
  for name in $PROCESSES; do
    [ "$name" = etcd ] && continue
    stop_one "$name" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
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
      [ -n "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ] && continue
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
    # Serving certificate of the scheduler's /healthz endpoint.
    cp kube-controller-manager.ext kube-scheduler.ext
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout kube-scheduler.key \
      -out kube-scheduler.csr -subj "/CN=kube-scheduler"
    openssl x509 -req -sha256 -days 30 -in kube-scheduler.csr -CA ca.crt \
      -CAkey ca.key -CAcreateserial -extfile kube-scheduler.ext \
      -out kube-scheduler.crt
    # The aggregator's client certificate towards aggregated API servers
    # (KEDA's metrics API server), from a CA of its own, as kubeadm sets it
    # up: the API server publishes the CA and the allowed name in
    # kube-system/extension-apiserver-authentication for them.
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 \
      -keyout front-proxy-ca.key -out front-proxy-ca.crt -subj "/CN=volley-local-front-proxy-ca" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign"
    printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' > front-proxy-client.ext
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout front-proxy-client.key \
      -out front-proxy-client.csr -subj "/CN=front-proxy-client"
    openssl x509 -req -sha256 -days 30 -in front-proxy-client.csr -CA front-proxy-ca.crt \
      -CAkey front-proxy-ca.key -CAcreateserial -extfile front-proxy-client.ext \
      -out front-proxy-client.crt
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
    # Static token: the scheduler (ClusterRoles system:kube-scheduler and
    # system:volume-scheduler).
    TOKEN="$(openssl rand -hex 32)"
    printf '%s,system:kube-scheduler,kube-scheduler-uid\n' "$TOKEN" >> tokens.csv
    printf '%s\n' "$TOKEN" > kube-scheduler.token
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

# The API server's connections to Services go through the network proxy.
write_egress_config() {
  cat > "$STATE/egress.yaml" <<EGRESS
apiVersion: apiserver.k8s.io/v1beta1
kind: EgressSelectorConfiguration
egressSelections:
- name: cluster
  connection:
    proxyProtocol: HTTPConnect
    transport:
      uds:
        udsName: $STATE/network.sock
EGRESS
}

start_network() {
  KUBECONFIG="$KUBECONFIG_PATH" "$LOCALKUBE_BIN/localkube" network --socket "$STATE/network.sock" \
    </dev/null >"$STATE/network.log" 2>&1 &
  echo $! > "$STATE/network.pid"
}
network_listening() { [ -S "$STATE/network.sock" ]; }

# Audit: requests made with the token of a ServiceAccount in volley-system
# (the operator's namespace), metadata only, so tests can list what the
# operator used of its permissions (tests/e2e/rbac_usage.py). OwnerReferencesPermissionEnforcement, as on
# clusters that enable it: setting blockOwnerDeletion needs `update` on the
# owner's finalizers.
write_audit_policy() {
  cat > "$STATE/audit-policy.yaml" <<POLICY
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  userGroups: ["system:serviceaccounts:volley-system"]
- level: None
POLICY
}

start_apiserver() {
  # shellcheck disable=SC2086 # VOLLEY_APISERVER_ARGS is a list of flags
  "$BIN/kube-apiserver" \
    --egress-selector-config-file="$STATE/egress.yaml" \
    --audit-policy-file="$STATE/audit-policy.yaml" \
    --audit-log-path="$STATE/audit.log" \
    --audit-log-maxsize=200 \
    --enable-admission-plugins=OwnerReferencesPermissionEnforcement \
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
    --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" \
    --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User \
    --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI/front-proxy-client.crt" \
    --proxy-client-key-file="$PKI/front-proxy-client.key" \
    --endpoint-reconciler-type=none \
    --profiling=false \
    ${VOLLEY_APISERVER_ARGS:-} \
    </dev/null >"$STATE/kube-apiserver.log" 2>&1 &
  echo $! > "$STATE/kube-apiserver.pid"
}

# The PV binder syncs every 2 s, not 15 s, so a pre-bound checkpoint claim
# binds without waiting out a sync period in every `up`.
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
    --pvclaimbinder-sync-period=2s \
    --leader-elect=false \
    --profiling=false \
    ${VOLLEY_CONTROLLER_MANAGER_ARGS:-} \
    </dev/null >"$STATE/kube-controller-manager.log" 2>&1 &
  echo $! > "$STATE/kube-controller-manager.pid"
}

start_scheduler() {
  write_kubeconfig "$SCHED_KUBECONFIG" kube-scheduler
  "$BIN/kube-scheduler" \
    --bind-address=127.0.0.1 \
    --secure-port="$SCHED_PORT" \
    --tls-cert-file="$PKI/kube-scheduler.crt" \
    --tls-private-key-file="$PKI/kube-scheduler.key" \
    --kubeconfig="$SCHED_KUBECONFIG" \
    --authentication-kubeconfig="$SCHED_KUBECONFIG" \
    --authorization-kubeconfig="$SCHED_KUBECONFIG" \
    --authentication-skip-lookup \
    --leader-elect=false \
    --profiling=false \
    </dev/null >"$STATE/kube-scheduler.log" 2>&1 &
  echo $! > "$STATE/kube-scheduler.pid"
}

# kwok plays the kubelet of every node annotated kwok.x-k8s.io/node=fake:
# node heartbeats and leases, and the pod lifecycle of its Stage files.
# Pod IPs come from a range apart from the service range; no port is opened.
start_kwok() {
  local args=() f
  for f in "$KWOK_DIR"/stages/*.yaml; do args+=(--config "$f"); done
  "$KWOK_DIR/bin/kwok" \
    --kubeconfig="$KUBECONFIG_PATH" \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --cidr=10.244.0.0/16 \
    --node-lease-duration-seconds=40 \
    "${args[@]}" \
    </dev/null >"$STATE/kwok.log" 2>&1 &
  echo $! > "$STATE/kwok.pid"
}

start_provisioner() {
  mkdir -p "$STATE/volumes"
  KUBECONFIG="$KUBECONFIG_PATH" "$LOCALKUBE_BIN/localkube" provisioner --root "$STATE/volumes" \
    </dev/null >"$STATE/provisioner.log" 2>&1 &
  echo $! > "$STATE/provisioner.pid"
}

# node NAME POOL CPU MEMORY ALLOC_CPU ALLOC_MEMORY ZONE [TAINT_KEY]: one kwok
# node; TAINT_KEY=true:NoSchedule when given.
node_manifest() {
  local name="$1" pool="$2" cpu="$3" mem="$4" acpu="$5" amem="$6" zone="$7" taint="${8:-}"
  cat <<NODE
---
apiVersion: v1
kind: Node
metadata:
  name: $name
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: $name
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    node.kubernetes.io/instance-type: local-${cpu}cpu-${mem}
    topology.kubernetes.io/zone: $zone
    volley.io/pool: $pool
spec:
$(if [ -n "$taint" ]; then printf '  taints:\n  - {key: %s, value: "true", effect: NoSchedule}\n' "$taint"; else printf '  taints: []\n'; fi)
status:
  capacity: {cpu: "$cpu", memory: $mem, pods: "58", ephemeral-storage: 100Gi}
  allocatable: {cpu: $acpu, memory: $amem, pods: "58", ephemeral-storage: 90Gi}
  nodeInfo:
    architecture: amd64
    operatingSystem: linux
    kubeletVersion: v$KUBERNETES_VERSION
    kubeProxyVersion: v$KUBERNETES_VERSION
    containerRuntimeVersion: kwok-v$KWOK_VERSION
NODE
}

nodes_manifest() {
  node_manifest system-0 system 4 16Gi 3920m 14848Mi local-a
  node_manifest system-1 system 4 16Gi 3920m 14848Mi local-b
  node_manifest stream-0 stream-processing 8 32Gi 7910m 30720Mi local-a volley.io/dedicated
  node_manifest stream-1 stream-processing 8 32Gi 7910m 30720Mi local-b volley.io/dedicated
  node_manifest stream-2 stream-processing 8 32Gi 7910m 30720Mi local-c volley.io/dedicated
  node_manifest kafka-0 kafka 4 16Gi 3920m 14848Mi local-a volley.io/kafka
  node_manifest kafka-1 kafka 4 16Gi 3920m 14848Mi local-b volley.io/kafka
  node_manifest kafka-2 kafka 4 16Gi 3920m 14848Mi local-c volley.io/kafka
  cat <<SC
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local-hostpath
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: local.volley.dev/hostpath
reclaimPolicy: Delete
volumeBindingMode: Immediate
SC
}

kube() { kubectl --kubeconfig "$KUBECONFIG_PATH" "$@"; }
create_nodes() { nodes_manifest > "$STATE/nodes.yaml" && kube apply -f "$STATE/nodes.yaml" >/dev/null; }
nodes_ready() {
  local out
  out="$(kube get nodes -o 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{" "}{end}')" || return 1
  [ "$out" = "True True True True True True True True " ]
}
# The scheduler has the nodes once a node's pods are listed for it; a probe
# pod on the system pool shows scheduling and kwok's pod lifecycle end to end.
probe_pod_running() {
  [ "$(kube get pod -n kube-system cluster-probe -o 'jsonpath={.status.phase}' 2>/dev/null)" = Running ]
}
start_probe_pod() {
  kube apply -f - >/dev/null <<POD
apiVersion: v1
kind: Pod
metadata: {name: cluster-probe, namespace: kube-system}
spec:
  nodeSelector: {volley.io/pool: system}
  containers: [{name: probe, image: registry.invalid/probe:0}]
POD
}
delete_probe_pod() { kube delete pod -n kube-system cluster-probe --wait=false >/dev/null; }

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

# Responses are captured before matching: an early-exiting reader in a pipe fails with 141 under pipefail.
etcd_healthy() {
  local out
  out="$(curl -fsS --max-time 2 "http://127.0.0.1:$ETCD_CLIENT_PORT/health")" && [[ $out == *'"health":"true"'* ]]
}
apiserver_ready() {
  local out
  out="$(curl -fsS --max-time 3 --cacert "$PKI/ca.crt" \
    -H "Authorization: Bearer $(cat "$PKI/admin.token")" \
    "https://127.0.0.1:$APISERVER_PORT/readyz")" && [ "$out" = ok ]
}

healthz_ok() {
  local out
  out="$(curl -fsS --max-time 3 --cacert "$PKI/ca.crt" "https://127.0.0.1:$1/healthz")" && [ "$out" = ok ]
}
kcm_healthy() { healthz_ok "$KCM_PORT"; }
scheduler_healthy() { healthz_ok "$SCHED_PORT"; }
# /healthz answers before the controllers start; the `default` service
# account (made by serviceaccount-controller) shows they run. Pods cannot be
# created in a namespace until it exists.
kcm_running() {
  kcm_healthy && curl -fsS --max-time 3 --cacert "$PKI/ca.crt" -o /dev/null \
    -H "Authorization: Bearer $(cat "$PKI/admin.token")" \
    "https://127.0.0.1:$APISERVER_PORT/api/v1/namespaces/default/serviceaccounts/default"
}

# pick_ports: a distinct free port for each server (free_port runs in a
# subshell, so distinctness is checked here).
pick_ports() {
  local var p taken=" "
  for var in ETCD_CLIENT_PORT ETCD_PEER_PORT APISERVER_PORT KCM_PORT SCHED_PORT; do
    while :; do
      p="$(free_port)" || die "no free port found on 127.0.0.1"
      [[ $taken == *" $p "* ]] || break
    done
    taken+="$p "
    printf -v "$var" '%s' "$p"
  done
  cat > "$STATE/ports.env" <<ENV
ETCD_CLIENT_PORT=$ETCD_CLIENT_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
APISERVER_PORT=$APISERVER_PORT
KCM_PORT=$KCM_PORT
SCHED_PORT=$SCHED_PORT
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
    write_kubeconfig &&
    try "start the network proxy on $STATE/network.sock" start_network &&
    try "wait for the network proxy" wait_for network network_listening &&
    try "start kube-controller-manager on https://127.0.0.1:$KCM_PORT" start_controller_manager &&
    try "wait for kube-controller-manager /healthz" wait_for kube-controller-manager kcm_healthy &&
    try "wait for controllers (ServiceAccount default/default)" wait_for kube-controller-manager kcm_running &&
    try "start kube-scheduler on https://127.0.0.1:$SCHED_PORT" start_scheduler &&
    try "wait for kube-scheduler /healthz" wait_for kube-scheduler scheduler_healthy
}

# Nodes, their kubelet simulator, storage: after the control plane is up.
start_nodes() {
  try "start kwok" start_kwok &&
    try "create 2 system, 3 stream and 3 Kafka nodes, default StorageClass" create_nodes &&
    try "wait for the nodes to be Ready" wait_for kwok nodes_ready &&
    try "start the volume provisioner" start_provisioner &&
    try "schedule a probe pod to Running" start_probe_pod &&
    try "wait for the probe pod" wait_for kwok probe_pod_running &&
    delete_probe_pod
}

cmd_up() {
  mkdir -p "$STATE"
  local name
  for name in $PROCESSES; do pid_of "$name" >/dev/null && break; name=""; done
  if [ -n "$name" ]; then
    if cmd_status >/dev/null 2>&1; then
      log "cluster in $STATE is already up"
      echo "$KUBECONFIG_PATH"; return 0
    fi
    die "a half-started cluster is running in $STATE; run: $0 down"
  fi
  BIN="$("$TOOLS_DIR/build-k8s.sh")" || die "tools/build-k8s.sh failed"
  KWOK_DIR="$("$TOOLS_DIR/build-kwok.sh")" || die "tools/build-kwok.sh failed"
  LOCALKUBE_BIN="$("$TOOLS_DIR/build-localkube.sh")" || die "tools/build-localkube.sh failed"

  # From here on, anything we started must be stopped if `up` fails.
  # (`jobs -p` also covers a server started just before a signal, when its
  # PID file was not yet written.)
  trap 'rc=$?; if [ "$rc" -ne 0 ]; then log "up failed; stopping what it started"; stop_all || true
        for j in $(jobs -p); do kill -TERM "$j" 2>/dev/null || true; done; wait || true
        rm -f "$KUBECONFIG_PATH" "$KCM_KUBECONFIG" "$SCHED_KUBECONFIG"; fi' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  rm -f "$KUBECONFIG_PATH" "$KCM_KUBECONFIG" "$SCHED_KUBECONFIG"
  step "generate certificates and tokens" gen_pki
  write_egress_config
  write_audit_policy
  DEADLINE=$((SECONDS + TIMEOUT))
  local attempt
  for attempt in 1 2 3; do
    pick_ports
    if start_servers; then break; fi
    # Another process may take a chosen port between the check and the bind.
    if ((attempt < 3)) && grep -s 'address already in use' "$STATE/etcd.log" \
      "$STATE/kube-apiserver.log" "$STATE/kube-controller-manager.log" "$STATE/kube-scheduler.log" >/dev/null; then
      rm -f "$STATE/network.sock"
      log "port clash; retrying with other ports"
      stop_all || die "could not stop the half-started cluster"
      continue
    fi
    die "cluster did not come up (logs: $STATE/*.log)"
  done
  start_nodes || { last_logs kwok provisioner kube-scheduler; die "nodes did not come up (logs: $STATE/*.log)"; }
  trap - EXIT INT TERM
  log "cluster up: https://127.0.0.1:$APISERVER_PORT (state: $STATE)"
  echo "$KUBECONFIG_PATH"
}

cmd_down() {
  stop_all || die "could not stop the cluster in $STATE"
  rm -f "$KUBECONFIG_PATH" "$KCM_KUBECONFIG" "$SCHED_KUBECONFIG"
  rm -rf "$STATE/etcd-data" "$STATE/volumes" "$STATE/audit.log"
  log "cluster down ($STATE)"
}

cmd_status() {
  local name pid up=0
  for name in $PROCESSES; do
    if pid="$(pid_of "$name")"; then echo "$name: running (pid $pid)"
    # Real controllers run only while an e2e check asks for them.
    elif [[ " $REAL_CONTROLLERS " == *" $name "* ]]; then echo "$name: not started"
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
    if [ -n "${SCHED_PORT:-}" ]; then
      if scheduler_healthy; then echo "scheduler healthz: ok"; else echo "scheduler healthz: not ok"; up=1; fi
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
