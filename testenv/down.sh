#!/usr/bin/env bash
# Stops a control plane started by testenv/up.sh and removes its state directory.
#
#   testenv/down.sh STATE_DIR
#
# Sends TERM to every process listed in STATE_DIR/pids (etcd last), KILL to those still running after a grace
# period (CACHEMODE_TESTENV_GRACE seconds, default 10), then checks that none is left. A pid counts as ours only
# while its command line mentions STATE_DIR, so a recycled pid is never signalled.
set -euo pipefail
state=${1:?usage: down.sh STATE_DIR}
[[ -d "$state" ]] || { echo "down.sh: $state does not exist; nothing to stop" >&2; exit 0; }
state=$(cd "$state" && pwd)
grace=${CACHEMODE_TESTENV_GRACE:-10}

ours() { # pid: running (not a zombie) and started for this state dir
  local st
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ "$st" != Z ]] && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$state/"
}

# The owner watcher (see up.sh) is not needed any more, unless it is the one running us.
if [[ -f "$state/watcher.pid" ]]; then
  watcher=$(<"$state/watcher.pid")
  [[ "$watcher" == "$PPID" ]] || kill "$watcher" 2>/dev/null || true
fi

stop() { # pids...: TERM, wait up to $grace seconds, KILL the rest, wait until all are gone
  local pid deadline=$(($(date +%s) + grace))
  for pid in "$@"; do if ours "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi; done
  while [[ -n "$(left "$@")" ]] && (($(date +%s) < deadline)); do sleep 0.2; done
  for pid in $(left "$@"); do
    echo "down.sh: pid $pid ignored TERM for ${grace}s; sending KILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  done
  for _ in $(seq 50); do [[ -z "$(left "$@")" ]] && break; sleep 0.1; done
}
left() { local p; for p in "$@"; do if ours "$p"; then echo "$p"; fi; done; }

# etcd goes last: a kube-apiserver whose etcd is gone hangs in its graceful shutdown.
others=() etcd=()
if [[ -f "$state/pids" ]]; then
  while read -r pid name; do
    if [[ "$name" == etcd ]]; then etcd+=("$pid"); elif [[ -n "$pid" ]]; then others+=("$pid"); fi
  done <"$state/pids"
fi
stop "${others[@]}"
stop "${etcd[@]}"
remaining=$(left "${others[@]}" "${etcd[@]}" | tr '\n' ' ')
if [[ -n "$remaining" ]]; then
  echo "down.sh: still running: ${remaining}(state kept in $state)" >&2
  exit 1
fi
rm -rf "$state"
