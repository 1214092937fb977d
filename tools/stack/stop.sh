#!/usr/bin/env bash
# `npm run stop`: asks a running `npm start` to stop everything it started (SIGTERM: start.sh
# stops its apps, then the infrastructure it started), and waits until it has.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
pidfile=$RUN_DIR/start.pid
pid='' start=''
[[ -r $pidfile ]] && read -r pid start _ <"$pidfile"
# A pidfile left by a start.sh that was SIGKILLed may name a pid now used by another program.
if [[ -z $pid || -z $start || $(proc_starttime "$pid" || true) != "$start" ]]; then
  say "no running 'npm start' found"
  exit 0
fi
kill -TERM "$pid"
while [[ $(proc_starttime "$pid" || true) == "$start" ]]; do sleep 0.2; done
say "stopped"
