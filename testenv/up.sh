#!/usr/bin/env bash
# Starts a local Kubernetes control plane on loopback: etcd, kube-apiserver (RBAC, client-cert auth),
# kube-controller-manager, kube-scheduler and kwok with one fake node (kwok also serves container logs for pods/log, see
# testenv/README.md). Prints the admin kubeconfig path.
#
#   testenv/up.sh [STATE_DIR]      (default: $CACHEMODE_TESTENV_STATE, else a new temporary directory)
#   testenv/down.sh STATE_DIR      stops everything and removes STATE_DIR
#
# STATE_DIR receives kubeconfig, pids ("<pid> <name>" per line), pki/, logs/<component>.log and etcd data.
# Optional: CACHEMODE_TESTENV_OWNER_PID=<pid> also runs down.sh once that process has exited (a safety net for test
# JVMs that die without running their teardown). CACHEMODE_TESTENV_TIMEOUT (seconds, default 120) bounds each wait.
# CACHEMODE_TESTENV_KCM_QPS=<n> gives kube-controller-manager --kube-api-qps=n --kube-api-burst=2n (its default 20/30
# bounds a burst to a few rollouts per second; bench/ uses 200).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state=${1:-${CACHEMODE_TESTENV_STATE:-$(mktemp -d "${TMPDIR:-/tmp}/cachemode-testenv.XXXXXX")}}
timeout=${CACHEMODE_TESTENV_TIMEOUT:-120}
kcm_qps=${CACHEMODE_TESTENV_KCM_QPS:-}
[[ -z "$kcm_qps" || "$kcm_qps" =~ ^[1-9][0-9]*$ ]] ||
  { echo "up.sh: CACHEMODE_TESTENV_KCM_QPS must be a positive whole number, got $kcm_qps" >&2; exit 2; }
node=kwok-node-0

mkdir -p "$state"
state=$(cd "$state" && pwd)
[[ ! -e "$state/pids" ]] || { echo "up.sh: $state already has a control plane (pids file exists)" >&2; exit 1; }
bin=$("$here/build.sh")
mkdir -p "$state/pki" "$state/logs"
mkdir -m 700 "$state/etcd"
: >"$state/pids"
started=$(date +%s)
log() { echo "[testenv/up] $(date +%H:%M:%S) $*" >&2; }

on_exit() {
  local rc=$?
  [[ $rc -eq 0 ]] && return
  log "failed (exit $rc); last log lines:"
  for f in "$state"/logs/*.log; do [[ -e "$f" ]] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done
  "$here/down.sh" "$state" >&2 || true
}
trap on_exit EXIT

# --- ports: random, not in the usual ephemeral range, and nobody listening yet -----------------------------------
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"
etcd_port=$(free_port); used+="$etcd_port "
peer_port=$(free_port); used+="$peer_port "
api_port=$(free_port); used+="$api_port "
kwok_port=$(free_port) # kwok's kubelet-like server: the apiserver reaches it for pods/log

# --- certificates ------------------------------------------------------------------------------------------------
pki=$state/pki
ossl() { openssl "$@" 2>>"$state/logs/openssl.log"; }
ossl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=cachemode-testenv-ca" \
  -keyout "$pki/ca.key" -out "$pki/ca.crt"
issue() { # name subject extensions
  ossl req -new -newkey rsa:2048 -nodes -subj "$2" -keyout "$pki/$1.key" -out "$pki/$1.csr"
  ossl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
    -extfile <(printf '%s\n' "$3") -out "$pki/$1.crt"
}
issue apiserver "/CN=kube-apiserver" "$(printf '%s\n' 'keyUsage=critical,digitalSignature,keyEncipherment' \
  'extendedKeyUsage=serverAuth' \
  'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.96.0.1')"
issue admin "/O=system:masters/CN=admin" "$(printf '%s\n' 'keyUsage=critical,digitalSignature,keyEncipherment' \
  'extendedKeyUsage=clientAuth')"
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/sa.key"
ossl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub"

b64() { base64 -w0 <"$1"; }
kubeconfig=$state/kubeconfig
cat >"$kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: cachemode-testenv
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $(b64 "$pki/ca.crt")
users:
- name: admin
  user:
    client-certificate-data: $(b64 "$pki/admin.crt")
    client-key-data: $(b64 "$pki/admin.key")
contexts:
- name: cachemode-testenv
  context: {cluster: cachemode-testenv, user: admin}
current-context: cachemode-testenv
EOF

# --- processes ---------------------------------------------------------------------------------------------------
start() { # name binary args...
  local name=$1 exe=$2; shift 2
  "$bin/$exe" "$@" </dev/null >"$state/logs/$name.log" 2>&1 &
  echo "$! $name" >>"$state/pids"
}
alive() { # fails, naming the process, if one that was started has exited
  local pid name
  while read -r pid name; do
    kill -0 "$pid" 2>/dev/null || { log "$name (pid $pid) exited; see $state/logs/$name.log"; return 1; }
  done <"$state/pids"
}
wait_for() { # description command...
  local what=$1 deadline=$(($(date +%s) + timeout)); shift
  until "$@" >/dev/null 2>&1; do
    alive || return 1
    (($(date +%s) < deadline)) || { log "timed out after ${timeout}s waiting for $what"; return 1; }
    sleep 0.5
  done
}
kubectl() { "$bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }

start etcd etcd --name=n0 --data-dir="$state/etcd" --unsafe-no-fsync=true \
  --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
  --listen-peer-urls="http://127.0.0.1:$peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$peer_port" \
  --initial-cluster="n0=http://127.0.0.1:$peer_port"
wait_for "etcd" curl -sf "http://127.0.0.1:$etcd_port/health"

start kube-apiserver kube-apiserver --etcd-servers="http://127.0.0.1:$etcd_port" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" --cert-dir="$pki" \
  --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" --client-ca-file="$pki/ca.crt" \
  --authorization-mode=RBAC --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --service-cluster-ip-range=10.96.0.0/16 --allow-privileged=true --endpoint-reconciler-type=none
wait_for "kube-apiserver /readyz" kubectl get --raw /readyz

# The fake node: managed by kwok through its annotation; no taint, so ordinary pods schedule onto it.
kubectl apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $node
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {type: kwok, kubernetes.io/hostname: $node, kubernetes.io/os: linux, kubernetes.io/arch: amd64}
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
EOF

common=(--kubeconfig="$kubeconfig" --leader-elect=false --bind-address=127.0.0.1 --secure-port=0)
kcm_client=()
[[ -z "$kcm_qps" ]] || kcm_client=(--kube-api-qps="$kcm_qps" --kube-api-burst="$((kcm_qps * 2))")
start kube-controller-manager kube-controller-manager "${common[@]}" "${kcm_client[@]}" \
  --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt"
start kube-scheduler kube-scheduler "${common[@]}"
# Container logs: kwok serves them from files named by its Logs/ClusterLogs objects (read from the API server, hence
# the CRDs and --enable-crds), on a kubelet-like HTTPS server. --node-ip/--node-port make the node report
# InternalIP 127.0.0.1 and that port as its kubelet endpoint, which is where kube-apiserver sends pods/log; with no
# --kubelet-certificate-authority the apiserver does not verify the serving certificate (kwok's built-in test one).
kwok_crds=$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/crd/bases
kubectl apply -f "$kwok_crds/kwok.x-k8s.io_logs.yaml" -f "$kwok_crds/kwok.x-k8s.io_clusterlogs.yaml" >/dev/null
wait_for "kwok Logs CRDs Established" kubectl wait --for=condition=Established --timeout=2s \
  crd/logs.kwok.x-k8s.io crd/clusterlogs.kwok.x-k8s.io
start kwok kwok --kubeconfig="$kubeconfig" --config="$bin/kwok-stages.yaml" \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake --node-lease-duration-seconds=40 \
  --cidr=10.244.0.0/16 --enable-crds=Logs,ClusterLogs \
  --node-ip=127.0.0.1 --node-port="$kwok_port" --server-address="127.0.0.1:$kwok_port"

wait_for "node $node Ready" kubectl wait --for=condition=Ready --timeout=2s "node/$node"
wait_for "ServiceAccount default/default" kubectl -n default get serviceaccount default

if [[ -n "${CACHEMODE_TESTENV_OWNER_PID:-}" ]]; then
  owner=$CACHEMODE_TESTENV_OWNER_PID
  (while kill -0 "$owner" 2>/dev/null && [[ -e "$state/pids" ]]; do sleep 2; done
   [[ -e "$state/pids" ]] && "$here/down.sh" "$state") </dev/null >/dev/null 2>&1 &
  echo "$!" >"$state/watcher.pid"
fi
log "control plane up in $(($(date +%s) - started))s (apiserver https://127.0.0.1:$api_port, state $state)"
echo "$kubeconfig"
