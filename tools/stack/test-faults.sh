#!/usr/bin/env bash
# `npm run test:faults`: the whole fault suite (every fault, 200 users) against the real stack:
# builds the apps, starts the infrastructure that is not running, runs
# apps/chat-e2e/src/faults.e2e-spec.ts with FAULTS=full, stops what it started. `npm test` runs
# the same file's short subset. The table is printed and kept in .local/logs/faults/full.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$STACK_DIR/node-deps.sh"

export NX_DAEMON=false NX_NO_CLOUD=true FORCE_COLOR=0
infra_started=()

finish() {
  local status=$? name
  trap - EXIT
  for name in "${infra_started[@]}"; do
    case $name in
      postgres) stop_owned postgres INT ;;
      *) stop_owned "$name" TERM ;;
    esac
  done
  exit "$status"
}

ensure_node_deps "$REPO"
mapfile -t infra_started < <(infra_components_down)
trap finish EXIT
bash "$STACK_DIR/infra.sh" up
eval "$(stack_env)"
cd "$REPO"
FAULTS=${FAULTS:-full} npx nx run chat-e2e:e2e --outputStyle=static --testPathPatterns=faults.e2e-spec "$@"
