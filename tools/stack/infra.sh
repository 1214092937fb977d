#!/usr/bin/env bash
# Local infrastructure for the chat backend: Kafka (KRaft), Redis, PostgreSQL
# as plain processes (no Docker, no systemd), state under $REPO/.local.
#
#   bash tools/stack/infra.sh up       start what is not running, wait until ready
#   bash tools/stack/infra.sh down     stop what `up` started (nothing else)
#   bash tools/stack/infra.sh status   per component: up/down, started by us?
#                                      (exit 3 if any is down)
#   bash tools/stack/infra.sh env      print `export` lines for apps:
#                                      eval "$(bash tools/stack/infra.sh env)"
#
# Ports: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), REDIS_PORT (6379),
# PG_PORT (5432). Logs: .local/logs/<name>.log. Details in lib.sh.
set -euo pipefail

# shellcheck source=tools/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

cmd_up() {
  local started=$SECONDS
  take_lock
  prepare_dirs
  # Kafka is slowest to become ready: start it first, bring up the others
  # meanwhile, then wait for it.
  kafka_up
  redis_up
  pg_up
  kafka_wait
  say "all up in $((SECONDS - started))s"
  print_endpoints
}

cmd_down() {
  take_lock
  # Only pids recorded by `up`, checked against their start time: a server
  # someone else started on the same port is never touched.
  stop_owned kafka TERM
  stop_owned redis TERM
  # SIGINT is PostgreSQL's "fast" shutdown; SIGTERM ("smart") would wait for
  # every client, e.g. a dev server's pool, to disconnect first.
  stop_owned postgres INT
}

main() {
  case ${1:-} in
    up) cmd_up ;;
    down) cmd_down ;;
    status) stack_status ;;
    env) stack_env ;;
    *) usage ;;
  esac
}

main "$@"
