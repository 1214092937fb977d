#!/usr/bin/env bash
# `npm run analytics -- rebuild --since 2h`: the analytics service's commands, against the local
# infrastructure (or whatever KAFKA_BROKERS / REDIS_URL say). Builds analytics first so the
# command is the code checked out, then runs `node dist/apps/analytics/main.js <args>`; the live
# service (npm start) may keep running: a rebuild holds it off through Redis (ADR 0022).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$STACK_DIR/node-deps.sh"

[[ $# -gt 0 ]] || die "usage: npm run analytics -- rebuild --since <30m|2h|1d>"
ensure_node_deps "$REPO"
mkdir -p "$LOG_DIR"
# Connection settings from the environment win over the local defaults.
KAFKA_BROKERS=${KAFKA_BROKERS:-$STACK_HOST:$KAFKA_PORT}
REDIS_URL=${REDIS_URL:-redis://$STACK_HOST:$REDIS_PORT}
export KAFKA_BROKERS REDIS_URL
say "building analytics"
(cd "$REPO" && NX_DAEMON=false npx nx build analytics --outputStyle=static >"$LOG_DIR/analytics-build.log" 2>&1) ||
  die_with_log analytics-build "building analytics failed"
exec node "$REPO/dist/apps/analytics/main.js" "$@"
