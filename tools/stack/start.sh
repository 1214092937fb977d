#!/usr/bin/env bash
# `npm start`: the whole platform on this machine, no Docker needed.
# Starts the infrastructure that is not already running (Kafka, Redis, PostgreSQL), builds the
# apps, runs the message-persister, presence, analytics, two gateways and the web client, prints where to
# connect, and then supervises them: an app that exits is restarted with a backoff while the
# others keep running (tools/stack/supervise.sh). Ctrl-C (or `npm run stop`) stops everything it
# started and nothing else.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$STACK_DIR/node-deps.sh"
source "$STACK_DIR/supervise.sh"

GATEWAY_A_PORT=${GATEWAY_A_PORT:-3000}
GATEWAY_B_PORT=${GATEWAY_B_PORT:-3001}
PERSISTER_PORT=${PERSISTER_PORT:-3010}
PRESENCE_PORT=${PRESENCE_PORT:-3020}
ANALYTICS_PORT=${ANALYTICS_PORT:-3030}
WEB_PORT=${WEB_PORT:-8080}
# The gateways' default origins name port 8080: a web client moved to another port must still
# be let in, or every browser on it is refused by CORS.
GATEWAY_ALLOWED_ORIGINS=${GATEWAY_ALLOWED_ORIGINS:-http://127.0.0.1:$WEB_PORT,http://localhost:$WEB_PORT}
START_PIDFILE=$RUN_DIR/start.pid

infra_started=()

stop_all() {
  trap - INT TERM EXIT
  say "stopping apps"
  sup_stop
  local name
  for name in "${infra_started[@]}"; do
    case $name in
      postgres) stop_owned postgres INT ;;
      *) stop_owned "$name" TERM ;;
    esac
  done
  rm -f "$START_PIDFILE"
  say "stopped"
}

run_app() {
  local name=$1
  shift
  sup_add "$name" "$LOG_DIR/$name.log" env "$@" node "$REPO/dist/apps/${name%%-[ab]}/main.js"
}

# A first start that fails is a setup problem (config, port taken): stop and show its log
# rather than restart it forever.
wait_http_ready() {
  local name=$1 port=$2 i pid
  pid=$(sup_pid "$name")
  for ((i = 0; i < 120; i++)); do
    if http_ready "$port"; then return 0; fi
    kill -0 "$pid" 2>/dev/null || die_with_log "$name" "exited before becoming ready on port $port"
    sleep 0.5
  done
  die_with_log "$name" "not ready on port $port after 60s"
}

main() {
  ensure_node_deps "$REPO"
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  mapfile -t infra_started < <(infra_components_down)
  # A stop request is a clean end (exit 0); a failure keeps its own exit status.
  trap 'stop_all; exit 0' INT TERM
  trap stop_all EXIT
  # With the start time, as infra.sh's pidfiles: stop.sh must never signal a recycled pid.
  printf '%s %s\n' "$$" "$(proc_starttime $$)" >"$START_PIDFILE"
  bash "$STACK_DIR/infra.sh" up
  eval "$(stack_env)"

  say "building apps"
  (cd "$REPO" && NX_DAEMON=false npx nx run-many -t build -p gateway message-persister presence analytics web --outputStyle=static >"$LOG_DIR/build.log" 2>&1) ||
    die_with_log build "build failed"

  run_app message-persister PERSISTER_PORT="$PERSISTER_PORT"
  run_app presence PRESENCE_PORT="$PRESENCE_PORT"
  run_app analytics ANALYTICS_PORT="$ANALYTICS_PORT"
  wait_http_ready message-persister "$PERSISTER_PORT"
  wait_http_ready presence "$PRESENCE_PORT"
  wait_http_ready analytics "$ANALYTICS_PORT"
  run_app gateway-a GATEWAY_PORT="$GATEWAY_A_PORT" GATEWAY_ID=gateway-a GATEWAY_ALLOWED_ORIGINS="$GATEWAY_ALLOWED_ORIGINS"
  run_app gateway-b GATEWAY_PORT="$GATEWAY_B_PORT" GATEWAY_ID=gateway-b GATEWAY_ALLOWED_ORIGINS="$GATEWAY_ALLOWED_ORIGINS"
  wait_http_ready gateway-a "$GATEWAY_A_PORT"
  wait_http_ready gateway-b "$GATEWAY_B_PORT"
  run_app web WEB_PORT="$WEB_PORT" WEB_GATEWAY_URLS="http://127.0.0.1:$GATEWAY_A_PORT,http://127.0.0.1:$GATEWAY_B_PORT"
  wait_http_ready web "$WEB_PORT"

  cat <<MSG

  Chat platform is up.  Open the web client:  http://127.0.0.1:$WEB_PORT
    gateways (Socket.IO, namespace /chat):  http://127.0.0.1:$GATEWAY_A_PORT/chat   http://127.0.0.1:$GATEWAY_B_PORT/chat
    message-persister:                      http://127.0.0.1:$PERSISTER_PORT/health/ready
    presence:                               http://127.0.0.1:$PRESENCE_PORT/health/ready
    analytics dashboard (live, in a browser): http://127.0.0.1:$ANALYTICS_PORT/analytics/dashboard
    analytics (live aggregates, JSON):      http://127.0.0.1:$ANALYTICS_PORT/analytics/summary   (API docs: /analytics/docs)
    health and metrics on every app:        /health/live  /health/ready  /metrics
    Kafka $KAFKA_BROKERS   Redis $REDIS_URL   PostgreSQL $DATABASE_URL
    logs: $LOG_DIR/
  An app that exits is restarted (backoff 1 s doubling to 30 s); the others keep running.
  Ctrl-C (or \`npm run stop\` in another terminal) stops everything this command started.

MSG
  # Stay in the foreground until Ctrl-C or a stop request (stop.sh sends SIGTERM).
  sup_run
}

main "$@"
