#!/usr/bin/env bash
# `npm test`: every test of the repo against the real infrastructure.
#   lint, unit tests (*.spec.ts) and builds of every project;
#   integration tests (*.int-spec.ts) against Kafka, Redis and PostgreSQL;
#   end-to-end tests (*.e2e-spec.ts): socket.io-client against two real gateways and the persister.
# Starts the infrastructure that is not running and stops, at the end, only what it started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$STACK_DIR/node-deps.sh"
source "$STACK_DIR/kustomize.sh"

export NX_DAEMON=false NX_NO_CLOUD=true FORCE_COLOR=0
infra_started=()
output=$(mktemp)

stop_started_infra() {
  local name
  for name in "${infra_started[@]}"; do
    case $name in
      postgres) stop_owned postgres INT ;;
      *) stop_owned "$name" TERM ;;
    esac
  done
}

# The closing line CI reads: jest's per-project "Tests:" lines and node:test's TAP totals
# ("# pass N" / "# fail N", unindented: the indented ones are subtests), added up.
summarize() {
  local passed failed
  passed=$(sed 's/\x1b\[[0-9;]*m//g' "$output" | awk '/^Tests:/ { for (i = 2; i <= NF; i++) if ($(i+1) ~ /^passed/) s += $i } /^# pass [0-9]+$/ { s += $3 } END { print s + 0 }')
  failed=$(sed 's/\x1b\[[0-9;]*m//g' "$output" | awk '/^Tests:/ { for (i = 2; i <= NF; i++) if ($(i+1) ~ /^failed/) s += $i } /^# fail [0-9]+$/ { s += $3 } END { print s + 0 }')
  printf '\ntests: %s passed, %s failed\n' "$passed" "$failed"
}

finish() {
  local status=$?
  trap - EXIT
  stop_started_infra || true
  summarize || true
  say "total $((SECONDS))s, exit $status"
  rm -f "$output"
  exit "$status"
}

step() {
  say "== $1"
  shift
  (cd "$REPO" && "$@") 2>&1 | tee -a "$output"
}

main() {
  trap finish EXIT
  # First, and with nothing but bash and node: the scripts below on a fresh machine.
  step "stack scripts" node --test --test-reporter=tap "$STACK_DIR"/test/*.test.mjs
  ensure_node_deps "$REPO"
  # The browser end-to-end test drives Debian's Chromium (playwright-core downloads no browser).
  require_cmd chromium chromium
  # tools/deploy-check renders every k8s/ kustomization: kubectl, or kustomize built once.
  ensure_kustomize
  mapfile -t infra_started < <(infra_components_down)
  bash "$STACK_DIR/infra.sh" up
  eval "$(stack_env)"

  step "lint, unit tests, build" npx nx run-many -t lint test build --outputStyle=static --parallel=2
  step "integration tests" npx nx run-many -t int-test --outputStyle=static --parallel=1
  step "end-to-end tests" npx nx run chat-e2e:e2e --outputStyle=static
}

main "$@"
