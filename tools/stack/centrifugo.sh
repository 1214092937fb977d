# shellcheck shell=bash
# ensure_centrifugo: the Centrifugo server the benchmark measures as a second peer
# (tools/bench/run.sh --systems ...,centrifugo), $CENTRIFUGO_VERSION built once with `go install`
# into .local/tools/bin (Go from apt when missing: Debian 13's golang-go; Go 1.21+ fetches the
# toolchain Centrifugo asks for by itself). Always the pinned build, never one found on PATH: the
# benchmark's figures name the version. `bash tools/stack/centrifugo.sh` runs it alone.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  # Before the paths below: they derive from lib.sh's LOCAL_DIR.
  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fi
CENTRIFUGO_VERSION=v6.9.1
CENTRIFUGO_BIN=$LOCAL_DIR/tools/bin/centrifugo

ensure_centrifugo() {
  if [[ -x $CENTRIFUGO_BIN && $(cat "$CENTRIFUGO_BIN.version" 2>/dev/null) == "$CENTRIFUGO_VERSION" ]]; then return 0; fi
  require_cmd go golang-go
  say "centrifugo: building $CENTRIFUGO_VERSION into .local/tools/bin (go install, once; a few minutes)"
  mkdir -p "${CENTRIFUGO_BIN%/*}" "$LOG_DIR"
  rm -f "$CENTRIFUGO_BIN.version"
  # The version stamp a release build gets (else it calls itself a development build 0.0.0).
  GOBIN=${CENTRIFUGO_BIN%/*} go install -ldflags "-X github.com/centrifugal/centrifugo/v6/internal/build.Version=${CENTRIFUGO_VERSION#v}" \
    "github.com/centrifugal/centrifugo/v6@$CENTRIFUGO_VERSION" \
    >>"$LOG_DIR/centrifugo-install.log" 2>&1 || die_with_log centrifugo-install "go install centrifugo $CENTRIFUGO_VERSION failed"
  [[ -x $CENTRIFUGO_BIN ]] || die "centrifugo: $CENTRIFUGO_BIN missing after go install"
  printf '%s\n' "$CENTRIFUGO_VERSION" >"$CENTRIFUGO_BIN.version"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then ensure_centrifugo; fi
