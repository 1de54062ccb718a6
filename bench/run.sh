#!/usr/bin/env bash
# Benchmark of the CacheMode operator side by side with Stakater Reloader, on one local control plane per run
# (testenv/up.sh, everything on loopback). See bench/README.md for what each figure means and how to get Reloader.
#
#   BENCH_RELOADER=/path/to/reloader-src-or-binary bench/run.sh
#
# Each run: start the control plane, then the scenarios below in this order; after all runs, analyze.py and
# report.py write bench/README's tables (bench/results/<name>/report.md) and chart.py the PNG chart.
# The harness (control plane, tools, scrapes) is bench/lib.sh; the workload and the watcher bench/driver.py.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh source-path=SCRIPTDIR/..
source "$root/bench/lib.sh"

apps=${BENCH_APPS:-200}               # managed apps per tool (Secret + Deployment; a CacheMode for this operator)
changes=${BENCH_CHANGES:-200}         # paced changes per latency scenario (apps 1..changes, one change each)
interval=${BENCH_INTERVAL:-0.25}      # seconds between paced changes
replicas=${BENCH_REPLICAS:-0}         # replicas per Deployment: 0 = instant rollouts; 1 = one kwok pod each
runs=${BENCH_RUNS:-3}
idle_s=${BENCH_IDLE_SECONDS:-60}
noise_secrets=${BENCH_NOISE_SECRETS:-10000}
noise_deployments=${BENCH_NOISE_DEPLOYMENTS:-1000}
wait_s=${BENCH_WAIT_SECONDS:-900}     # longest wait for one scenario's changes to be done
tools=${BENCH_TOOLS:-cachemode reloader}
java=${BENCH_JAVA:-java}
jcmd=$(dirname "$(readlink -f "$(command -v "$java")")")/jcmd
read -r -a jvm_flags <<<"${BENCH_JVM_OPTS:--Xmx256m}"
out=${BENCH_OUT:-$root/bench/results/$(date -u +%Y%m%d-%H%M)-apps$apps}
# kwok nodes so that every pod fits while each app rolls out (2 pods per app at most, 110 pods per node)
nodes=${BENCH_KWOK_NODES:-$(((2 * apps * replicas + 109) / 110))}
# BENCH_KCM_QPS: kube-controller-manager's client QPS (burst twice that) instead of its default 20 (see README)

for t in curl jq openssl python3 "$java" "$jcmd"; do command -v "$t" >/dev/null || bench_die "needs $t"; done
[[ "$replicas" =~ ^[01]$ ]] || bench_die "BENCH_REPLICAS must be 0 or 1"
((changes <= apps)) || bench_die "BENCH_CHANGES ($changes) must not exceed BENCH_APPS ($apps)"

# --- the two tools ------------------------------------------------------------------------------------------------
if [[ -n "${BENCH_JAR:-}" ]]; then
  jar=$BENCH_JAR
else
  bench_log "building the operator jar"
  (cd "$root" && mvn -B -q -o -Dmaven.test.skip=true package) || bench_die "the build failed; fix it or set BENCH_JAR"
  jar=$root/operator/target/cachemode-operator.jar
fi
[[ -f "$jar" ]] || bench_die "no jar at $jar"
reloader=""
if [[ " $tools " == *" reloader "* ]]; then
  src=${BENCH_RELOADER:?set BENCH_RELOADER to Reloader v1.4.10 source (a directory) or its binary; see bench/README.md}
  if [[ -d "$src" ]]; then
    [[ -x "$src/reloader" ]] || (cd "$src" && go build -trimpath -o reloader .) || bench_die "go build in $src failed"
    reloader=$src/reloader
  else
    reloader=$src
  fi
fi
# spec.rollout.settle: measured at 0s and at its default, 2s (set explicitly: the spec keeps the previous scenario's
# value otherwise); a CRD without the field gets the built-in window only (label settle-default)
if grep -q '^ *settle:' "$root/crds/cachemodes.cachemode.io-v1.yml"; then settles=(0s 2s); else settles=(default); fi

# --- scenarios: one function each; they run with the control plane up and write into $run ------------------------

ns_of() { if [[ $1 == cachemode ]]; then echo bench-cm; else echo bench-rl; fi; }

wait_done() { # tool label
  driver wait --changes "$run/changes.jsonl" --events "$run/events.jsonl" --tool "$1" --label "$2" --timeout "$wait_s" ||
    bench_die "$2: not every change was done"
}

# Start-up: one CacheMode exists before the operator starts; launch -> first status write, launch -> Lease held
scenario_startup() {
  tool_start "$1"
  sleep 10
  mem_sample "$1" idle
}

# Scale: every app changed at once. This operator: the CacheModes are created (suspend: true), then all are
# flipped to false together; Reloader: every Secret's flag written together.
scenario_scale() {
  local tool=$1
  if [[ $tool == cachemode ]]; then
    window_start cachemode-create cachemode
    mark cachemode-create-t0
    driver cachemodes --ns bench-cm --count "$apps"
    kc -n bench-cm wait --for=jsonpath='{.status.phase}'=Suspended cachemodes --all --timeout="${wait_s}s" >/dev/null
    sleep 5
    window_end cachemode-create cachemode
    window_start cachemode-scale cachemode
    driver change --tool cachemode --ns bench-cm --apps "1-$apps" --value false --label cachemode-scale \
      --log "$run/changes.jsonl" "${settle_args[@]}"
  else
    window_start reloader-scale reloader
    driver change --tool reloader --ns bench-rl --apps "1-$apps" --value false --label reloader-scale \
      --log "$run/changes.jsonl"
  fi
  wait_done "$tool" "$tool-scale"
  sleep 5
  window_end "$tool-scale" "$tool"
  mem_sample "$tool" apps
}

# Latency: $changes changes, one every $interval s, each to another app; for this operator once per settle value
scenario_latency() {
  local tool=$1 settle=$2 value=$3 label args=()
  label=$tool-latency${settle:+-settle-$settle}
  if [[ $tool == cachemode && $settle != default ]]; then args=(--settle "$settle"); fi
  window_start "$label" "$tool"
  driver change --tool "$tool" --ns "$(ns_of "$tool")" --apps "1-$changes" --value "$value" \
    --interval "$interval" --label "$label" --log "$run/changes.jsonl" "${args[@]}"
  wait_done "$tool" "$label"
  sleep 5
  window_end "$label" "$tool"
}

# Idle: nothing changes for $idle_s s; every API request in the window is counted
scenario_idle() {
  sleep 5
  window_start "$1-idle" "$1"
  sleep "$idle_s"
  window_end "$1-idle" "$1"
}

# Noise: unrelated Secrets (4 KiB each) and Deployments in another namespace, with both tools running
scenario_noise() {
  local t
  for t in $tools; do mem_sample "$t" before-noise; done
  window_start noise cachemode
  driver noise --ns bench-noise --secrets "$noise_secrets" --deployments "$noise_deployments"
  sleep 20
  window_end noise cachemode
  for t in $tools; do mem_sample "$t" noise; done
}

one_run() {
  run=$1
  mkdir -p "$run"
  local st
  st=$(mktemp -d "${TMPDIR:-/tmp}/cachemode-bench.XXXXXX")
  bench_log "run $run: control plane in $st, load $(cut -d' ' -f1-3 /proc/loadavg)"
  cp_up "$st"
  ((nodes == 0)) || cp_add_nodes "$nodes"
  # python3 itself in the background (not the driver function), so that $! is the watcher and kill stops it
  python3 "$root/bench/driver.py" watch --ns bench-cm bench-rl bench-start bench-system --log "$run/events.jsonl" \
    >/dev/null 2>"$run/watch.log" &
  watch_pid=$!
  jq -cn --arg jar "$jar" --arg jar_sha "$(sha256sum "$jar" | cut -c1-16)" --arg java "$("$java" -version 2>&1 | head -1)" \
    --arg jvm "${jvm_flags[*]}" --arg jvm_env "${BENCH_CACHEMODE_ENV:-}" --arg reloader "$reloader" --arg apps "$apps" --arg changes "$changes" \
    --arg interval "$interval" --arg replicas "$replicas" --arg nodes "$nodes" --arg settles "${settles[*]}" \
    --arg kcm_qps "${BENCH_KCM_QPS:-20 (default)}" --arg kernel "$(uname -r)" --arg cores "$(nproc)" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
    '$ARGS.named' >"$run/meta.jsonl"
  driver apps --ns bench-start --count 1 --replicas "$replicas"
  driver cachemodes --ns bench-start --count 1
  driver apps --ns bench-cm --count "$apps" --replicas "$replicas"
  if [[ " $tools " == *" cachemode "* ]]; then
    settle_args=()
    [[ ${settles[0]} == default ]] || settle_args=(--settle "${settles[0]}")
    scenario_startup cachemode
    scenario_scale cachemode
    local value=true s
    for s in "${settles[@]}"; do
      scenario_latency cachemode "$s" "$value"
      if [[ $value == true ]]; then value=false; else value=true; fi
    done
    scenario_idle cachemode
  fi
  if [[ " $tools " == *" reloader "* ]]; then
    scenario_startup reloader
    driver apps --ns bench-rl --count "$apps" --replicas "$replicas" --reloader
    kc -n bench-rl wait --for=condition=Available deployment --all --timeout="${wait_s}s" >/dev/null
    scenario_scale reloader
    scenario_latency reloader "" true
    scenario_idle reloader
  fi
  scenario_noise
  tool_stop_all
  kill "$watch_pid" 2>/dev/null || true
  wait "$watch_pid" 2>/dev/null || true
  cp_down || true
  python3 "$root/bench/analyze.py" run "$run"
}

on_exit() {
  local rc=$?
  tool_stop_all
  [[ -z "${watch_pid:-}" ]] || kill "$watch_pid" 2>/dev/null || true
  [[ -z "${state:-}" ]] || cp_down || true
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$out"
for ((r = 1; r <= runs; r++)); do one_run "$out/run-$r"; done
dirs=()
for ((r = 1; r <= runs; r++)); do dirs+=("$out/run-$r"); done
python3 "$root/bench/analyze.py" report "$out/report.md" "${dirs[@]}"
python3 "$root/bench/chart.py" "$out/chart.png" "${dirs[@]}" || bench_log "no chart (needs matplotlib)"
bench_log "report: $out/report.md"
