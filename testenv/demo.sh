#!/usr/bin/env bash
# make demo: run the operator's main job end to end on a local control plane (or, with USE_CURRENT_CONTEXT=1, on
# the cluster KUBECONFIG points at): a Secret holding the digest-like value from the incident, a Deployment reading
# it, and a CacheMode that suspends Redis. Exits 0 only when the CacheMode reached phase Suspended and Ready=True.
#   KEEP=1 make demo   leave everything running and print how to reach it
#   make demo-down     stop what KEEP=1 left running
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state=${CACHEMODE_DEMO_STATE:-$HOME/.cache/cachemode-demo}
timeout_s=${DEMO_TIMEOUT:-180}

stop_all() {
  if [[ -f "$state/operator.pid" ]]; then
    kill "$(cat "$state/operator.pid")" 2>/dev/null || true
    rm -f "$state/operator.pid"
  fi
  if [[ -f "$state/pids" ]]; then
    "$root/testenv/down.sh" "$state"
  fi
}

if [[ "${1:-}" == "--down" ]]; then
  stop_all
  echo "demo stopped"
  exit 0
fi

bin=$("$root/testenv/build.sh")
kubectl="$bin/kubectl"
jar="$root/operator/target/cachemode-operator.jar"
[[ -f "$jar" ]] || { echo "missing $jar: run make build" >&2; exit 1; }

if [[ "${USE_CURRENT_CONTEXT:-}" == "1" ]]; then
  : "${KUBECONFIG:?USE_CURRENT_CONTEXT=1 needs KUBECONFIG}"
  echo "== using the current context of $KUBECONFIG"
  mkdir -p "$state"
else
  stop_all
  echo "== starting the local control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok)"
  "$root/testenv/up.sh" "$state" >/dev/null
  export KUBECONFIG="$state/kubeconfig"
fi
if [[ "${KEEP:-}" != "1" ]]; then
  trap stop_all EXIT
fi

echo "== installing the CacheMode CRD"
"$kubectl" apply --server-side -f "$root/crds/cachemodes.cachemode.io-v1.yml" >/dev/null
"$kubectl" wait --for=condition=Established --timeout=60s crd/cachemodes.cachemode.io >/dev/null

echo "== starting the operator (log: $state/operator.log)"
HTTP_PORT=0 java -jar "$jar" >"$state/operator.log" 2>&1 &
echo $! >"$state/operator.pid"

echo "== applying examples/atom-saas (Secret holds SUSPEND_REDIS=fa61a13817d73a23)"
"$kubectl" apply -f "$root/examples/atom-saas/00-namespace.yaml" >/dev/null
"$kubectl" apply -f "$root/examples/atom-saas/" | sed 's/^/   /'

echo "== watching the CacheMode (kubectl get cmode -n atom -w)"
last=""
phase=""
deadline=$((SECONDS + timeout_s))
while ((SECONDS < deadline)); do
  line=$("$kubectl" get cmode atom-saas-redis -n atom --no-headers 2>/dev/null || true)
  if [[ -n "$line" && "$line" != "$last" ]]; then
    [[ -z "$last" ]] && "$kubectl" get cmode -n atom 2>/dev/null | head -1
    echo "$line"
    last=$line
  fi
  phase=$("$kubectl" get cmode atom-saas-redis -n atom -o jsonpath='{.status.phase}' 2>/dev/null || true)
  case "$phase" in Suspended | Failed | RolledBack) break ;; esac
  if ! kill -0 "$(cat "$state/operator.pid")" 2>/dev/null; then
    echo "the operator exited; last log lines:" >&2
    tail -20 "$state/operator.log" >&2
    exit 1
  fi
  sleep 1
done

echo
echo "== final state"
"$kubectl" get cmode -n atom -o wide
echo
echo "conditions:"
"$kubectl" get cmode atom-saas-redis -n atom \
  -o jsonpath='{range .status.conditions[*]}  {.type}={.status} ({.reason}): {.message}{"\n"}{end}'
echo "secret before the change:"
"$kubectl" get cmode atom-saas-redis -n atom \
  -o jsonpath='  state={.status.secret.before.state} effectiveSuspend={.status.secret.before.effectiveSuspend}{"\n"}'
echo "history:"
"$kubectl" get cmode atom-saas-redis -n atom \
  -o jsonpath='{range .status.history[*]}  {.time} {.from} -> {.to} ({.reason}){"\n"}{end}'
echo "events:"
"$kubectl" get events -n atom --field-selector involvedObject.kind=CacheMode \
  -o custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message --no-headers | sed 's/^/  /'

value=$("$kubectl" get secret atom-saas-env -n atom -o jsonpath='{.data.SUSPEND_REDIS}' | base64 -d)
other=$("$kubectl" get secret atom-saas-env -n atom -o jsonpath='{.data.DATABASE_URL}' | base64 -d)
ready=$("$kubectl" get cmode atom-saas-redis -n atom -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
echo
if [[ "$phase" == "Suspended" && "$ready" == "True" && "$value" == "true" && "$other" == postgres://* ]]; then
  echo "OK: SUSPEND_REDIS is now canonical \"true\", DATABASE_URL untouched, atom-saas restarted and rolled out."
else
  echo "FAILED: phase=$phase ready=$ready (see $state/operator.log)" >&2
  exit 1
fi
if [[ "${KEEP:-}" == "1" ]]; then
  echo
  echo "left running. export KUBECONFIG=$KUBECONFIG; $kubectl get cmode -A"
  echo "stop with: make demo-down"
fi
