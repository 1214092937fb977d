# shellcheck shell=bash

# The oldest machine node the scripts run the workspace with; older ones get the .nvmrc version.
NODE_MIN_MAJOR=22

# node_major: the major version of the `node` first on PATH (empty when there is none).
node_major() {
  local version
  version=$(node --version 2>/dev/null) || return 0
  version=${version#v}
  printf '%s\n' "${version%%.*}"
}

# ensure_node REPO: make sure a supported Node.js is first on PATH for everything the caller runs
# next (npm ci, nx, the apps; the e2e's spawned apps follow through process.execPath). A machine
# node older than $NODE_MIN_MAJOR is left alone: the .nvmrc version comes from the npm registry's
# node-linux-<arch> package (no download site needed), cached under .local/node like Kafka's jars.
ensure_node() {
  local repo=$1 dir=$1/.local/node version arch major bin
  major=$(node_major)
  if [[ -n $major ]] && ((major >= NODE_MIN_MAJOR)); then return 0; fi
  [[ -r $repo/.nvmrc ]] || die "node: $repo/.nvmrc missing (the Node.js version to use)"
  version=$(tr -d ' \nv' <"$repo/.nvmrc")
  case $HOSTTYPE in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) die "node: found ${major:+Node $major}${major:-no node}, need $NODE_MIN_MAJOR+; no node-linux package for $HOSTTYPE: install Node $version yourself" ;;
  esac
  bin=$dir/node_modules/node-linux-$arch/bin
  if [[ ! -x $bin/node || $(cat "$dir/.version" 2>/dev/null) != "$version" ]]; then
    command -v npm >/dev/null 2>&1 || die "node: need Node $NODE_MIN_MAJOR+ and npm to fetch it; found neither"
    say "node: ${major:+Node $major is end of life; }installing Node $version into .local/node (npm package node-linux-$arch)"
    mkdir -p "$dir" "$LOG_DIR"
    rm -f "$dir/.version"
    npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "node-linux-$arch@$version" \
      >>"$LOG_DIR/node-install.log" 2>&1 || die_with_log node-install "npm install node-linux-$arch@$version failed"
    [[ -x $bin/node ]] || die "node: $bin/node missing after installing node-linux-$arch@$version"
    printf '%s\n' "$version" >"$dir/.version"
  fi
  export PATH="$bin:$PATH"
  say "node: using $(node --version) from .local/node"
}

# ensure_node_deps REPO: a supported node first (ensure_node), then `npm ci` when node_modules is
# missing or older than the lockfile, so `npm start` and `npm test` work on a fresh clone.
ensure_node_deps() {
  local repo=$1 marker=$1/node_modules/.package-lock.json
  ensure_node "$repo"
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
