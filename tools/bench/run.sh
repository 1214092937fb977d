#!/usr/bin/env bash
# `npm run bench`: the benchmarks of docs/benchmarks.md, platform and peer side by side, one command.
#
#   bash tools/bench/run.sh [--short] [--only chat,ramp,connections,lowload,idle] [--systems platform,peer,centrifugo] [--profile]
#                           [--skip-build] [--out DIR]
#
#   --short       a sanity run of a few minutes (small workloads); results go to .local/bench/short,
#                 docs/benchmarks* are left alone
#   --only LIST   run only these scenarios (the report still uses the latest result of the others):
#                 chat (1,000 msg/s), ramp, connections, lowload (10 msg/s, same topology), idle (no
#                 clients: the CPU of every process of the system, Kafka, Redis, PostgreSQL at rest)
#   --systems L   measure only these systems (default platform,peer,centrifugo; centrifugo is built
#                 with go install the first time, a few minutes; one alone is for iterating on a change:
#                 the report pairs it with the others' results in the same results folder, if any)
#   --profile     run gateway A and analytics under `node --cpu-prof` in chat and ramp, counting
#                 their Kafka requests (tools/bench/kafka-requests.cjs), and print gateway A's hot
#                 spots (analytics' profile is left in .local/bench/profiles); in
#                 connections, also measure live memory per socket after a full GC
#                 (tools/bench/memory-probe.cjs). Use with --out DIR: it perturbs the figures
#   --skip-build  use dist/ as it is
#   --out DIR     write results to DIR/results and charts to DIR (default: docs/benchmarks, or
#                 .local/bench/short with --short); the tables go into docs/benchmarks.md only
#                 for a full run into the default directory
#
# Starts the infrastructure that is not running (and stops it again at the end), builds gateway,
# message-persister, loadgen and peer-baseline, then for each scenario starts a fresh copy of the
# system under test, runs the load generator against it and stops it:
#   platform  message-persister :3210, presence :3220, analytics :3230, the web client :3240 and
#             gateways :3200 :3201, as `npm start` runs them (beside a dev `npm start`, not on top of it)
#   peer      two peer-baseline instances :3300 :3301 joined by @socket.io/redis-adapter
#   centrifugo two Centrifugo $CENTRIFUGO_VERSION nodes :3400 :3401 on its Redis engine (Redis db 2,
#             key prefix bench-centrifugo), namespace chat with history, recovery and client
#             publish, HS256 tokens with the same secret (ADR 0023)
# The load generator, Kafka, Redis and PostgreSQL run on the same machine throughout.
set -euo pipefail
# shellcheck source=tools/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../stack/lib.sh"
# shellcheck source=tools/stack/node-deps.sh
source "$STACK_DIR/node-deps.sh"
# shellcheck source=tools/stack/centrifugo.sh
source "$STACK_DIR/centrifugo.sh"

GATEWAY_A_PORT=${BENCH_GATEWAY_A_PORT:-3200}
GATEWAY_B_PORT=${BENCH_GATEWAY_B_PORT:-3201}
PERSISTER_PORT=${BENCH_PERSISTER_PORT:-3210}
PRESENCE_PORT=${BENCH_PRESENCE_PORT:-3220}
ANALYTICS_PORT=${BENCH_ANALYTICS_PORT:-3230}
WEB_PORT=${BENCH_WEB_PORT:-3240}
PEER_A_PORT=${BENCH_PEER_A_PORT:-3300}
PEER_B_PORT=${BENCH_PEER_B_PORT:-3301}
CENTRIFUGO_A_PORT=${BENCH_CENTRIFUGO_A_PORT:-3400}
CENTRIFUGO_B_PORT=${BENCH_CENTRIFUGO_B_PORT:-3401}
# Apart from the platform's keys (db 0) and from other Centrifugo setups (the prefix also
# separates the PUB/SUB channels, which Redis shares across databases).
CENTRIFUGO_REDIS_DB=${BENCH_CENTRIFUGO_REDIS_DB:-2}
CENTRIFUGO_REDIS_PREFIX=bench-centrifugo
SECRET=${BENCH_JWT_SECRET:-bench-secret}
# Per-connection send limits far above any workload here: the benchmark measures the pipeline.
SEND_LIMIT=${BENCH_SEND_LIMIT:-100000}
BENCH_LOG_DIR=$LOG_DIR/bench

short=no
only=chat,ramp,connections,lowload,idle
systems=platform,peer,centrifugo
profile=no
build=yes
out=
while (($# > 0)); do
  case $1 in
    --short) short=yes ;;
    --only) only=$2; shift ;;
    --only=*) only=${1#--only=} ;;
    --systems) systems=$2; shift ;;
    --systems=*) systems=${1#--systems=} ;;
    --profile) profile=yes ;;
    --skip-build) build=no ;;
    --out) out=$2; shift ;;
    --out=*) out=${1#--out=} ;;
    -h | --help) sed -n '2,29p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

publish=no
if [[ -z $out ]]; then
  if [[ $short == yes ]]; then out=$LOCAL_DIR/bench/short; else out=$REPO/docs/benchmarks; publish=yes; fi
fi
RESULTS=$out/results
PROFILE_DIR=$LOCAL_DIR/bench/profiles
LOADGEN=("node" "$REPO/dist/apps/loadgen/main.js")

# Workloads. Full: the issue's scenarios. Short: the same shapes, small and quick.
if [[ $short == yes ]]; then
  CHAT_ARGS=(--users 200 --rooms 20 --members 10 --rate 1 --duration 12 --warmup 2 --drain-ms 5000)
  RAMP_ARGS=(--users 200 --rooms 20 --members 10 --rates "100,200,400,800,1600,3200" --step-duration 4 --drain-ms 3000)
  CONN_ARGS=(--connections 1000 --hold 3 --connect-concurrency 100)
  LOWLOAD_ARGS=(--users 200 --rooms 20 --members 10 --rate 0.05 --duration 8 --warmup 2 --drain-ms 3000)
  IDLE_ARGS=(--duration 5)
else
  CHAT_ARGS=(--users 1000 --rooms 100 --members 10 --rate 1 --duration 70 --warmup 10 --drain-ms 15000)
  RAMP_ARGS=(--users 1000 --rooms 100 --members 10 --rates "100,250,500,750,1000,1500,2000,2500,3000,4000,5000,6000,8000" --step-duration 15 --drain-ms 5000)
  CONN_ARGS=(--connections 10000 --hold 10 --connect-concurrency 200)
  # 10 msg/s in, the chat scenario's topology: what one message costs when nothing queues.
  LOWLOAD_ARGS=(--users 1000 --rooms 100 --members 10 --rate 0.01 --duration 35 --warmup 5 --drain-ms 5000)
  # A fresh system left alone after it is ready: consumers polling, heartbeats, timers.
  IDLE_ARGS=(--duration 30)
fi

app_pids=()
app_names=()
infra_started=()
failures=0

stop_apps() {
  local i pid deadline
  for i in "${!app_pids[@]}"; do kill -TERM "${app_pids[$i]}" 2>/dev/null || true; done
  for i in "${!app_pids[@]}"; do
    pid=${app_pids[$i]}
    deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null; do
      if ((SECONDS >= deadline)); then
        say "${app_names[$i]} (pid $pid) still running after 30s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
    wait "$pid" 2>/dev/null || true
  done
  app_pids=()
  app_names=()
}

finish() {
  local status=$?
  trap - EXIT INT TERM
  stop_apps
  local name
  for name in "${infra_started[@]}"; do
    case $name in
      postgres) stop_owned postgres INT ;;
      *) stop_owned "$name" TERM ;;
    esac
  done
  say "bench: total $((SECONDS))s, exit $status"
  exit "$status"
}

# start_app NAME DIST_APP [NODE_FLAGS...] -- ENV...
start_app() {
  local name=$1 app=$2
  shift 2
  local -a flags=()
  while (($# > 0)) && [[ $1 != -- ]]; do flags+=("$1"); shift; done
  shift
  env "$@" node "${flags[@]}" "$REPO/dist/apps/$app/main.js" >>"$BENCH_LOG_DIR/$name.log" 2>&1 &
  app_pids+=($!)
  app_names+=("$name")
}

bench_wait_ready() {
  local name=$1 port=$2 i
  for ((i = 0; i < 240; i++)); do
    if http_ready "$port"; then return 0; fi
    sleep 0.5
  done
  die "$name not ready on port $port after 120s; see $BENCH_LOG_DIR/$name.log"
}

pid_of() {
  local i
  for i in "${!app_names[@]}"; do
    if [[ ${app_names[$i]} == "$1" ]]; then printf '%s\n' "${app_pids[$i]}"; return 0; fi
  done
  return 1
}

# The persister's and presence's consumer groups are fixed: another copy on this machine (a dev
# `npm start`, an e2e run) shares the partitions with ours, and the CPU it spends is not counted
# as the platform's. Say so; the results' "other work" CPU shows it too.
warn_foreign_platform() {
  local others
  local app
  for app in message-persister presence analytics; do
    others=$(pgrep -fc "dist/apps/$app/main.js" || true)
    if ((others > 0)); then
      say "WARNING: $others other $app process(es) running: they share their consumer group with the benchmark's"
    fi
  done
}

# With --profile, the instance whose idle-connection memory is measured runs memory-probe.cjs,
# so that the result can also give live memory per socket after a full GC.
MEMORY_PROBE_FLAGS=(--expose-gc --require "$REPO/tools/bench/memory-probe.cjs")
memory_probe_file() { printf '%s/memory-probe-%s.jsonl\n' "$PROFILE_DIR" "$1"; }

# start_platform SCENARIO: persister, then both gateways (gateway A profiled with --profile).
start_platform() {
  local scenario=$1
  local -a prof=()
  if [[ $profile == yes && $scenario != connections ]]; then
    mkdir -p "$PROFILE_DIR"
    rm -f "$PROFILE_DIR/gateway-a-$scenario.cpuprofile"
    prof=(--cpu-prof "--cpu-prof-dir=$PROFILE_DIR" "--cpu-prof-name=gateway-a-$scenario.cpuprofile"
      --require "$REPO/tools/bench/kafka-requests.cjs")
  elif [[ $profile == yes ]]; then
    mkdir -p "$PROFILE_DIR"
    rm -f "$(memory_probe_file platform)"
    prof=("${MEMORY_PROBE_FLAGS[@]}")
  fi
  local -a common=(AUTH_JWT_SECRET="$SECRET" SEND_RATE_PER_SEC="$SEND_LIMIT" SEND_BURST="$SEND_LIMIT" LOG_LEVEL=warn)
  warn_foreign_platform
  start_app bench-persister message-persister -- PERSISTER_PORT="$PERSISTER_PORT" LOG_LEVEL=warn KAFKAJS_NO_PARTITIONER_WARNING=1
  # The default groups: beside a dev or e2e presence or analytics they act as one more replica (as
  # the services are designed to run), rather than a second service doing every update again.
  start_app bench-presence presence -- PRESENCE_PORT="$PRESENCE_PORT" LOG_LEVEL=warn KAFKAJS_NO_PARTITIONER_WARNING=1
  local -a aprof=()
  [[ $profile == yes && $scenario != connections ]] && aprof=(--cpu-prof "--cpu-prof-dir=$PROFILE_DIR" "--cpu-prof-name=analytics-$scenario.cpuprofile" --require "$REPO/tools/bench/kafka-requests.cjs")
  start_app bench-analytics analytics "${aprof[@]}" -- KAFKA_REQUESTS_OUT="$PROFILE_DIR/kafka-requests-analytics-$scenario.json" KAFKA_REQUESTS_PORTS="$KAFKA_PORT" ANALYTICS_PORT="$ANALYTICS_PORT" LOG_LEVEL=warn KAFKAJS_NO_PARTITIONER_WARNING=1
  bench_wait_ready bench-presence "$PRESENCE_PORT"
  bench_wait_ready bench-analytics "$ANALYTICS_PORT"
  bench_wait_ready bench-persister "$PERSISTER_PORT"
  start_app bench-gateway-a gateway "${prof[@]}" -- GATEWAY_PORT="$GATEWAY_A_PORT" GATEWAY_ID=bench-a "${common[@]}" \
    KAFKA_REQUESTS_OUT="$PROFILE_DIR/kafka-requests-gateway-a-$scenario.json" KAFKA_REQUESTS_PORTS="$KAFKA_PORT" \
    MEMORY_PROBE_OUT="$(memory_probe_file platform)"
  start_app bench-gateway-b gateway -- GATEWAY_PORT="$GATEWAY_B_PORT" GATEWAY_ID=bench-b "${common[@]}"
  start_app bench-web web -- WEB_PORT="$WEB_PORT" WEB_GATEWAY_URLS="http://127.0.0.1:$GATEWAY_A_PORT,http://127.0.0.1:$GATEWAY_B_PORT" LOG_LEVEL=warn
  bench_wait_ready bench-gateway-a "$GATEWAY_A_PORT"
  bench_wait_ready bench-gateway-b "$GATEWAY_B_PORT"
  bench_wait_ready bench-web "$WEB_PORT"
  TARGET_URLS=http://127.0.0.1:$GATEWAY_A_PORT,http://127.0.0.1:$GATEWAY_B_PORT
  TARGET_FIRST=http://127.0.0.1:$GATEWAY_A_PORT
  TARGET_PID=$(pid_of bench-gateway-a)
}

start_peer() {
  local scenario=$1
  local -a common=(AUTH_JWT_SECRET="$SECRET" SEND_RATE_PER_SEC="$SEND_LIMIT" SEND_BURST="$SEND_LIMIT" REDIS_URL="$REDIS_URL")
  local -a prof=()
  if [[ $profile == yes && $scenario == connections ]]; then
    mkdir -p "$PROFILE_DIR"
    rm -f "$(memory_probe_file peer)"
    prof=("${MEMORY_PROBE_FLAGS[@]}")
  fi
  start_app bench-peer-a peer-baseline "${prof[@]}" -- PEER_PORT="$PEER_A_PORT" "${common[@]}" MEMORY_PROBE_OUT="$(memory_probe_file peer)"
  start_app bench-peer-b peer-baseline -- PEER_PORT="$PEER_B_PORT" "${common[@]}"
  bench_wait_ready bench-peer-a "$PEER_A_PORT"
  bench_wait_ready bench-peer-b "$PEER_B_PORT"
  TARGET_URLS=http://127.0.0.1:$PEER_A_PORT,http://127.0.0.1:$PEER_B_PORT
  TARGET_FIRST=http://127.0.0.1:$PEER_A_PORT
  TARGET_PID=$(pid_of bench-peer-a)
}

# centrifugo_config NODE PORT: a node's configuration (ADR 0023). Loopback only; HS256 tokens
# with the benchmark's secret (the load generator's protocol v1 tokens, sub = user); the health
# check where http_ready looks; no usage statistics sent anywhere.
centrifugo_config() {
  local node=$1 port=$2
  cat <<JSON
{
  "node": { "name": "bench-$node" },
  "http_server": { "address": "$STACK_HOST", "port": $port },
  "log": { "level": "warn" },
  "usage_stats": { "disabled": true },
  "health": { "enabled": true, "handler_prefix": "/health/ready" },
  "client": { "token": { "hmac_secret_key": "$SECRET" } },
  "engine": {
    "type": "redis",
    "redis": { "address": ["redis://$STACK_HOST:$REDIS_PORT"], "db": $CENTRIFUGO_REDIS_DB, "prefix": "$CENTRIFUGO_REDIS_PREFIX" }
  },
  "channel": {
    "namespaces": [
      {
        "name": "chat",
        "allow_subscribe_for_client": true,
        "allow_publish_for_subscriber": true,
        "history_size": 100,
        "history_ttl": "600s",
        "force_recovery": true
      }
    ]
  }
}
JSON
}

# start_bin NAME COMMAND...: like start_app, for a program that is not one of dist/apps.
start_bin() {
  local name=$1
  shift
  "$@" >>"$BENCH_LOG_DIR/$name.log" 2>&1 &
  app_pids+=($!)
  app_names+=("$name")
}

start_centrifugo() {
  local node port
  for node in a b; do
    port=$CENTRIFUGO_A_PORT
    [[ $node == b ]] && port=$CENTRIFUGO_B_PORT
    centrifugo_config "$node" "$port" >"$BENCH_LOG_DIR/centrifugo-$node.json"
    start_bin "bench-centrifugo-$node" "$CENTRIFUGO_BIN" --config "$BENCH_LOG_DIR/centrifugo-$node.json"
  done
  bench_wait_ready bench-centrifugo-a "$CENTRIFUGO_A_PORT"
  bench_wait_ready bench-centrifugo-b "$CENTRIFUGO_B_PORT"
  TARGET_URLS=http://127.0.0.1:$CENTRIFUGO_A_PORT,http://127.0.0.1:$CENTRIFUGO_B_PORT
  TARGET_FIRST=http://127.0.0.1:$CENTRIFUGO_A_PORT
  TARGET_PID=$(pid_of bench-centrifugo-a)
}

# PID of an infrastructure component: the one infra.sh started, else whoever listens on its port.
infra_pid() {
  local name=$1 port=$2 pid
  if pid=$(owned_pid "$name"); then printf '%s\n' "$pid"; return 0; fi
  pid=$(ss -ltnpH "sport = :$port" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1)
  [[ -n $pid ]] && printf '%s\n' "$pid"
}

# --watch-cpu list: the processes of the system under test and the infrastructure (PostgreSQL
# with its backends), so that each result says where the CPU went and how much was other work.
cpu_watch_list() {
  local system=$1 list=() pid
  case $system in
    platform)
      list+=("gateway-a=$(pid_of bench-gateway-a)" "gateway-b=$(pid_of bench-gateway-b)" "persister=$(pid_of bench-persister)")
      list+=("presence=$(pid_of bench-presence)" "analytics=$(pid_of bench-analytics)" "web=$(pid_of bench-web)")
      ;;
    peer) list+=("peer-a=$(pid_of bench-peer-a)" "peer-b=$(pid_of bench-peer-b)") ;;
    centrifugo) list+=("centrifugo-a=$(pid_of bench-centrifugo-a)" "centrifugo-b=$(pid_of bench-centrifugo-b)") ;;
  esac
  if pid=$(infra_pid kafka "$KAFKA_PORT"); then list+=("kafka=$pid"); fi
  if pid=$(infra_pid redis "$REDIS_PORT"); then list+=("redis=$pid"); fi
  if pid=$(infra_pid postgres "$PG_PORT"); then list+=("postgres=$pid+"); fi
  local IFS=,
  printf '%s\n' "${list[*]}"
}

# loadgen MODE SYSTEM ARGS...: a non-zero exit (a run with problems) is counted, not fatal.
# SCENARIO (default: MODE) names the result file.
loadgen() {
  local mode=$1 system=$2
  shift 2
  local scenario=${SCENARIO:-$mode}
  say "== $scenario · $system · load average $(cut -d' ' -f1-3 /proc/loadavg)"
  local rc=0 protocol=socketio
  [[ $system == centrifugo ]] && protocol=centrifugo
  local -a target=(--secret "$SECRET" --protocol "$protocol")
  # idle has no clients: nothing to connect to or sign for.
  [[ $mode == idle ]] && target=()
  "${LOADGEN[@]}" "$mode" "${target[@]}" --label "$system" --out "$RESULTS/$scenario-$system.json" \
    --watch-cpu "$(cpu_watch_list "$system")" "$@" || rc=$?
  if ((rc == 2)); then die "loadgen refused its arguments"; fi
  if ((rc != 0)); then
    say "$mode · $system: the run reported problems (see above)"
    failures=$((failures + 1))
  fi
}

run_scenario() {
  local scenario=$1 system=$2
  # Something else may have stopped a component meanwhile (a test that restarts Kafka, another
  # checkout's `npm test` ending): bring back what is down, and stop it again at the end.
  local name
  while read -r name; do
    [[ -n $name && " ${infra_started[*]} " != *" $name "* ]] && infra_started+=("$name")
  done < <(infra_components_down)
  bash "$STACK_DIR/infra.sh" up >/dev/null
  case $system in
    platform) start_platform "$scenario" ;;
    peer) start_peer "$scenario" ;;
    centrifugo) start_centrifugo ;;
  esac
  # A moment for the fresh processes to settle (JIT, connections to Kafka and Redis).
  sleep 2
  case $scenario in
    chat)
      local -a verify=()
      [[ $system == platform ]] && verify=(--verify-db "$DATABASE_URL")
      loadgen chat "$system" --url "$TARGET_URLS" "${CHAT_ARGS[@]}" "${verify[@]}"
      ;;
    ramp) loadgen ramp "$system" --url "$TARGET_URLS" "${RAMP_ARGS[@]}" ;;
    lowload) SCENARIO=lowload loadgen chat "$system" --url "$TARGET_URLS" --scenario lowload "${LOWLOAD_ARGS[@]}" ;;
    idle) loadgen idle "$system" "${IDLE_ARGS[@]}" ;;
    connections)
      local -a probe=()
      # The memory probe is a Node preload: Centrifugo has RSS only.
      [[ $profile == yes && $system != centrifugo ]] && probe=(--gc-probe "$(memory_probe_file "$system")")
      loadgen connections "$system" --url "$TARGET_FIRST" --watch-pid "$TARGET_PID" "${CONN_ARGS[@]}" "${probe[@]}"
      ;;
  esac
  stop_apps
  local prof_file=$PROFILE_DIR/gateway-a-$scenario.cpuprofile
  if [[ $profile == yes && $system == platform && -f $prof_file ]]; then
    say "== hot spots of gateway A during $scenario ($prof_file)"
    {
      "${LOADGEN[@]}" profile-top "$prof_file" --top 20
      printf 'Kafka requests written by gateway A (whole process lifetime):\n'
      cat "$PROFILE_DIR/kafka-requests-gateway-a-$scenario.json" 2>/dev/null || printf '  (none recorded)\n'
    } | tee "$RESULTS/profile-gateway-a-$scenario.txt"
  fi
}

main() {
  ensure_node_deps "$REPO"
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$BENCH_LOG_DIR" "$RESULTS"
  # Which processes' CPU each result counts: other copies of the apps, and the infrastructure
  # servers this script did not start (found by their listening port).
  require_cmd pgrep procps
  require_cmd ss iproute2
  # 10,000 sockets need 10,000 descriptors in the gateway and in the load generator.
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  if (($(ulimit -n) < 12000)); then
    say "WARNING: open files limit is $(ulimit -n) (hard $(ulimit -Hn)); 10,000 connections need ~10,100. Raise the hard limit (e.g. ulimit -Hn 65535 as root, or LimitNOFILE)."
  fi
  mapfile -t infra_started < <(infra_components_down)
  trap finish EXIT
  trap 'exit 130' INT TERM
  bash "$STACK_DIR/infra.sh" up
  eval "$(stack_env)" >/dev/null

  local -a projects=(gateway message-persister presence analytics web loadgen peer-baseline)
  if [[ $build == yes ]]; then
    say "building ${projects[*]}"
    (cd "$REPO" && NX_DAEMON=false npx nx run-many -t build -p "${projects[@]}" --outputStyle=static >"$BENCH_LOG_DIR/build.log" 2>&1) ||
      die_with_log bench/build "build failed"
  fi
  say "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg), open files $(ulimit -n)"

  local scenario system
  IFS=, read -r -a scenarios <<<"$only"
  IFS=, read -r -a system_list <<<"$systems"
  for system in "${system_list[@]}"; do
    case $system in platform | peer) ;; centrifugo) ensure_centrifugo ;; *) die "unknown system $system" ;; esac
  done
  for scenario in "${scenarios[@]}"; do
    case $scenario in chat | ramp | connections | lowload | idle) ;; *) die "unknown scenario $scenario" ;; esac
    # Interleaved, so that a change in background load hits both systems alike.
    for system in "${system_list[@]}"; do run_scenario "$scenario" "$system"; done
  done

  local -a report=(report --results "$RESULTS" --charts "$out")
  [[ $publish == yes ]] && report+=(--doc "$REPO/docs/benchmarks.md")
  "${LOADGEN[@]}" "${report[@]}"
  say "results: $RESULTS; charts: $out"
  if ((failures > 0)); then
    say "$failures run(s) reported problems"
    return 1
  fi
}

main "$@"
