# shellcheck shell=bash
# tools/stack/supervise.sh: keep a set of processes running (sourced by start.sh, needs lib.sh's say).
#
#   sup_add NAME LOG COMMAND...   start COMMAND now, output appended to LOG, and keep it running
#   sup_pid NAME                  print NAME's current pid (empty while a restart is pending)
#   sup_run                       supervise until killed: a process that exits is restarted after
#                                 a backoff, the others are left alone
#   sup_stop                      SIGTERM everything started, SIGKILL what is left after
#                                 SUPERVISE_STOP_TIMEOUT seconds, and wait for all of it
#
# Backoff: SUPERVISE_BACKOFF_MIN seconds (1) before the first restart, doubling up to
# SUPERVISE_BACKOFF_MAX (30); a process that stayed up SUPERVISE_STABLE_SECS (60) starts over
# at the minimum. A pending restart is a `sleep` child, so `wait -n` wakes for both app exits
# and timers, and a trapped INT/TERM interrupts it at once.

SUPERVISE_BACKOFF_MIN=${SUPERVISE_BACKOFF_MIN:-1}
SUPERVISE_BACKOFF_MAX=${SUPERVISE_BACKOFF_MAX:-30}
SUPERVISE_STABLE_SECS=${SUPERVISE_STABLE_SECS:-60}
SUPERVISE_STOP_TIMEOUT=${SUPERVISE_STOP_TIMEOUT:-15}

declare -A sup_cmd=() sup_log=() sup_pids=() sup_since=() sup_delay=()
# pid -> "app NAME" or "timer NAME": every child the loop waits for.
declare -A sup_child=()
sup_names=()

sup_add() {
  local name=$1 log=$2
  shift 2
  sup_names+=("$name")
  sup_cmd[$name]=$(printf '%q ' "$@")
  sup_log[$name]=$log
  sup_delay[$name]=0
  sup_spawn "$name"
}

sup_spawn() {
  local name=$1 pid
  # The subshell execs the command, so $! is the app's own pid (and signals reach it).
  (
    exec >>"${sup_log[$name]}" 2>&1
    eval "exec ${sup_cmd[$name]}"
  ) &
  pid=$!
  sup_pids[$name]=$pid
  sup_since[$name]=$SECONDS
  sup_child[$pid]="app $name"
  say "started $name (pid $pid)"
}

sup_pid() { printf '%s\n' "${sup_pids[$1]:-}"; }

# How a wait status reads to a person: "signal KILL" or "code 3".
sup_describe_status() {
  local status=$1
  if ((status > 128)) && kill -l "$((status - 128))" >/dev/null 2>&1; then
    printf 'signal %s\n' "$(kill -l "$((status - 128))")"
  else
    printf 'code %s\n' "$status"
  fi
}

sup_next_delay() {
  local name=$1 prev=${sup_delay[$1]}
  if ((prev == 0 || SECONDS - ${sup_since[$name]} >= SUPERVISE_STABLE_SECS)); then
    sup_delay[$name]=$SUPERVISE_BACKOFF_MIN
  else
    sup_delay[$name]=$((prev * 2 > SUPERVISE_BACKOFF_MAX ? SUPERVISE_BACKOFF_MAX : prev * 2))
  fi
}

sup_on_exit() {
  local pid=$1 status=$2 kind name timer
  read -r kind name <<<"${sup_child[$pid]}"
  unset "sup_child[$pid]"
  if [[ $kind == tick ]]; then
    sup_tick
    return 0
  fi
  if [[ $kind == timer ]]; then
    sup_spawn "$name"
    return 0
  fi
  sup_pids[$name]=
  sup_next_delay "$name"
  say "$name exited ($(sup_describe_status "$status")); restarting in ${sup_delay[$name]} s (log: ${sup_log[$name]})"
  sleep "${sup_delay[$name]}" &
  timer=$!
  sup_child[$timer]="timer $name"
}

# A child that exited while the shell ran other commands (start.sh waiting for readiness) may
# have been reaped, reported and dropped from bash's job table, and `wait -n` ignores it from
# then on; `wait PID` still has its status. So look for those before every wait, and keep a
# tick child so that the wait wakes up every SUPERVISE_TICK_SECS to look again.
sup_collect_gone() {
  local pid status
  for pid in "${!sup_child[@]}"; do
    kill -0 "$pid" 2>/dev/null && continue
    status=0
    wait "$pid" 2>/dev/null || status=$?
    sup_on_exit "$pid" "$status"
  done
}

sup_tick() {
  sleep "${SUPERVISE_TICK_SECS:-5}" &
  sup_child[$!]="tick -"
}

sup_run() {
  local pid status
  sup_tick
  while ((${#sup_child[@]} > 0)); do
    sup_collect_gone
    pid='' status=0
    # 2>/dev/null: bash's own report of a dropped job; sup_on_exit says it better.
    wait -n -p pid "${!sup_child[@]}" 2>/dev/null || status=$?
    # A trapped signal interrupts wait without a pid; its trap does the stopping.
    [[ -n $pid && -n ${sup_child[$pid]:-} ]] || continue
    sup_on_exit "$pid" "$status"
  done
}

sup_stop() {
  local pid deadline alive
  for pid in "${!sup_child[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  deadline=$((SECONDS + SUPERVISE_STOP_TIMEOUT))
  while :; do
    alive=()
    for pid in "${!sup_child[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then alive+=("$pid"); fi
    done
    ((${#alive[@]} > 0)) || break
    if ((SECONDS >= deadline)); then
      say "still running after ${SUPERVISE_STOP_TIMEOUT}s, sending SIGKILL to ${alive[*]}"
      kill -KILL "${alive[@]}" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  for pid in "${!sup_child[@]}"; do wait "$pid" 2>/dev/null || true; done
  sup_child=()
}
