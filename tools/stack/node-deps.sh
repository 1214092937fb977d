# shellcheck shell=bash
# ensure_node_deps: `npm ci` when node_modules is missing or older than the lockfile,
# so `npm start` and `npm test` work on a fresh clone.
ensure_node_deps() {
  local repo=$1 marker=$1/node_modules/.package-lock.json
  if [[ ! -f $marker || $repo/package-lock.json -nt $marker ]]; then
    printf '[stack] installing node dependencies (npm ci)\n' >&2
    (cd "$repo" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# infra_components_down: the infrastructure components not answering on their ports now,
# i.e. the ones a following `infra.sh up` will start (and the caller should stop again).
infra_components_down() {
  local name
  for name in kafka redis postgres; do
    port_open "$(port_of "$name")" || printf '%s\n' "$name"
  done
}
