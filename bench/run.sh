#!/usr/bin/env bash
# Resource benchmark of the CacheMode operator: memory and CPU of the packaged jar, run as a separate process
# against its own local control plane (testenv/up.sh), with all traffic on loopback.
#
#   bench/run.sh                      builds the jar (mvn package), then runs the four scenarios below
#   BENCH_JAR=path/to/jar bench/run.sh   uses that jar instead of building one
#
# Scenarios (see bench/README.md for what each one shows):
#   1 idle       RSS and heap after start-up, zero CacheModes
#   2 noise      the same after BENCH_NOISE_SECRETS unrelated ~4 KiB Secrets and BENCH_NOISE_DEPLOYMENTS unrelated
#                Deployments (replicas 0) in another namespace: the narrowed informers should not cache them
#   3 scale      BENCH_APPS apps (Secret with SUSPEND_REDIS=fa61a13817d73a23, Deployment with 1 replica, CacheMode
#                suspend=true) in one namespace: time until all are Suspended, per-CacheMode convergence, memory,
#                reconciles, restarts and API requests
#   4 idle CPU   CPU seconds of the operator process over BENCH_IDLE_SECONDS of idleness after settling
#
# Environment: BENCH_APPS (50, at most 55: one kwok node has 110 pod slots and each app needs 2 while it rolls
# out), BENCH_REPLICAS (1; 0 gives Deployments without pods, so BENCH_APPS may go up to 500 to see how memory grows
# with managed objects), BENCH_NOISE_SECRETS (500), BENCH_NOISE_DEPLOYMENTS (100), BENCH_IDLE_SECONDS (30), BENCH_CONVERGE_TIMEOUT
# (240 s), BENCH_JAR, BENCH_OUT (bench/results/latest.txt; the raw /metrics scrape and the kube-apiserver request
# counts go next to it as <name>-metrics.prom and <name>-apiserver-requests.txt), BENCH_JVM_OPTS (JVM flags added
# after -Xmx256m), BENCH_NMT=1 (native memory tracking; its summary at scenario 3 goes to <name>-nmt.txt).
# Needs the testenv binaries (testenv/build.sh), Java 17 with jcmd, curl and jq.
#
# Memory is read twice per scenario: as found (what a container limit sees) and after a full GC requested with
# `jcmd <pid> GC.run` (the live set, which is what cached objects would grow). The forced GC is a measurement
# artefact; it also lets G1 return memory, so RSS after it is lower than RSS as found.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
apps=${BENCH_APPS:-50}
replicas=${BENCH_REPLICAS:-1}
noise_secrets=${BENCH_NOISE_SECRETS:-500}
noise_deployments=${BENCH_NOISE_DEPLOYMENTS:-100}
idle_s=${BENCH_IDLE_SECONDS:-30}
converge_timeout=${BENCH_CONVERGE_TIMEOUT:-240}
out=${BENCH_OUT:-$root/bench/results/latest.txt}
side=${out%.txt} # side files: $side-metrics.prom, $side-apiserver-requests.txt, $side-nmt.txt
jvm_flags=(-Xmx256m -XX:+PrintCommandLineFlags)
# BENCH_NMT=1: also track native memory (adds a few MiB and some CPU) and save its summary at scenario 3
if [[ -n "${BENCH_NMT:-}" ]]; then jvm_flags+=(-XX:NativeMemoryTracking=summary); fi
# BENCH_JVM_OPTS: more JVM flags, e.g. -XX:ActiveProcessorCount=1 to see the JVM as a 1-CPU container limit makes it
read -r -a extra_jvm_flags <<<"${BENCH_JVM_OPTS:-}"
jvm_flags+=("${extra_jvm_flags[@]}")
apps_ns=bench-apps
noise_ns=bench-noise

log() { echo "[bench] $(date +%H:%M:%S) $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }
for tool in curl jq jcmd java; do command -v "$tool" >/dev/null || die "needs $tool on PATH"; done
[[ "$replicas" =~ ^[01]$ ]] || die "BENCH_REPLICAS must be 0 or 1"
max_apps=$((replicas == 1 ? 55 : 500))
[[ "$apps" =~ ^[0-9]+$ ]] && ((apps >= 1 && apps <= max_apps)) ||
  die "BENCH_APPS must be 1..$max_apps (one kwok node has 110 pod slots; an app with 1 replica needs 2 while it rolls out)"

bench_start=$(date +%s)
bin=$("$root/testenv/build.sh")
kubectl() { "$bin/kubectl" --kubeconfig "$state/kubeconfig" "$@"; }

# --- the jar ------------------------------------------------------------------------------------------------------
if [[ -n "${BENCH_JAR:-}" ]]; then
  jar=$BENCH_JAR
  [[ -f "$jar" ]] || die "BENCH_JAR=$jar does not exist"
  jar_source="BENCH_JAR=$jar (built outside this script)"
else
  log "building the operator jar (mvn -B -q -Dmaven.test.skip=true package)"
  (cd "$root" && mvn -B -q -Dmaven.test.skip=true package) || die "the build failed; fix it or set BENCH_JAR"
  jar=$root/operator/target/cachemode-operator.jar
  jar_source="built from $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- operator crds || echo '+uncommitted changes')"
fi
jar_sha=$(sha256sum "$jar" | cut -c1-16)

# --- control plane and operator, always torn down -----------------------------------------------------------------
state=$(mktemp -d "${TMPDIR:-/tmp}/cachemode-bench.XXXXXX")
op_pid=""
cleanup() {
  local rc=$?
  if [[ -n "$op_pid" ]] && kill -0 "$op_pid" 2>/dev/null; then
    kill -TERM "$op_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$op_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$op_pid" 2>/dev/null || true
  fi
  if [[ $rc -ne 0 && -f "$state/operator.log" ]]; then
    echo "--- last operator log lines" >&2
    tail -n 20 "$state/operator.log" >&2
  fi
  if [[ -f "$state/pids" ]]; then
    "$root/testenv/down.sh" "$state" >&2 || true
  else
    rm -rf "$state"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

load() { cut -d' ' -f1-3 /proc/loadavg; }
load_at_start=$(load)
log "starting the control plane (state $state), load $load_at_start"
"$root/testenv/up.sh" "$state" >/dev/null
kubectl apply --server-side -f "$root/crds/cachemodes.cachemode.io-v1.yml" >/dev/null
kubectl wait --for=condition=Established --timeout=60s crd/cachemodes.cachemode.io >/dev/null

log "starting the operator: java ${jvm_flags[*]} -jar $jar"
t_launch=$(date +%s.%N)
KUBECONFIG=$state/kubeconfig HTTP_PORT=0 java "${jvm_flags[@]}" -jar "$jar" >"$state/operator.log" 2>&1 &
op_pid=$!
port=""
for _ in $(seq 600); do
  kill -0 "$op_pid" 2>/dev/null || die "the operator exited during start-up"
  port=$(grep -o 'http port [0-9]*' "$state/operator.log" | head -1 | cut -d' ' -f3 || true)
  if [[ -n "$port" ]] && curl -sf --max-time 2 "http://127.0.0.1:$port/readyz" >/dev/null; then break; fi
  sleep 0.1
done
curl -sf --max-time 2 "http://127.0.0.1:$port/readyz" >/dev/null || die "the operator did not become ready in 60 s"
t_ready=$(date +%s.%N)
jvm_ergonomics=$(grep -m1 -- '-XX:' "$state/operator.log" || true)

# --- measuring helpers ----------------------------------------------------------------------------------------------
clk=$(getconf CLK_TCK)
cpu_s() { awk -v c="$clk" '{sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / c}' "/proc/$op_pid/stat"; }
status_kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$op_pid/status"; }
scrape() { curl -sf --max-time 10 "http://127.0.0.1:$port/metrics" >"$1"; }
msum() { # file metric [substring of the label set]: sum of the samples
  awk -v m="$2" -v l="${3:-}" 'index($0, m "{") == 1 || index($0, m " ") == 1 {
    if (l == "" || index($0, l)) s += $NF } END {printf "%.0f", s}' "$1"
}
mib() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1048576}'; }
api_scrape() { kubectl get --raw /metrics | grep '^apiserver_request_total{' >"$1"; }
api_count() { # file verb resource [subresource]: requests the API server counted
  awk -v v=",verb=\"$2\"" -v r=",resource=\"$3\"" -v s=",subresource=\"${4:-}\"" \
    'index($0, v) && index($0, r) && index($0, s) {t += $NF} END {printf "%d", t}' "$1"
}
api_delta() { echo $(($(api_count "$2" "${@:3}") - $(api_count "$1" "${@:3}"))); }
api_table() { # before after: requests per verb, resource and subresource between two scrapes (all clients)
  awk 'function lbl(n,  m) { return match($0, "," n "=\"[^\"]*\"") ? substr($0, RSTART + length(n) + 3, RLENGTH - length(n) - 4) : "" }
    { k = sprintf("%-7s %s%s", lbl("verb"), lbl("resource"), lbl("subresource") == "" ? "" : "/" lbl("subresource"))
      if (FILENAME == ARGV[1]) b[k] += $NF; else a[k] += $NF }
    END { for (k in a) if (a[k] - b[k] > 0) printf "%6d  %s\n", a[k] - b[k], k }' "$1" "$2" | sort -k2
}

# Resident part of the Java heap: the Rss of the mappings inside the address range GC.heap_info prints
heap_rss() { # heap_info file -> MiB
  local lo hi
  read -r lo hi < <(awk '/(heap|generation) +total/ {while (match($0, /0x[0-9a-f]+/)) {
      print substr($0, RSTART + 2, RLENGTH - 2); $0 = substr($0, RSTART + RLENGTH)}}' "$1" |
    awk '{s = sprintf("%16s", $1); gsub(/ /, "0", s); print s}' | sort | sed -n '1p;$p' | tr '\n' ' ')
  awk -v lo="$lo" -v hi="$hi" 'function pad(x,  s) {s = sprintf("%16s", x); gsub(/ /, "0", s); return s}
    /^[0-9a-f]+-[0-9a-f]+ / {split($1, r, "-"); inside = pad(r[1]) >= lo && pad(r[2]) <= hi; next}
    /^Rss:/ && inside {kb += $2} END {printf "%.1f", kb / 1024}' "/proc/$op_pid/smaps"
}

declare -A row
measure() { # key: memory as found, then after a full GC; load and CPU so far
  local key=$1
  scrape "$state/m-$key.prom"
  row[$key.rss]=$(awk -v k="$(status_kb VmRSS)" 'BEGIN {printf "%.1f", k / 1024}')
  row[$key.heap]=$(mib "$(msum "$state/m-$key.prom" jvm_memory_used_bytes 'area="heap"')")
  # The heap the JVM has committed, touched or not: "garbage-first heap   total 262144K, used ... [0x.., 0x..)" (G1),
  # or "def new generation   total ...K" plus "tenured generation   total ...K" (Serial)
  jcmd "$op_pid" GC.heap_info >"$state/heap-$key.txt"
  row[$key.committed]=$(awk '/(heap|generation) +total/ {for (i = 1; i < NF; i++)
    if ($i == "total") {v = $(i + 1); sub(/K,?$/, "", v); t += v}} END {printf "%.1f", t / 1024}' "$state/heap-$key.txt")
  row[$key.heaprss]=$(heap_rss "$state/heap-$key.txt")
  row[$key.nonheap]=$(mib "$(msum "$state/m-$key.prom" jvm_memory_used_bytes 'area="nonheap"')")
  row[$key.threads]=$(status_kb Threads)
  row[$key.cpu]=$(cpu_s)
  row[$key.load]=$(load)
  if [[ -n "${BENCH_NMT:-}" && "$key" == scale ]]; then jcmd "$op_pid" VM.native_memory summary >"$state/nmt.txt"; fi
  jcmd "$op_pid" GC.run >/dev/null
  sleep 1
  scrape "$state/m-$key-gc.prom"
  row[$key.live]=$(mib "$(msum "$state/m-$key-gc.prom" jvm_memory_used_bytes 'area="heap"')")
  row[$key.rssgc]=$(awk -v k="$(status_kb VmRSS)" 'BEGIN {printf "%.1f", k / 1024}')
  log "measured $key: RSS ${row[$key.rss]} MiB, heap ${row[$key.heap]} MiB, live heap ${row[$key.live]} MiB, load ${row[$key.load]}"
}

startup_wall=$(awk -v a="$t_launch" -v b="$t_ready" 'BEGIN {printf "%.1f", b - a}')
startup_cpu=$(cpu_s)
log "operator ready on port $port after ${startup_wall}s (${startup_cpu} CPU s)"

# --- 1: idle -------------------------------------------------------------------------------------------------------
sleep 10 # let start-up work (JIT, informer sync) finish
measure idle

# --- 2: noise ------------------------------------------------------------------------------------------------------
log "creating $noise_secrets Secrets (4 KiB of data each) and $noise_deployments Deployments (replicas 0) in $noise_ns"
api_scrape "$state/api-noise-0"
{
  printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n' "$noise_ns"
  for i in $(seq -w "$noise_secrets"); do
    printf -- '---\napiVersion: v1\nkind: Secret\nmetadata: {name: noise-%s, namespace: %s}\ntype: Opaque\n' \
      "$i" "$noise_ns"
    printf 'data:\n  blob: %s\n' "$(head -c 4096 /dev/urandom | base64 -w0)"
  done
  for i in $(seq -w "$noise_deployments"); do
    cat <<EOF
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: noise-$i, namespace: $noise_ns, labels: {app: noise-$i}}
spec:
  replicas: 0
  selector: {matchLabels: {app: noise-$i}}
  template:
    metadata: {labels: {app: noise-$i}}
    spec:
      containers: [{name: app, image: example.invalid/noise:1, envFrom: [{secretRef: {name: noise-$i}}]}]
EOF
  done
} >"$state/noise.yaml"
created=$(kubectl create -f "$state/noise.yaml" -o name | wc -l)
((created == 1 + noise_secrets + noise_deployments)) || die "created $created noise objects"
sleep 10 # a cluster-wide informer would have listed/received them by now
api_scrape "$state/api-noise-1"
measure noise

# --- 3: scale ------------------------------------------------------------------------------------------------------
log "creating $apps apps (Secret + Deployment, $replicas replica(s)) in $apps_ns"
{
  printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n' "$apps_ns"
  for i in $(seq -w "$apps"); do
    cat <<EOF
---
apiVersion: v1
kind: Secret
metadata: {name: app-$i-env, namespace: $apps_ns}
type: Opaque
stringData:
  SUSPEND_REDIS: fa61a13817d73a23
  DATABASE_URL: postgres://app-$i@db.$apps_ns.svc:5432/app
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-$i, namespace: $apps_ns, labels: {app: app-$i}}
spec:
  replicas: $replicas
  selector: {matchLabels: {app: app-$i}}
  template:
    metadata: {labels: {app: app-$i}}
    spec:
      containers: [{name: app, image: ghcr.io/example/atom-saas:1.0.0, envFrom: [{secretRef: {name: app-$i-env}}]}]
EOF
  done
} >"$state/apps.yaml"
kubectl create -f "$state/apps.yaml" >/dev/null
kubectl -n "$apps_ns" wait --for=condition=Available deployment --all --timeout=120s >/dev/null
for i in $(seq -w "$apps"); do
  cat <<EOF
---
apiVersion: cachemode.io/v1alpha1
kind: CacheMode
metadata: {name: app-$i-redis, namespace: $apps_ns}
spec:
  suspend: true
  target:
    kubernetes:
      secretRef: {name: app-$i-env, key: SUSPEND_REDIS}
      workloads: [{kind: Deployment, name: app-$i}]
  rollout: {timeout: 5m}
  rollbackOnFailure: true
EOF
done >"$state/cachemodes.yaml"

scrape "$state/m-scale-0.prom"
api_scrape "$state/api-scale-0"
throttled() { grep -c 'client-side throttling' "$state/logs/kube-controller-manager.log" || true; }
kcm_throttled0=$(throttled)
cpu0=$(cpu_s)
load_scale=$(load)
log "creating $apps CacheModes (suspend=true); waiting until all are Suspended"
t0=$(date +%s.%N)
kubectl create -f "$state/cachemodes.yaml" >/dev/null
wait_rc=0
kubectl -n "$apps_ns" wait --for=jsonpath='{.status.phase}'=Suspended cachemodes --all \
  --timeout="${converge_timeout}s" >/dev/null || wait_rc=$?
t1=$(date +%s.%N)
cpu1=$(cpu_s)
kubectl -n "$apps_ns" get cachemodes -o json >"$state/cachemodes.json"
phases=$(jq -r '[.items[].status.phase // "none"] | group_by(.) | map("\(.[0])=\(length)") | join(" ")' \
  "$state/cachemodes.json")
((wait_rc == 0)) || log "not all CacheModes reached Suspended within ${converge_timeout}s: $phases"
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')

# Per CacheMode: first history entry to Suspended, minus creationTimestamp (whole seconds, so up to 1 s too long).
read -r conv_n conv_p50 conv_p95 conv_max last_suspended < <(jq -r --argjson t0 "$t0" '
  def ts: capture("^(?<s>[^.Z]+)(?<f>\\.[0-9]+)?Z$") as $c
    | ($c.s + "Z" | fromdateiso8601) + ("0" + ($c.f // ".0") | tonumber);
  def pct($q): . as $a | $a[(($q * ($a | length)) | ceil) - 1];
  [.items[] | [(.status.history // [])[] | select(.to == "Suspended") | .time][0] as $s
     | select($s != null) | {c: (.metadata.creationTimestamp | ts), s: ($s | ts)}] as $x
  | ($x | map(.s - .c) | sort) as $d
  | if ($d | length) == 0 then "0 - - - -" else
      "\($d | length) \($d | pct(0.5) * 10 | round / 10) \($d | pct(0.95) * 10 | round / 10)"
      + " \($d[-1] * 10 | round / 10) \(($x | map(.s) | max) - $t0 | . * 10 | round / 10)" end' \
  "$state/cachemodes.json")
transitions=$(jq '[.items[].status.history // [] | length] | add' "$state/cachemodes.json")
# Each CacheMode is expected to record exactly Pending -> RollingOut -> Suspended; list any that did not.
odd_history=$(jq -r '[.items[] | select([(.status.history // [])[] | "\(.from // "")>\(.to)"] != [">RollingOut", "RollingOut>Suspended"]
    and [(.status.history // [])[] | "\(.from // "")>\(.to)"] != ["Pending>RollingOut", "RollingOut>Suspended"])
  | "\(.metadata.name): \([(.status.history // [])[] | "\(.from // "-")->\(.to) (\(.reason // ""))"] | join(", "))"]
  | if length == 0 then "none" else "\(length): " + (.[0:3] | join("; ")) end' "$state/cachemodes.json")
# The same split at the operator's first step: creationTimestamp -> RollingOut (the operator's own latency, including
# the 2 s window in which spec edits settle) and RollingOut -> Suspended (mostly the Deployment controller and kwok).
read -r split_out_p50 split_out_p95 split_roll_p50 split_roll_p95 < <(jq -r '
  def ts: capture("^(?<s>[^.Z]+)(?<f>\\.[0-9]+)?Z$") as $c
    | ($c.s + "Z" | fromdateiso8601) + ("0" + ($c.f // ".0") | tonumber);
  def pct($q): sort | .[(($q * length) | ceil) - 1] * 10 | round / 10;
  [.items[] | (.status.history // []) as $h
     | [$h[] | select(.to == "RollingOut") | .time][0] as $r | [$h[] | select(.to == "Suspended") | .time][0] as $s
     | select($r != null and $s != null)
     | {a: (($r | ts) - (.metadata.creationTimestamp | ts)), b: (($s | ts) - ($r | ts))}] as $x
  | if ($x | length) == 0 then "- - - -" else
      "\($x | map(.a) | pct(0.5)) \($x | map(.a) | pct(0.95)) \($x | map(.b) | pct(0.5)) \($x | map(.b) | pct(0.95))" end' \
  "$state/cachemodes.json")

sleep 5 # let the last status writes and rollout events land
api_scrape "$state/api-scale-1"
kcm_throttled=$(($(throttled) - kcm_throttled0))
kubectl -n "$apps_ns" get events --field-selector involvedObject.kind=CacheMode -o json >"$state/events.json"
events_created=$(jq '.items | length' "$state/events.json")
events_count=$(jq '[.items[].count // 1] | add // 0' "$state/events.json")
replicasets=$(kubectl -n "$apps_ns" get replicasets --no-headers | wc -l)
kubectl -n "$apps_ns" get deployments -o json >"$state/deployments.json"
hashed=$(jq '[.items[] | select(.spec.template.metadata.annotations["cachemode.io/flag-hash"] != null)] | length' \
  "$state/deployments.json")
# The operator's reaction: the Deployment's rollout finished (Progressing condition, reason NewReplicaSetAvailable,
# whole seconds, so up to 1 s too long) -> the CacheMode's Suspended entry in status.history.
read -r react_p50 react_p95 < <(jq -r --slurpfile d "$state/deployments.json" '
  def ts: capture("^(?<s>[^.Z]+)(?<f>\\.[0-9]+)?Z$") as $c
    | ($c.s + "Z" | fromdateiso8601) + ("0" + ($c.f // ".0") | tonumber);
  def pct($q): sort | .[(($q * length) | ceil) - 1] * 10 | round / 10;
  ($d[0].items | map({key: .metadata.name, value: ([.status.conditions[]? | select(.type == "Progressing"
     and .reason == "NewReplicaSetAvailable") | .lastUpdateTime][0])}) | from_entries) as $done
  | [.items[] | $done[.spec.target.kubernetes.workloads[0].name] as $r
     | [(.status.history // [])[] | select(.to == "Suspended") | .time][0] as $s
     | select($r != null and $s != null) | ($s | ts) - ($r | ts)] as $x
  | if ($x | length) == 0 then "- -" else "\($x | pct(0.5)) \($x | pct(0.95))" end' "$state/cachemodes.json")
measure scale
m0=$state/m-scale-0.prom m1=$state/m-scale.prom
reconciles() { msum "$1" operator_sdk_reconciliations_started_total; }
rec_started=$(($(reconciles "$m1") - $(reconciles "$m0")))
rec_success=$(($(msum "$m1" operator_sdk_reconciliations_success_total) - $(msum "$m0" operator_sdk_reconciliations_success_total)))
rec_seconds=$(awk -v a="$(msum "$m0" operator_sdk_controllers_execution_reconcile_seconds_sum)" \
  -v b="$(msum "$m1" operator_sdk_controllers_execution_reconcile_seconds_sum)" 'BEGIN {printf "%.2f", b - a}')
rec_failed=$(($(msum "$m1" operator_sdk_reconciliations_failed_total) - $(msum "$m0" operator_sdk_reconciliations_failed_total)))
restarts=$(msum "$m1" cachemode_restarts_total)
a0=$state/api-scale-0 a1=$state/api-scale-1
# Fabric8's server-side applies are counted as PATCH (its content type carries a charset), others' as APPLY. In this
# control plane nothing but the operator patches Secrets, Deployments or CacheMode status, or GETs Secrets and
# Deployments by name (controllers use informers; the bench creates, lists and watches): see
# latest-apiserver-requests.txt for every verb and resource.
writes() { echo $(($(api_delta "$a0" "$a1" APPLY "$@") + $(api_delta "$a0" "$a1" PATCH "$@"))); }
w_secret=$(writes secrets)
w_deploy=$(writes deployments)
w_status=$(writes cachemodes status)
r_secret=$(api_delta "$a0" "$a1" GET secrets)
r_deploy=$(api_delta "$a0" "$a1" GET deployments)
r_sts=$(api_delta "$a0" "$a1" GET statefulsets)
informer_events() { msum "$1" operator_sdk_events_received_total; }
noise_events=$(($(informer_events "$state/m-noise.prom") - $(informer_events "$state/m-idle.prom")))

# --- 4: idle CPU ---------------------------------------------------------------------------------------------------
sleep 5
scrape "$state/m-idle2-0.prom"
api_scrape "$state/api-idle-0"
load_idle0=$(load)
c0=$(cpu_s)
log "measuring ${idle_s}s of idleness (no scrapes, no requests from the bench)"
sleep "$idle_s"
c1=$(cpu_s)
load_idle1=$(load)
api_scrape "$state/api-idle-1"
scrape "$state/m-idle2-1.prom"
idle_cpu=$(awk -v a="$c0" -v b="$c1" 'BEGIN {printf "%.2f", b - a}')
idle_mcores=$(awk -v a="$c0" -v b="$c1" -v s="$idle_s" 'BEGIN {printf "%.1f", (b - a) / s * 1000}')
idle_rec=$(($(reconciles "$state/m-idle2-1.prom") - $(reconciles "$state/m-idle2-0.prom")))
idle_api=0
for v in GET APPLY PATCH POST PUT; do
  for r in secrets deployments statefulsets cachemodes events; do
    idle_api=$((idle_api + $(api_delta "$state/api-idle-0" "$state/api-idle-1" "$v" "$r")))
  done
done
idle_api=$((idle_api + $(api_delta "$state/api-idle-0" "$state/api-idle-1" APPLY cachemodes status)))
measure after_idle
peak_rss=$(awk -v k="$(status_kb VmHWM)" 'BEGIN {printf "%.1f", k / 1024}')
mkdir -p "$(dirname "$out")"
cp "$state/m-after_idle.prom" "$side-metrics.prom"
{
  echo "kube-apiserver requests (apiserver_request_total deltas, all clients), from bench/run.sh $(date -u +%FT%TZ)"
  echo "== scenario 2: while the noise objects were created, until just before its measurement"
  api_table "$state/api-noise-0" "$state/api-noise-1"
  echo "== scenario 3: from just before the CacheModes were created until 5 s after all were Suspended"
  api_table "$state/api-scale-0" "$state/api-scale-1"
  echo "== scenario 4: the ${idle_s} s idle window"
  api_table "$state/api-idle-0" "$state/api-idle-1"
} >"$side-apiserver-requests.txt"
if [[ -n "${BENCH_NMT:-}" ]]; then cp "$state/nmt.txt" "$side-nmt.txt"; fi

# --- report --------------------------------------------------------------------------------------------------------
conv_cpu=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {printf "%.2f", b - a}')
conv_cores=$(awk -v a="$cpu0" -v b="$cpu1" -v w="$wall" 'BEGIN {printf "%.2f", (b - a) / w}')
restart_check=$([[ "$restarts" == "$apps" ]] && echo "OK" || echo "MISMATCH")
mem_row() { # label key
  printf '%-40s %7s %8s %8s %9s %9s %8s %10s %8s %7s  %s\n' "$1" "${row[$2.rss]}" "${row[$2.heaprss]}" \
    "$(awk -v r="${row[$2.rss]}" -v h="${row[$2.heaprss]}" 'BEGIN {printf "%.1f", r - h}')" "${row[$2.heap]}" \
    "${row[$2.committed]}" "${row[$2.live]}" "${row[$2.rssgc]}" "${row[$2.nonheap]}" "${row[$2.threads]}" \
    "${row[$2.load]}"
}
report() {
  echo "CacheMode operator benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), bench/run.sh"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)," \
    "load (1/5/15 min) at start $load_at_start; kernel $(uname -r)"
  echo "operator jar: sha256 $jar_sha..., $jar_source"
  echo "jvm: $(java -version 2>&1 | head -1); flags given: ${jvm_flags[*]}"
  echo "     resulting: ${jvm_ergonomics:-?}"
  echo "inputs: BENCH_APPS=$apps BENCH_NOISE_SECRETS=$noise_secrets BENCH_NOISE_DEPLOYMENTS=$noise_deployments" \
    "BENCH_IDLE_SECONDS=$idle_s BENCH_REPLICAS=$replicas BENCH_JVM_OPTS='${BENCH_JVM_OPTS:-}' BENCH_NMT=${BENCH_NMT:-}"
  echo
  echo "memory (MiB): RSS = VmRSS; heapRSS = resident part of the Java heap's mappings (smaps); restRSS = RSS - heapRSS;"
  echo "  heapUsed, nonHeap = jvm_memory_used_bytes; heapComm = committed heap (jcmd GC.heap_info);"
  echo "  liveHeap, RSSafterGC = after jcmd GC.run; load = 1/5/15-min load average when measured"
  printf '%-40s %7s %8s %8s %9s %9s %8s %10s %8s %7s  %s\n' scenario RSS heapRSS restRSS heapUsed heapComm liveHeap \
    RSSafterGC nonHeap threads load
  mem_row "1 idle, 0 CacheModes" idle
  mem_row "2 + ${noise_secrets} Secrets, ${noise_deployments} Deployments noise" noise
  mem_row "3 + ${apps} CacheModes Suspended" scale
  mem_row "4 after ${idle_s} s idle" after_idle
  echo "peak RSS (VmHWM) over the run: $peak_rss MiB"
  echo
  echo "start-up: ready (/readyz 200) ${startup_wall} s after launch, ${startup_cpu} CPU s"
  echo "noise: informer events received by the operator while it was created: $noise_events"
  echo "scale: $apps CacheModes created at t0 (load $load_scale); phases afterwards: $phases"
  echo "  all Suspended (kubectl wait returned): ${wall} s after t0; last Suspended in status.history: ${last_suspended} s after t0"
  echo "  per CacheMode (n=$conv_n; creationTimestamp and Deployment conditions have whole seconds)   p50    p95"
  printf '    %-74s %6s %6s\n' "created -> Suspended (max $conv_max s)" "$conv_p50" "$conv_p95" \
    "created -> RollingOut (operator: 2 s settle window, checks, write, restart)" "$split_out_p50" "$split_out_p95" \
    "RollingOut -> Suspended (controllers and kwok roll the Deployment out)" "$split_roll_p50" "$split_roll_p95" \
    "rollout complete (Deployment condition) -> Suspended (operator reacts)" "$react_p50" "$react_p95"
  echo "  kube-controller-manager logged $kcm_throttled client-side throttling waits over 1 s"
  echo "  operator CPU during convergence: ${conv_cpu} s over ${wall} s wall = ${conv_cores} cores on average"
  echo "  reconciles: started $rec_started, succeeded $rec_success, failed $rec_failed" \
    "($(awk -v r="$rec_started" -v n="$apps" 'BEGIN {printf "%.1f", r / n}') per CacheMode);" \
    "mean reconcile $(awk -v t="$rec_seconds" -v r="$rec_started" 'BEGIN {printf "%.0f", r ? t / r * 1000 : 0}') ms;" \
    "status history entries $transitions"
  echo "  CacheModes whose history is not [RollingOut, Suspended]: $odd_history"
  echo "  restarts: cachemode_restarts_total $restarts (expected $apps: $restart_check);" \
    "Deployments carrying the flag hash $hashed; ReplicaSets $replicasets (2 per restarted Deployment)"
  echo "  API writes (kube-apiserver counters): Secret patches $w_secret, Deployment patches $w_deploy," \
    "CacheMode status patches $w_status, Events on CacheModes $events_created (count $events_count):" \
    "$(awk -v t=$((w_secret + w_deploy + w_status + events_created)) -v n="$apps" 'BEGIN {printf "%.1f", t / n}') per CacheMode"
  echo "  API reads by name: Secret GET $r_secret, Deployment GET $r_deploy, StatefulSet GET $r_sts"
  echo "idle: operator CPU over ${idle_s} s: ${idle_cpu} s (${idle_mcores} millicores); reconciles $idle_rec;" \
    "API requests on Secrets/Deployments/StatefulSets/CacheModes/Events (all clients) $idle_api;" \
    "load $load_idle0 -> $load_idle1"
  echo "total bench wall time: $(($(date +%s) - bench_start)) s"
}
report | tee "$out"
((wait_rc == 0)) || die "not all CacheModes reached Suspended"
[[ "$restart_check" == OK ]] || die "cachemode_restarts_total=$restarts, expected $apps"
