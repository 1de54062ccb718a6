# shellcheck shell=bash disable=SC2154  # root, run, java, jvm_flags, jar, jcmd and reloader come from run.sh
# Shared harness of bench/run.sh (sourced, not run): the local control plane, one identity per tool, the two
# tools' processes with their memory samples, and kube-apiserver metric scrapes. Everything stays on loopback.
#
# Variables the caller sets before using it: root (repository), run (this run's output directory).
# Every mark/scrape lands in $run; analyze.py reads them (see the docstring there).

bench_log() { echo "[bench] $(date +%H:%M:%S) $*" >&2; }
bench_die() { echo "bench: $*" >&2; exit 1; }
now() { date +%s.%N; }

# --- control plane ----------------------------------------------------------------------------------------------

# cp_up STATE_DIR: testenv/up.sh, the CRD, the bench-system namespace, and one client certificate per tool
# (user bench-<tool>, group bench-tools bound to cluster-admin). Each user has its own FlowSchema, so
# kube-apiserver's apiserver_flowcontrol_dispatched_requests_total counts its requests apart from everyone else's.
cp_up() {
  state=$1
  bin=$("$root/testenv/build.sh")
  CACHEMODE_TESTENV_KCM_QPS=${BENCH_KCM_QPS:-} "$root/testenv/up.sh" "$state" >/dev/null
  kc apply --server-side -f "$root/crds/cachemodes.cachemode.io-v1.yml" >/dev/null
  kc wait --for=condition=Established --timeout=60s crd/cachemodes.cachemode.io >/dev/null
  kc create namespace bench-system >/dev/null
  kc create clusterrolebinding bench-tools --clusterrole=cluster-admin --group=bench-tools >/dev/null
  local server tool
  server=$(awk '/server:/ {print $2; exit}' "$state/kubeconfig")
  export BENCH_API=$server BENCH_CA=$state/pki/ca.crt BENCH_CERT=$state/pki/admin.crt BENCH_KEY=$state/pki/admin.key
  for tool in cachemode reloader; do
    openssl req -new -newkey rsa:2048 -nodes -subj "/O=bench-tools/CN=bench-$tool" -keyout "$state/pki/$tool.key" \
      -out "$state/pki/$tool.csr" 2>/dev/null
    openssl x509 -req -in "$state/pki/$tool.csr" -CA "$state/pki/ca.crt" -CAkey "$state/pki/ca.key" -CAcreateserial \
      -days 2 -out "$state/pki/$tool.crt" -extfile <(printf 'extendedKeyUsage=clientAuth\n') 2>/dev/null
    cat >"$state/kubeconfig-$tool" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: bench, cluster: {server: "$server", certificate-authority: "$state/pki/ca.crt"}}]
users: [{name: bench-$tool, user: {client-certificate: "$state/pki/$tool.crt", client-key: "$state/pki/$tool.key"}}]
contexts: [{name: bench, context: {cluster: bench, user: bench-$tool}}]
current-context: bench
EOF
    kc apply -f - >/dev/null <<EOF
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: {name: bench-$tool}
spec:
  priorityLevelConfiguration: {name: bench-tools}
  matchingPrecedence: 100
  distinguisherMethod: {type: ByUser}
  rules:
  - subjects: [{kind: User, user: {name: bench-$tool}}]
    resourceRules: [{verbs: ["*"], apiGroups: ["*"], resources: ["*"], namespaces: ["*"], clusterScope: true}]
    nonResourceRules: [{verbs: ["*"], nonResourceURLs: ["*"]}]
EOF
  done
  # A priority level of its own with a large share (no lending), so the tools are never queued by it.
  kc apply -f - >/dev/null <<EOF
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata: {name: bench-tools}
spec:
  type: Limited
  limited:
    nominalConcurrencyShares: 200
    lendablePercent: 0
    limitResponse: {type: Queue, queuing: {queues: 64, handSize: 6, queueLengthLimit: 50}}
EOF
}

kc() { "$bin/kubectl" --kubeconfig "$state/kubeconfig" "$@"; }

# cp_add_nodes N: N more kwok nodes (110 pods each), made like testenv/up.sh's kwok-node-0: kwok manages every
# node carrying the kwok.x-k8s.io/node=fake annotation.
cp_add_nodes() {
  local i
  for ((i = 1; i <= $1; i++)); do
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {type: kwok, kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64}
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
EOF
  done | kc apply -f - >/dev/null
  kc wait --for=condition=Ready --timeout=120s node --all >/dev/null
}

cp_down() { [[ -f "$state/pids" ]] && "$root/testenv/down.sh" "$state" >&2; }

driver() { python3 "$root/bench/driver.py" "$@"; }

# --- marks and scrapes ------------------------------------------------------------------------------------------

# mark LABEL [key value]...: one line in marks.jsonl with the time and the given string fields
mark() {
  local label=$1 args=()
  shift
  while (($# >= 2)); do args+=(--arg "$1" "$2"); shift 2; done
  jq -cn --arg label "$label" --argjson t "$(now)" "${args[@]}" '$ARGS.named + {t: $t}' >>"$run/marks.jsonl"
}

# api_scrape NAME: kube-apiserver's request counters into $run/api-NAME.prom; prints the file name
api_scrape() {
  kc get --raw /metrics |
    grep -E '^apiserver_(request_total|flowcontrol_dispatched_requests_total)\{' >"$run/api-$1.prom"
  echo "api-$1.prom"
}

# window_start/window_end NAME TOOL: marks around a measured window, with API and tool counter scrapes
window_start() { mark "$1-start" api "$(api_scrape "$1-start")" tool_metrics "$(tool_scrape "$2" "$1-start")"; }
window_end() { mark "$1-end" api "$(api_scrape "$1-end")" tool_metrics "$(tool_scrape "$2" "$1-end")"; }

# --- the tools --------------------------------------------------------------------------------------------------
declare -A tool_pid tool_port

# tool_start TOOL: launches it with its own kubeconfig, leader election on (Lease in bench-system), and waits
# until it serves its metrics (and, for this operator, /readyz). Marks TOOL-launch and TOOL-ready.
tool_start() {
  local tool=$1 log=$run/$1.log
  case $tool in
    cachemode)
      mark cachemode-launch identity bench-cachemode
      # BENCH_LEADER_ELECTION=false: no Lease (bench/jvm.sh: with it, SIGTERM deadlocks the JVM; see README)
      # BENCH_CACHEMODE_ENV: more environment for the operator only, e.g. the chart's MALLOC_ARENA_MAX=2
      local extra_env=()
      read -r -a extra_env <<<"${BENCH_CACHEMODE_ENV:-}"
      KUBECONFIG=$state/kubeconfig-cachemode HTTP_PORT=0 LEADER_ELECTION=${BENCH_LEADER_ELECTION:-true} \
        OPERATOR_NAMESPACE=bench-system POD_NAME=bench-cachemode \
        env "${extra_env[@]}" "$java" "${jvm_flags[@]}" -jar "$jar" >"$log" 2>&1 &
      ;;
    reloader)
      if (exec 3<>/dev/tcp/127.0.0.1/9090) 2>/dev/null; then bench_die "port 9090 (Reloader's fixed port) is in use"; fi
      mark reloader-launch identity bench-reloader
      # gctrace: one line per GC with the marked (live) heap, the Go counterpart of the JVM's heap after a full GC
      KUBECONFIG=$state/kubeconfig-reloader GODEBUG=gctrace=1 POD_NAME=bench-reloader POD_NAMESPACE=bench-system \
        "$reloader" --resources-to-ignore=configMaps --enable-ha >"$log" 2>&1 &
      ;;
  esac
  tool_pid[$tool]=$!
  local port="" _
  for _ in $(seq 1200); do
    kill -0 "${tool_pid[$tool]}" 2>/dev/null || { tail -n 20 "$log" >&2; bench_die "$tool exited during start-up"; }
    case $tool in
      cachemode)
        port=$(grep -o 'http port [0-9]*' "$log" | head -1 | cut -d' ' -f3 || true)
        [[ -n "$port" ]] && curl -sf --max-time 2 "http://127.0.0.1:$port/readyz" >/dev/null && break
        ;;
      reloader)
        port=9090
        curl -sf --max-time 2 "http://127.0.0.1:9090/metrics" >/dev/null && break
        ;;
    esac
    sleep 0.1
  done
  tool_port[$tool]=$port
  mark "$tool-ready"
  bench_log "$tool ready (pid ${tool_pid[$tool]}, port $port)"
}

tool_stop() {
  local pid=${tool_pid[$1]:-} _
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  # BENCH_STOP_GRACE: seconds before KILL (a JVM writing a CDS/AOT archive at exit needs more than the default 10)
  for _ in $(seq $((${BENCH_STOP_GRACE:-10} * 5))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  tool_pid[$1]=""
}

tool_stop_all() { local t; for t in cachemode reloader; do tool_stop "$t"; done; }

# tool_scrape TOOL NAME: the tool's own /metrics into $run/TOOL-NAME.prom; prints the file name (empty if not running)
tool_scrape() {
  [[ -n "${tool_pid[$1]:-}" ]] || return 0
  curl -sf --max-time 10 "http://127.0.0.1:${tool_port[$1]}/metrics" >"$run/$1-$2.prom" && echo "$1-$2.prom"
}

# jvm_heap_kb PID used|total: KiB of the Java heap from `jcmd GC.heap_info` ("garbage-first heap total 262144K,
# used 21350K" for G1; the young and tenured generations for Serial, "DefNew"/"Tenured" from JDK 25 on)
jvm_heap_kb() {
  "$jcmd" "$1" GC.heap_info | awk -v f="$2" '/(heap|generation|DefNew|Tenured) +total/ {for (i = 1; i < NF; i++)
    if ($i == f) {v = $(i + 1); sub(/K,?$/, "", v); t += v}} END {print t}'
}

proc_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# mem_sample TOOL LABEL: one line in memory.jsonl. RSS and peak RSS (VmRSS, VmHWM), threads, CPU seconds so far;
# the heap in use as found; the live heap: for the JVM, used heap after `jcmd GC.run` (a full GC), and the RSS after
# that GC (what a full GC gives back); for Go, the marked heap of the last GC (gctrace "A->B->C MB": C).
# With -XX:NativeMemoryTracking in the JVM flags, the JVM's own accounting before and after that GC lands in
# $run/nmt-LABEL.txt, and the largest classes of the live heap in $run/histo-LABEL.txt.
mem_sample() {
  local tool=$1 label=$2 pid=${tool_pid[$1]:-} used="" live="" committed="" rss_gc=""
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || { tail -n 5 "$run/$tool.log" >&2; bench_die "$tool (pid $pid) has exited; see $run/$tool.log"; }
  local rss hwm threads cpu
  rss=$(proc_kb "$pid" VmRSS) hwm=$(proc_kb "$pid" VmHWM) threads=$(proc_kb "$pid" Threads)
  cpu=$(awk -v c="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / c}' "/proc/$pid/stat")
  if [[ $tool == cachemode ]]; then
    used=$(jvm_heap_kb "$pid" used) committed=$(jvm_heap_kb "$pid" total)
    local nmt=""
    [[ " ${jvm_flags[*]} " != *" -XX:NativeMemoryTracking="* ]] || nmt=$run/nmt-$label.txt
    [[ -z "$nmt" ]] || { echo "# before GC.run"; "$jcmd" "$pid" VM.native_memory summary; } >"$nmt"
    "$jcmd" "$pid" GC.run >/dev/null
    live=$(jvm_heap_kb "$pid" used) rss_gc=$(proc_kb "$pid" VmRSS)
    if [[ -n "$nmt" ]]; then
      { echo "# after GC.run"; "$jcmd" "$pid" VM.native_memory summary; } >>"$nmt"
      "$jcmd" "$pid" GC.class_histogram | head -n 43 >"$run/histo-$label.txt"
    fi
  else
    used=$(curl -sf "http://127.0.0.1:9090/metrics" | awk '$1 == "go_memstats_heap_alloc_bytes" {printf "%d", $2 / 1024}')
    committed=$(curl -sf "http://127.0.0.1:9090/metrics" | awk '$1 == "go_memstats_heap_sys_bytes" {printf "%d", $2 / 1024}')
    live=$(grep -o '[0-9]*->[0-9]*->[0-9]* MB' "$run/reloader.log" | tail -1 | awk -F'->' '{print $3 * 1024}' | cut -d' ' -f1)
  fi
  jq -cn --arg tool "$tool" --arg lbl "$label" --argjson t "$(now)" --argjson rss "$rss" --argjson hwm "$hwm" \
    --argjson threads "$threads" --argjson cpu "$cpu" --argjson used "${used:-null}" --argjson live "${live:-null}" \
    --argjson committed "${committed:-null}" --argjson rss_gc "${rss_gc:-null}" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
    '{"tool": $tool, "label": $lbl, "t": $t, "rss_kb": $rss, "hwm_kb": $hwm, "threads": $threads, "cpu_s": $cpu,
      "heap_used_kb": $used, "heap_committed_kb": $committed, "live_heap_kb": $live, "rss_after_gc_kb": $rss_gc,
      "load": $load}' >>"$run/memory.jsonl"
  bench_log "memory $tool/$label: RSS $((rss / 1024)) MiB, live heap $((${live:-0} / 1024)) MiB, threads $threads"
}
