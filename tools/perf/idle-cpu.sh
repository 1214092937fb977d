#!/usr/bin/env bash
# Idle CPU of one process: starts it, lets it settle, then reads its utime+stime from
# /proc/<pid>/stat over a window, and how busy the whole machine was meanwhile.
#
#   tools/perf/idle-cpu.sh [--warmup S] [--window S] [--also PID] -- ENV=… node dist/apps/gateway/main.js
#
# Prints one line: process % of one core, machine busy % of all cores; with --also, the same
# window's % for an already running process too (e.g. the Kafka broker it talks to). The process is stopped
# (SIGTERM, then SIGKILL after 10 s) at the end; its output goes to $IDLE_CPU_LOG (/dev/null).
set -euo pipefail

warmup=20
window=30
also=
while [[ $# -gt 0 ]]; do
  case $1 in
    --warmup) warmup=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --also) also=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [--warmup S] [--window S] -- command…" >&2; exit 2 ;;
  esac
done
[[ $# -gt 0 ]] || { echo "no command" >&2; exit 2; }

env "$@" >"${IDLE_CPU_LOG:-/dev/null}" 2>&1 &
pid=$!
stop() {
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
trap stop EXIT

# Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name): utime, stime in ticks.
proc_ticks() { sed 's/^.*) //' "/proc/${1:-$pid}/stat" | awk '{ print $12 + $13 }'; }
# cpu line of /proc/stat: total and idle (idle + iowait) ticks of all cores.
machine_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $5 + $6 }' /proc/stat; }

sleep "$warmup"
kill -0 "$pid" 2>/dev/null || { echo "process exited during warm-up" >&2; exit 1; }
p0=$(proc_ticks); a0=$([[ -n $also ]] && proc_ticks "$also" || echo 0); read -r t0 i0 < <(machine_ticks); s0=$(date +%s.%N)
sleep "$window"
p1=$(proc_ticks); a1=$([[ -n $also ]] && proc_ticks "$also" || echo 0); read -r t1 i1 < <(machine_ticks); s1=$(date +%s.%N)
hz=$(getconf CLK_TCK)
awk -v p="$((p1 - p0))" -v hz="$hz" -v s0="$s0" -v s1="$s1" -v t="$((t1 - t0))" -v i="$((i1 - i0))" -v n="$(nproc)" \
  -v a="$((a1 - a0))" -v also="$also" \
  'BEGIN {
    printf "process %.2f %% of one core over %.0f s; machine %.0f %% busy (%d cores)", 100 * p / hz / (s1 - s0), s1 - s0, 100 * (t - i) / t, n
    if (also != "") printf "; pid %s %.2f %%", also, 100 * a / hz / (s1 - s0)
    printf "\n"
  }'
