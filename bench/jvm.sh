#!/usr/bin/env bash
# JVM settings and reconcile threads of this operator, compared on one local control plane: for each variant, the
# operator is started (start-up to /readyz, first reconcile, Lease), measured idle, then all BENCH_APPS CacheModes
# are flipped at once (settle 0s) and it is measured again. Variants run one after the other; see bench/README.md.
#
#   bench/jvm.sh                                  all variants in bench/jvm-variants.txt
#   BENCH_VARIANTS="17-default 25-aot" bench/jvm.sh   some of them
#   BENCH_NOISE_SECRETS=10000 BENCH_NOISE_DEPLOYMENTS=1000 bench/jvm.sh
#                                                 with unrelated objects present (made once, before the variants)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh source-path=SCRIPTDIR/..
source "$root/bench/lib.sh"

apps=${BENCH_APPS:-200}
wait_s=${BENCH_WAIT_SECONDS:-600}
default_jar=${BENCH_JAR:-$root/operator/target/cachemode-operator.jar}
jar=$default_jar
java17=${BENCH_JAVA17:-java}
java25=${BENCH_JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
out=${BENCH_OUT:-$root/bench/results/jvm-$(date -u +%Y%m%d-%H%M)}
aot=$out/operator.aot
export BENCH_STOP_GRACE=${BENCH_STOP_GRACE:-180} BENCH_LEADER_ELECTION=${BENCH_LEADER_ELECTION:-false}
[[ -f "$jar" ]] || bench_die "no jar at $jar (mvn package, or set BENCH_JAR)"

# name | java | RECONCILE_THREADS | JVM flags [| environment, e.g. MALLOC_ARENA_MAX=2 [| jar, default BENCH_JAR]]
variants_file=${BENCH_VARIANTS_FILE:-$root/bench/jvm-variants.txt}
mapfile -t variants < <(grep -v '^#' "$variants_file" | grep -v '^ *$')

on_exit() {
  local rc=$?
  tool_stop_all
  [[ -z "${watch_pid:-}" ]] || kill "$watch_pid" 2>/dev/null || true
  [[ -z "${state:-}" ]] || cp_down || true
  exit "$rc"
}
trap on_exit EXIT

mkdir -p "$out"
st=$(mktemp -d "${TMPDIR:-/tmp}/cachemode-bench.XXXXXX")
run=$out
cp_up "$st"
python3 "$root/bench/driver.py" watch --ns bench-cm bench-start bench-system --log "$out/events.jsonl" \
  >/dev/null 2>"$out/watch.log" &
watch_pid=$!
driver apps --ns bench-start --count 1
driver apps --ns bench-cm --count "$apps"
driver cachemodes --ns bench-cm --count "$apps"
# warm-up, not measured: the first start writes every flag and restarts every app
run=$out/warmup jvm_flags=(-Xmx256m) java=$java17
jcmd=$(dirname "$(readlink -f "$(command -v "$java")")")/jcmd
mkdir -p "$run"
tool_start cachemode
kc -n bench-cm wait --for=jsonpath='{.status.phase}'=Suspended cachemodes --all --timeout="${wait_s}s" >/dev/null
tool_stop cachemode
if ((${BENCH_NOISE_SECRETS:-0} + ${BENCH_NOISE_DEPLOYMENTS:-0} > 0)); then
  driver noise --ns bench-noise --secrets "${BENCH_NOISE_SECRETS:-0}" --deployments "${BENCH_NOISE_DEPLOYMENTS:-0}"
fi
value=false
for line in "${variants[@]}"; do
  IFS='|' read -r name which threads flags envs variant_jar <<<"$line"
  name=$(echo "$name" | xargs) which=$(echo "$which" | xargs) threads=$(echo "$threads" | xargs)
  variant_jar=$(echo "${variant_jar:-}" | xargs)
  [[ -z "${BENCH_VARIANTS:-}" || " $BENCH_VARIANTS " == *" $name "* ]] || continue
  jar=${variant_jar:-$default_jar}
  [[ -f "$jar" ]] || bench_die "variant $name: no jar at $jar"
  if [[ $which == 25 ]]; then java=$java25; else java=$java17; fi
  jcmd=$(dirname "$(readlink -f "$(command -v "$java")")")/jcmd
  read -r -a jvm_flags <<<"${flags//@AOT@/$aot}"
  run=$out/$name
  mkdir -p "$run"
  read -r -a variant_env <<<"${envs:-}"
  jq -cn --arg java "$("$java" -version 2>&1 | head -1)" --arg flags "${jvm_flags[*]}" --arg threads "$threads" \
    --arg env "${variant_env[*]}" --arg jar "$(basename "$jar")" '$ARGS.named' >"$run/meta.jsonl"
  cp "$out/events.jsonl" "$run/events.jsonl" 2>/dev/null || true
  # a fresh probe CacheMode, so the first reconcile after launch writes its status; its finalizer is dropped by hand
  # (no operator is running to release the claim)
  kc -n bench-start delete cachemode --all --wait=false >/dev/null
  kc -n bench-start patch cachemode app-0001-redis --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
  kc -n bench-start wait --for=delete cachemode/app-0001-redis --timeout=60s >/dev/null 2>&1 || true
  driver cachemodes --ns bench-start --count 1
  bench_log "variant $name: $java ${jvm_flags[*]} -jar $jar (RECONCILE_THREADS=$threads)"
  export RECONCILE_THREADS=$threads
  BENCH_CACHEMODE_ENV="${variant_env[*]}" tool_start cachemode
  sleep 10
  mem_sample cachemode idle
  window_start cachemode-scale cachemode
  driver change --tool cachemode --ns bench-cm --apps "1-$apps" --value "$value" --settle 0s \
    --label cachemode-scale --log "$run/changes.jsonl"
  sleep 1
  driver wait --changes "$run/changes.jsonl" --events "$out/events.jsonl" --tool cachemode \
    --label cachemode-scale --timeout "$wait_s" || bench_die "variant $name: not every change was done"
  sleep 5
  window_end cachemode-scale cachemode
  mem_sample cachemode apps
  tool_stop cachemode
  cp "$out/events.jsonl" "$run/events.jsonl"
  python3 "$root/bench/analyze.py" run "$run"
  if [[ $value == false ]]; then value=true; else value=false; fi
done
python3 "$root/bench/report.py" "$out" >"$out/report.md"
bench_log "report: $out/report.md"
