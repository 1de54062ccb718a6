# Shell functions shared by the testenv scripts (sourced, not run).
# shellcheck shell=bash

used=" " # ports already picked by this run; a caller adds each port it takes: p=$(free_port); used+="$p "

# free_port: prints a random loopback port, outside the usual ephemeral range, that nobody listens on yet.
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 12000))
    [[ "$used" == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port found" >&2; return 1
}
