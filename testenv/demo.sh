#!/usr/bin/env bash
# make demo: the incident's story in two acts, on a local control plane (or, with USE_CURRENT_CONTEXT=1, on the
# cluster KUBECONFIG points at), with a real redis-server and a stand-in process per app (testenv/standin) playing
# what the app's code does with its flag, since the fake node's pods run nothing.
#   act one  examples/atom-saas: the Secret holds the digest-like value. The operator writes SUSPEND_REDIS=true,
#            restarts the app once and proves it: GETs fall to 0, the health check and the log check pass.
#            Expected: phase Suspended, Verified=True, Ready=True.
#   act two  examples/atom-legacy: the app's code reads another variable, so its GETs continue after the restart.
#            Expected: the operator refuses to call it done: phase Ineffective, Ready=False, a Warning event.
# Exits 0 only when both acts end so.
#   KEEP=1 make demo   leave everything running and print how to reach it
#   make demo-down     stop what KEEP=1 left running
#
# Every process the demo starts (control plane, operator, redis-servers, stand-ins) is listed in STATE/pids and
# carries STATE/ on its command line, so testenv/down.sh stops exactly those and never a recycled pid.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/testenv
state=${CACHEMODE_DEMO_STATE:-$HOME/.cache/cachemode-demo}
# Past atom-saas's log-check window (5m): a stand-in pod that logs its line just after the operator's first read is
# read again when that window closes, so the demo waits for it rather than failing at 150 s.
timeout_s=${DEMO_TIMEOUT:-360}
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

stop_all() {
  if [[ -f "$state/pids" ]]; then "$here/down.sh" "$state"; fi
}

if [[ "${1:-}" == "--down" ]]; then
  stop_all
  echo "demo stopped"
  exit 0
fi

bin=$("$here/build.sh")
standin=$("$here/build.sh" standin)
jar="$root/operator/target/cachemode-operator.jar"
[[ -f "$jar" ]] || { echo "missing $jar: run make build" >&2; exit 1; }
k() { "$bin/kubectl" "$@"; }
started=$SECONDS
elapsed() { printf '+%3ds' $((SECONDS - started)); }

stop_all
if [[ "${USE_CURRENT_CONTEXT:-}" == "1" ]]; then
  : "${KUBECONFIG:?USE_CURRENT_CONTEXT=1 needs KUBECONFIG}"
  echo "== using the current context of $KUBECONFIG"
  mkdir -p "$state/logs"
  : >"$state/pids"
else
  echo "== starting the local control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok)"
  "$here/up.sh" "$state" >/dev/null
  export KUBECONFIG="$state/kubeconfig"
fi
if [[ "${KEEP:-}" != "1" ]]; then
  trap stop_all EXIT
fi

start() { # name command...: runs in the background, logging to STATE/logs/<name>.log; down.sh stops it
  local name=$1; shift
  "$@" </dev/null >"$state/logs/$name.log" 2>&1 &
  echo "$! $name" >>"$state/pids"
}
alive() { # fails, naming it and showing its log, when a process the demo started has exited
  local pid name
  while read -r pid name; do
    kill -0 "$pid" 2>/dev/null && continue
    echo "$name (pid $pid) exited; last lines of $state/logs/$name.log:" >&2
    tail -n 20 "$state/logs/$name.log" >&2
    return 1
  done <"$state/pids"
}

echo "== installing the CacheMode CRD"
k apply --server-side -f "$root/crds/cachemodes.cachemode.io-v1.yml" >/dev/null
k wait --for=condition=Established --timeout=60s crd/cachemodes.cachemode.io >/dev/null

# The two acts: example directory, namespace, app, CacheMode, and the variable the app's code reads.
acts=(saas legacy)
declare -A dir=([saas]=atom-saas [legacy]=atom-legacy) ns=([saas]=atom [legacy]=atom-legacy)
declare -A app=([saas]=atom-saas [legacy]=atom-legacy) cmode=([saas]=atom-saas-redis [legacy]=atom-legacy-redis)
declare -A reads=([saas]=SUSPEND_REDIS [legacy]=REDIS_DISABLED)
declare -A redis_port health_port
for a in "${acts[@]}"; do
  redis_port[$a]=$(free_port); used+="${redis_port[$a]} "
  health_port[$a]=$(free_port); used+="${health_port[$a]} "
done

# Health checks and Redis are on loopback here; the operator refuses loopback only when it runs in a cluster.
echo "== starting the operator (log: $state/logs/operator.log)"
WATCH_NAMESPACES="atom,atom-legacy" HTTP_PORT=0 EGRESS_IN_CLUSTER=false \
  EGRESS_HEALTH_CHECK=127.0.0.0/8 EGRESS_REDIS=127.0.0.0/8 \
  start operator java "-XX:ErrorFile=$state/logs/operator-hs_err_%p.log" -jar "$jar"

echo "== starting one redis-server per app on loopback (ports ${redis_port[saas]}, ${redis_port[legacy]})"
for a in "${acts[@]}"; do
  mkdir -p "$state/redis-$a"
  # --set-proc-title no keeps the command line (and STATE/ in it) as started, for down.sh.
  start "redis-$a" redis-server --bind 127.0.0.1 --port "${redis_port[$a]}" --save "" --appendonly no \
    --set-proc-title no --dir "$state/redis-$a"
done

render() { # act file: the example with the demo's ports in place of the example's placeholders
  sed -E -e "s#redis://127\.0\.0\.1:6379#redis://127.0.0.1:${redis_port[$1]}#" \
    -e "s#http://127\.0\.0\.1:1808[0-9]/#http://127.0.0.1:${health_port[$1]}/#" "$root/examples/${dir[$1]}/$2"
}

echo "== applying the apps: examples/atom-saas (SUSPEND_REDIS=fa61a13817d73a23), examples/atom-legacy"
for a in "${acts[@]}"; do
  for f in 00-namespace.yaml 01-secret.yaml 02-deployment.yaml; do render "$a" "$f"; echo "---"; done |
    k apply -f - | sed 's/^/   /'
done

echo "== starting the stand-in apps (testenv/standin): atom-saas reads SUSPEND_REDIS, atom-legacy reads REDIS_DISABLED"
for a in "${acts[@]}"; do
  start "standin-${app[$a]}" "$standin" --kubeconfig "$KUBECONFIG" --namespace "${ns[$a]}" \
    --deployment "${app[$a]}" --env "${reads[$a]}" --redis "redis://127.0.0.1:${redis_port[$a]}" \
    --listen "127.0.0.1:${health_port[$a]}" --log-dir "$state/pod-logs"
done
for a in "${acts[@]}"; do # the apps are up and sending GETs before anything changes
  deadline=$((SECONDS + 60))
  until curl -sf "http://127.0.0.1:${health_port[$a]}/api/health" 2>/dev/null | grep -q "Redis: connected"; do
    alive || exit 1
    ((SECONDS < deadline)) || { echo "${app[$a]} did not come up using Redis" >&2; exit 1; }
    sleep 0.5
  done
done

echo "== applying both CacheModes; timeline (stand-in lines show what the apps do)"
for a in "${acts[@]}"; do render "$a" 03-cachemode.yaml | k apply -f - >/dev/null; done
printf '   %s  applied %s and %s\n' "$(elapsed)" "${cmode[saas]}" "${cmode[legacy]}"

status() { k get cmode "${cmode[$1]}" -n "${ns[$1]}" -o json 2>/dev/null || echo '{}'; }
condition() { jq -r --arg t "$2" '[.status.conditions[]? | select(.type == $t)][0].status // "-"' <<<"$1"; }
declare -A shown lines_seen rate_shown
done_phases=" Suspended Active Ineffective Failed RolledBack "
deadline=$((SECONDS + timeout_s))
while :; do
  finished=0
  for a in "${acts[@]}"; do
    json=$(status "$a")
    phase=$(jq -r '.status.phase // "-"' <<<"$json")
    now="phase $phase, Verified=$(condition "$json" Verified), Ready=$(condition "$json" Ready)"
    if [[ "$phase" != - && "$now" != "${shown[$a]:-}" ]]; then
      printf '   %s  %-18s %s\n' "$(elapsed)" "${cmode[$a]}" "$now"
      shown[$a]=$now
    fi
    [[ "$done_phases" == *" $phase "* ]] && finished=$((finished + 1))
    log="$state/logs/standin-${app[$a]}.log"
    seen=${lines_seen[$a]:-0}
    while IFS= read -r line; do # the stand-in's state lines, when its GET rate changed
      rate=${line##*: }
      [[ "$rate" == "${rate_shown[$a]:-0 GET/s}" ]] && continue
      printf '   %s  %-18s %s\n' "$(elapsed)" "(stand-in)" "${line#* * }"
      rate_shown[$a]=$rate
    done < <(tail -n "+$((seen + 1))" "$log" | grep "GET/s" || true)
    lines_seen[$a]=$(wc -l <"$log")
  done
  ((finished == ${#acts[@]})) && break
  alive || exit 1
  if ((SECONDS >= deadline)); then echo "   timed out after ${timeout_s}s" >&2; break; fi
  sleep 1
done

wait_out=$(k wait --for=condition=Ready --timeout=5s -n "${ns[legacy]}" "cmode/${cmode[legacy]}" 2>&1 || true)

echo
echo "== kubectl get cmode -A"
k get cmode -A
for a in "${acts[@]}"; do
  json=$(status "$a")
  echo
  echo "== ${ns[$a]}/${cmode[$a]}"
  jq -r '.status.conditions[]? | "   \(.type)=\(.status) (\(.reason)): \(.message)"' <<<"$json"
  jq -r '.status.requests // empty
    | "   GETs: \(.before.perMinute // "-")/min before, \(.after.perMinute // "-")/min after"
    + " (\(.before.perDay // "-") -> \(.after.perDay // "-") a day), verdict \(.verdict // "-"),"
    + " counted by \(.after.method // "-")"
    + (if .cost then "; projected cost $\(.cost.beforePerMonth)/month -> $\(.cost.afterPerMonth)/month" else "" end)' \
    <<<"$json"
  jq -r '(.status.healthChecks // [])[] | "   health check \(.name): \(.result) \(.message // "")"' <<<"$json"
  jq -r '(.status.logChecks // [])[] | "   log check \(.name): \(.result) \(.message // "")"' <<<"$json"
  echo "   events:"
  k get events -n "${ns[$a]}" --field-selector "involvedObject.kind=CacheMode,involvedObject.name=${cmode[$a]}" \
    --sort-by=.metadata.creationTimestamp -o custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message --no-headers |
    sed 's/^/     /'
done

# --- verdicts ------------------------------------------------------------------------------------------------------
verdict=0
cost() { jq -r '.status.requests.cost // empty | " ($\(.beforePerMonth)/month -> $\(.afterPerMonth)/month)"' <<<"$1"; }
json=$(status saas)
before=$(jq -r '.status.requests.before.perMinute // -1' <<<"$json")
after=$(jq -r '.status.requests.after.perMinute // -1' <<<"$json")
value=$(k get secret atom-saas-env -n atom -o jsonpath='{.data.SUSPEND_REDIS}' | base64 -d)
other=$(k get secret atom-saas-env -n atom -o jsonpath='{.data.DATABASE_URL}' | base64 -d)
checks_passed=$(jq -r '[(.status.healthChecks // [])[], (.status.logChecks // [])[]] as $c
  | ($c | length) > 0 and all($c[]; .result == "Passed") and ((.status.logChecks // []) | length) > 0' <<<"$json")
echo
if [[ "$(jq -r '.status.phase' <<<"$json")" == Suspended && "$(condition "$json" Verified)" == True &&
  "$(condition "$json" Ready)" == True && "$value" == true && "$other" == postgres://* &&
  "$checks_passed" == true ]] && awk -v b="$before" -v a="$after" 'BEGIN { exit !(b >= 100 && a == 0) }'; then
  echo "act one: verified: SUSPEND_REDIS repaired from the digest to \"true\", one restart, GETs fell from" \
    "$before/min to $after/min$(cost "$json"), health and log checks passed" \
    "(Suspended, Verified=True, Ready=True)."
else
  echo "act one: NOT verified: phase $(jq -r '.status.phase // "-"' <<<"$json")," \
    "Verified=$(condition "$json" Verified)," \
    "Ready=$(condition "$json" Ready), GET/min $before -> $after, checks passed: $checks_passed, flag \"$value\"" >&2
  verdict=1
fi

json=$(status legacy)
after=$(jq -r '.status.requests.after.perMinute // -1' <<<"$json")
warning=$(k get events -n atom-legacy --field-selector \
  "involvedObject.kind=CacheMode,involvedObject.name=${cmode[legacy]},type=Warning" \
  -o jsonpath='{.items[*].reason}')
if [[ "$(jq -r '.status.phase' <<<"$json")" == Ineffective && "$(condition "$json" Ready)" == False &&
  "$(condition "$json" Verified)" == False && "$wait_out" == *"timed out"* && -n "$warning" ]] &&
  awk -v a="$after" 'BEGIN { exit !(a >= 100) }'; then
  echo "act two: refused: the app was restarted but still sent $after GET/min$(cost "$json"); the operator kept it" \
    "Ineffective (Ready=False, kubectl wait --for=condition=Ready timed out, Warning $warning)."
else
  echo "act two: NOT refused as expected: phase $(jq -r '.status.phase // "-"' <<<"$json")," \
    "Ready=$(condition "$json" Ready), Verified=$(condition "$json" Verified), GET/min after $after," \
    "kubectl wait: ${wait_out:-succeeded}, Warning events: ${warning:-none}" >&2
  verdict=1
fi
if ((verdict != 0)); then
  echo "last lines of the operator's log:" >&2
  tail -n 30 "$state/logs/operator.log" >&2
fi
echo "demo took $((SECONDS - started))s"

if [[ "${KEEP:-}" == "1" ]]; then
  echo
  echo "left running. export KUBECONFIG=$KUBECONFIG; $bin/kubectl get cmode -A"
  echo "stop with: make demo-down"
fi
exit "$verdict"
