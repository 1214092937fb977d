#!/usr/bin/env bash
# `npm run stop`: asks a running `npm start` to stop everything it started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
pidfile=$RUN_DIR/start.pid
if [[ ! -r $pidfile ]] || ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  say "no running 'npm start' found"
  exit 0
fi
pid=$(cat "$pidfile")
kill -TERM "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
say "stopped"
