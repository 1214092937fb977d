# shellcheck shell=bash
# ensure_kustomize: something that renders k8s/ kustomizations for tools/deploy-check (run by
# `npm test` before the unit tests): kubectl with kustomize v5 (kubectl 1.27+), or a kustomize
# on PATH, or else kustomize $KUSTOMIZE_VERSION built once with `go install` into
# .local/tools/bin (Go from apt when missing: Debian 13's golang-go; Go 1.21+ fetches the
# toolchain kustomize asks for by itself). `bash tools/stack/kustomize.sh` runs it alone.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  # Before the paths below: they derive from lib.sh's LOCAL_DIR.
  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fi
KUSTOMIZE_VERSION=v5.5.0
KUSTOMIZE_BIN=$LOCAL_DIR/tools/bin/kustomize

kubectl_has_kustomize5() {
  local out
  out=$(kubectl version --client 2>/dev/null) || return 1
  [[ $out =~ Kustomize\ Version:\ v([0-9]+) ]] && ((BASH_REMATCH[1] >= 5))
}

ensure_kustomize() {
  if command -v kubectl >/dev/null 2>&1 && kubectl_has_kustomize5; then return 0; fi
  if command -v kustomize >/dev/null 2>&1; then return 0; fi
  if [[ -x $KUSTOMIZE_BIN && $(cat "$KUSTOMIZE_BIN.version" 2>/dev/null) == "$KUSTOMIZE_VERSION" ]]; then return 0; fi
  require_cmd go golang-go
  say "kustomize: no kubectl with kustomize v5; building kustomize $KUSTOMIZE_VERSION into .local/tools/bin (go install, once)"
  mkdir -p "${KUSTOMIZE_BIN%/*}" "$LOG_DIR"
  rm -f "$KUSTOMIZE_BIN.version"
  GOBIN=${KUSTOMIZE_BIN%/*} go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" \
    >>"$LOG_DIR/kustomize-install.log" 2>&1 || die_with_log kustomize-install "go install kustomize $KUSTOMIZE_VERSION failed"
  [[ -x $KUSTOMIZE_BIN ]] || die "kustomize: $KUSTOMIZE_BIN missing after go install"
  printf '%s\n' "$KUSTOMIZE_VERSION" >"$KUSTOMIZE_BIN.version"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then ensure_kustomize; fi
