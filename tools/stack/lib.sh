# shellcheck shell=bash
# tools/stack/lib.sh: functions behind tools/stack/infra.sh.
#
# Sourcing this file only defines variables and functions, so apps' scripts can
#   source tools/stack/lib.sh && stack_env
# to get KAFKA_BROKERS / REDIS_URL / DATABASE_URL without starting anything.
#
# Everything is written to run under `set -euo pipefail`: commands that may
# fail are tested with if/until/||, and nothing pipes into `grep -q` (an early
# exit of grep would SIGPIPE the writer and trip pipefail).
#
# Layout (all of it under $REPO/.local, which is git-ignored):
#   .local/kafka/libs        jars fetched by Maven from tools/stack/kafka/pom.xml
#   .local/kafka/data        KRaft metadata log + topic data (formatted once)
#   .local/redis             Redis AOF/RDB files
#   .local/postgres          PostgreSQL cluster (owned by user postgres when root)
#   .local/run/<name>.pid    "PID STARTTIME PORT" of each process infra.sh started
#   .local/logs/<name>.log   stdout/stderr of each component

STACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$STACK_DIR/../.." && pwd)
LOCAL_DIR=$REPO/.local
RUN_DIR=$LOCAL_DIR/run
LOG_DIR=$LOCAL_DIR/logs

STACK_HOST=127.0.0.1
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
REDIS_PORT=${REDIS_PORT:-6379}
PG_PORT=${PG_PORT:-5432}

KAFKA_DIR=$LOCAL_DIR/kafka
KAFKA_LIBS=$KAFKA_DIR/libs
KAFKA_DATA=$KAFKA_DIR/data
KAFKA_CONFIG=$KAFKA_DIR/server.properties
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}
REDIS_DATA=$LOCAL_DIR/redis
PG_DATA=$LOCAL_DIR/postgres

# Seconds to wait for each component before giving up with its log tail.
KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-120}
REDIS_START_TIMEOUT=${REDIS_START_TIMEOUT:-30}
PG_START_TIMEOUT=${PG_START_TIMEOUT:-60}
STOP_TIMEOUT=${STOP_TIMEOUT:-30}

# ---------------------------------------------------------------------------
# Environment for apps
# ---------------------------------------------------------------------------

# Export the connection settings apps read, and print them as `export` lines
# so that `eval "$(bash tools/stack/infra.sh env)"` works from any shell.
stack_env() {
  export KAFKA_BROKERS="$STACK_HOST:$KAFKA_PORT"
  export REDIS_URL="redis://$STACK_HOST:$REDIS_PORT"
  export DATABASE_URL="postgres://chat:chat@$STACK_HOST:$PG_PORT/chat"
  printf 'export KAFKA_BROKERS=%s\n' "$KAFKA_BROKERS"
  printf 'export REDIS_URL=%s\n' "$REDIS_URL"
  printf 'export DATABASE_URL=%s\n' "$DATABASE_URL"
}

# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------

# Progress goes to stderr so that stdout carries only results (endpoints, env).
say() { printf '[stack] %s\n' "$*" >&2; }

die() {
  printf '[stack] ERROR: %s\n' "$*" >&2
  exit 1
}

# Fail a start: the reason, then the end of the component's log, which is
# nearly always where the real cause is.
die_with_log() {
  local name=$1 reason=$2 log="$LOG_DIR/$1.log"
  printf '[stack] ERROR: %s: %s\n' "$name" "$reason" >&2
  if [[ -s $log ]]; then
    printf '[stack] ---- last 40 lines of %s ----\n' "$log" >&2
    tail -n 40 "$log" >&2 || true
    printf '[stack] ----\n' >&2
  fi
  exit 1
}

# Called only when about to start NAME (never while it runs and writes the
# file): keep the log from growing without bound (Kafka prints its whole
# configuration at every start), then add a marker line so the tail shows
# where the latest attempt began.
begin_log() {
  local log=$LOG_DIR/$1.log size
  mkdir -p "$LOG_DIR"
  size=$(stat -c %s "$log" 2>/dev/null || echo 0)
  if ((size > 20 * 1024 * 1024)); then
    mv -f "$log" "$log.1"
  fi
  printf '\n==== %s: infra.sh starting %s ====\n' "$(date -Is)" "$1" >>"$log"
}

# ---------------------------------------------------------------------------
# Host prerequisites
# ---------------------------------------------------------------------------

is_root() { [[ $(id -u) -eq 0 ]]; }

# Install Debian packages when we may; otherwise name them and stop.
apt_install() {
  if ! is_root; then
    die "missing package(s): $*. Install with: sudo apt-get install -y $*"
  fi
  say "installing $* with apt-get"
  # Callers run before prepare_dirs too (test.sh installs Chromium first): the log needs its folder.
  mkdir -p "$LOG_DIR"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have empty package lists: update once, then retry.
  if ! apt-get install -y --no-install-recommends "$@" >>"$LOG_DIR/apt.log" 2>&1; then
    apt-get update >>"$LOG_DIR/apt.log" 2>&1 || true
    apt-get install -y --no-install-recommends "$@" >>"$LOG_DIR/apt.log" 2>&1 \
      || die_with_log apt "apt-get install $* failed"
  fi
}

# require_cmd COMMAND PACKAGE: make sure COMMAND exists, installing PACKAGE.
require_cmd() {
  local cmd=$1 pkg=$2
  command -v "$cmd" >/dev/null 2>&1 && return 0
  apt_install "$pkg"
  command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' still not found after installing $pkg"
}

# Kafka 4.x brokers need Java 17 or newer.
require_java17() {
  require_cmd java default-jre-headless
  local version major
  version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  major=${version%%.*}
  if [[ -z $major || $major -lt 17 ]]; then
    die "Kafka 4 needs Java 17+, found '${version:-unknown}' ($(command -v java)); install openjdk-17-jre-headless or put a newer java first on PATH"
  fi
}

# ---------------------------------------------------------------------------
# Ports and processes
# ---------------------------------------------------------------------------

# True when something accepts TCP connections on 127.0.0.1:PORT.
# bash's /dev/tcp needs no netcat; a closed loopback port refuses at once.
port_open() {
  (exec 3<>"/dev/tcp/$STACK_HOST/$1") 2>/dev/null
}

# True when http://127.0.0.1:PORT/health/ready answers 2xx. Plain bash as well, so that starting
# the apps does not depend on curl (not installed on a minimal Debian). The subshell keeps the fd
# and a SIGPIPE from a server closing early away from the caller.
http_ready() {
  (
    exec 3<>"/dev/tcp/$STACK_HOST/$1" || exit 1
    printf 'GET /health/ready HTTP/1.0\r\nHost: %s:%s\r\n\r\n' "$STACK_HOST" "$1" >&3
    read -r -t 5 proto status _ <&3 || exit 1
    [[ $proto == HTTP/1.[01] && $status == 2[0-9][0-9]* ]]
  ) 2>/dev/null
}

# Start time of a live process in clock ticks since boot (field 22 of
# /proc/PID/stat). Stored next to the pid so a recycled pid is never taken for
# ours. The command name (field 2) may contain spaces, so cut after its ')'.
# A zombie (state Z/X: exited, not yet reaped by PID 1) counts as gone.
proc_starttime() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  # shellcheck disable=SC2086 # word-split on purpose: fields 3.. of the stat line
  set -- $stat
  [[ $1 != [ZX] ]] || return 1
  printf '%s\n' "${20}"
}

pidfile() { printf '%s/%s.pid\n' "$RUN_DIR" "$1"; }

# The pidfile also keeps the port the process was started on, so a later
# run with another *_PORT is not fooled into thinking it is already running.
record_pid() {
  local name=$1 pid=$2 start
  start=$(proc_starttime "$pid") || die_with_log "$name" "process $pid exited right after starting"
  mkdir -p "$RUN_DIR"
  printf '%s %s %s\n' "$pid" "$start" "$(port_of "$name")" >"$(pidfile "$name")"
}

# Print the pid of NAME if infra.sh started it and it is still that process.
owned_pid() {
  local file pid start now
  file=$(pidfile "$1")
  [[ -r $file ]] || return 1
  read -r pid start _ <"$file" || return 1
  [[ -n ${pid:-} && -n ${start:-} ]] || return 1
  now=$(proc_starttime "$pid") || return 1
  [[ $now == "$start" ]] || return 1
  printf '%s\n' "$pid"
}

# Port recorded for NAME's process (empty if unknown).
owned_port() {
  local pid start port=
  read -r pid start port <"$(pidfile "$1")" 2>/dev/null || true
  printf '%s\n' "$port"
}

# One data directory, one server: refuse to start a second instance of NAME
# on a new port while ours still runs on the old one.
refuse_port_change() {
  local name=$1 port pid
  pid=$(owned_pid "$name") || return 0
  port=$(owned_port "$name")
  if [[ -n $port && $port != "$(port_of "$name")" ]]; then
    die "$name: infra.sh already runs it on port $port (pid $pid), but $(port_var "$name")=$(port_of "$name"). Run 'infra.sh down' first (with the old port settings) to move it."
  fi
}

# Forget a pidfile whose process is gone (or whose pid now belongs to another).
drop_stale_pidfile() {
  if ! owned_pid "$1" >/dev/null; then
    rm -f "$(pidfile "$1")"
  fi
}

# start_detached NAME DIR COMMAND...: run COMMAND in DIR in its own session,
# output appended to .local/logs/NAME.log, and record its pid.
# setsid keeps it alive after infra.sh (and the terminal or job runner that
# launched it) goes away. Because setsid forks when the caller is a process
# group leader, $! is not reliable: the child writes its own pid and then
# execs, which keeps that pid. fd 9 (our lock) is closed so the daemon does
# not hold the lock forever.
start_detached() {
  local name=$1 dir=$2 tmp i
  shift 2
  tmp=$(mktemp "$RUN_DIR/.$name.starting.XXXXXX")
  (
    cd "$dir" || exit 1
    # shellcheck disable=SC2016 # $$ and $@ belong to the inner bash
    exec setsid bash -c 'echo $$ >"$0"; exec "$@"' "$tmp" "$@" \
      </dev/null >>"$LOG_DIR/$name.log" 2>&1 9>&-
  ) &
  for ((i = 0; i < 100; i++)); do
    [[ -s $tmp ]] && break
    sleep 0.05
  done
  [[ -s $tmp ]] || die_with_log "$name" "did not start"
  record_pid "$name" "$(cat "$tmp")"
  rm -f "$tmp"
}

# The port setting behind each component, for messages and status.
port_var() {
  case $1 in
    kafka) echo KAFKA_PORT ;;
    redis) echo REDIS_PORT ;;
    postgres) echo PG_PORT ;;
  esac
}
port_of() {
  local var
  var=$(port_var "$1")
  printf '%s\n' "${!var}"
}

# wait_ready NAME TIMEOUT CHECK...: poll CHECK until it succeeds. Fails early
# if a process we started for NAME has died, instead of waiting out the clock.
# When the port belongs to a program we did not start, its log is not ours to
# show: say so instead, since that is the usual cause (another server there).
wait_ready() {
  local name=$1 timeout=$2 deadline ours=no
  shift 2
  deadline=$((SECONDS + timeout))
  owned_pid "$name" >/dev/null && ours=yes
  until "$@"; do
    if [[ $ours == yes ]] && ! owned_pid "$name" >/dev/null; then
      die_with_log "$name" "process exited before becoming ready"
    fi
    if ((SECONDS >= deadline)); then
      if [[ $ours == no ]]; then
        die "$name: $STACK_HOST:$(port_of "$name") is in use by a program infra.sh did not start, and it does not answer like $name within ${timeout}s. Stop it, or set $(port_var "$name") to a free port."
      fi
      die_with_log "$name" "not ready after ${timeout}s"
    fi
    sleep 0.5
  done
}

# stop_owned NAME SIGNAL: stop a process only if infra.sh started it.
# SIGNAL first (a clean shutdown), then SIGKILL after $STOP_TIMEOUT seconds.
stop_owned() {
  local name=$1 signal=$2 pid deadline
  if ! pid=$(owned_pid "$name"); then
    rm -f "$(pidfile "$name")"
    say "$name: not started by infra.sh (or already stopped); leaving it alone"
    return 0
  fi
  say "$name: stopping pid $pid (SIG$signal)"
  kill -s "$signal" "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while owned_pid "$name" >/dev/null; do
    if ((SECONDS >= deadline)); then
      say "$name: still running after ${STOP_TIMEOUT}s, sending SIGKILL"
      kill -s KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.2
  done
  rm -f "$(pidfile "$name")"
  say "$name: stopped"
}

# Serialize concurrent `up`/`down` runs (e.g. parallel test targets).
# The lock lives on fd 9, which start_detached closes in the daemons.
take_lock() {
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/infra.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -w 600 9 || die "another infra.sh has held $RUN_DIR/infra.lock for 10 minutes"
  fi
}

prepare_dirs() {
  # Starting a server in its own session (start_detached, pg_start) needs setsid.
  require_cmd setsid util-linux
  mkdir -p "$LOCAL_DIR" "$RUN_DIR" "$LOG_DIR"
  # The postgres user must be able to walk into .local (see pg_*).
  chmod 755 "$LOCAL_DIR"
}

# ---------------------------------------------------------------------------
# Kafka (KRaft, one node that is both broker and controller)
# ---------------------------------------------------------------------------

# Tool JVMs are short-lived: small heap, no C2 and a serial GC start fastest.
kafka_tool() {
  java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$STACK_DIR/kafka/tools-log4j2.properties" \
    -cp "$KAFKA_LIBS/*" "$@"
}

# Fetch the jars once. The stamp holds the pom's hash so that editing the pom
# (a version bump) refetches; Maven itself reuses ~/.m2 when it has them.
# Fetch into a temp dir and swap, so an interrupted fetch leaves no half set.
kafka_fetch_libs() {
  local pom="$STACK_DIR/kafka/pom.xml" want tmp
  want=$(sha256sum "$pom")
  want=${want%% *}
  if [[ -r $KAFKA_LIBS/.pom.sha256 && $(cat "$KAFKA_LIBS/.pom.sha256") == "$want" ]]; then
    return 0
  fi
  require_cmd mvn maven
  say "kafka: fetching jars with Maven (first run only; log: $LOG_DIR/maven.log)"
  mkdir -p "$KAFKA_DIR" "$LOG_DIR"
  tmp=$(mktemp -d "$KAFKA_DIR/libs.fetching.XXXXXX")
  if ! mvn -B -q -f "$pom" dependency:copy-dependencies -DoutputDirectory="$tmp" \
    >"$LOG_DIR/maven.log" 2>&1; then
    rm -rf "$tmp"
    die_with_log maven "could not fetch Kafka jars from Maven Central"
  fi
  printf '%s\n' "$want" >"$tmp/.pom.sha256"
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
}

# Rewritten on every start so port changes take effect. The broker listener
# can move freely; the controller endpoint is also stored in the formatted
# metadata (see kafka_format_once).
kafka_write_config() {
  mkdir -p "$KAFKA_DATA"
  cat >"$KAFKA_CONFIG" <<EOF
# Generated by tools/stack/lib.sh on every start; edit that file, not this one.
process.roles=broker,controller
node.id=1
# Dynamic quorum (KIP-853): the voter set is written by 'format --standalone'.
controller.quorum.bootstrap.servers=$STACK_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$STACK_HOST:$KAFKA_PORT,CONTROLLER://$STACK_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$STACK_HOST:$KAFKA_PORT,CONTROLLER://$STACK_HOST:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=1
# One broker: internal topics cannot have more than one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Dev and tests: no 3 s wait before the first consumer-group rebalance, and
# topics must be created on purpose (a typo must not silently make a topic).
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
EOF
}

# Format the storage once. meta.properties in the log dir is Kafka's own
# "formatted" marker; format refuses to run twice anyway.
kafka_format_once() {
  local formatted_port
  if [[ -f $KAFKA_DATA/meta.properties ]]; then
    # The controller endpoint is part of the formatted voter set.
    formatted_port=$(cat "$KAFKA_DIR/controller.port" 2>/dev/null || echo "$KAFKA_CONTROLLER_PORT")
    if [[ $formatted_port != "$KAFKA_CONTROLLER_PORT" ]]; then
      die "kafka: storage was formatted with controller port $formatted_port, now KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT. Use the old port, or delete $KAFKA_DIR/data (loses all topics)."
    fi
    return 0
  fi
  local cluster_id
  say "kafka: formatting storage in $KAFKA_DATA (first run only)"
  cluster_id=$(kafka_tool kafka.tools.StorageTool random-uuid 2>>"$LOG_DIR/kafka.log") \
    || die_with_log kafka "kafka-storage random-uuid failed"
  kafka_tool kafka.tools.StorageTool format --standalone \
    --cluster-id "$cluster_id" --config "$KAFKA_CONFIG" >>"$LOG_DIR/kafka.log" 2>&1 \
    || die_with_log kafka "kafka-storage format failed"
  printf '%s\n' "$KAFKA_CONTROLLER_PORT" >"$KAFKA_DIR/controller.port"
}

# log4j2's own shutdown hook would stop logging while Kafka's shutdown hook is
# still closing down, hiding the end of a SIGTERM shutdown: disable it (the
# console appender flushes every line anyway).
kafka_start() {
  say "kafka: starting on $STACK_HOST:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS / KAFKA_JVM_OPTS hold several flags
  start_detached kafka "$KAFKA_DIR" \
    java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true ${KAFKA_JVM_OPTS:-} \
    -Dlog4j2.shutdownHookEnabled=false \
    -Dlog4j2.configurationFile="$STACK_DIR/kafka/log4j2.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONFIG"
}

# Ready means: the broker answers a real request (ApiVersions over metadata),
# and reports itself unfenced, i.e. it can lead partitions. A listening port
# alone is not enough: the controller side opens before the broker is usable.
kafka_probe() {
  local out
  port_open "$KAFKA_PORT" || return 1
  out=$(timeout 30 java -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$STACK_DIR/kafka/tools-log4j2.properties" \
    -cp "$KAFKA_LIBS/*" org.apache.kafka.tools.BrokerApiVersionsCommand \
    --bootstrap-server "$STACK_HOST:$KAFKA_PORT" 2>/dev/null) || return 1
  [[ $out == *"isFenced: false"* ]]
}

# Start Kafka if it is not running. Does not wait: the broker takes a few
# seconds to come up, so infra.sh starts Redis and PostgreSQL meanwhile and
# calls kafka_wait afterwards.
kafka_up() {
  drop_stale_pidfile kafka
  refuse_port_change kafka
  require_java17
  if port_open "$KAFKA_PORT" || owned_pid kafka >/dev/null; then
    # Already there (ours, maybe still starting, or someone else's):
    # kafka_wait checks that it is a usable Kafka. Its probe needs Kafka's
    # tool classes, but jars are never swapped under a running broker (even
    # if the pom changed): that happens at its next start.
    [[ -d $KAFKA_LIBS ]] || kafka_fetch_libs
    KAFKA_WAS_RUNNING=yes
    return 0
  fi
  KAFKA_WAS_RUNNING=no
  kafka_fetch_libs
  begin_log kafka
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die "kafka: controller port $STACK_HOST:$KAFKA_CONTROLLER_PORT is taken by another program; free it or set KAFKA_CONTROLLER_PORT"
  fi
  kafka_write_config
  kafka_format_once
  kafka_start
}

kafka_wait() {
  local timeout=$KAFKA_START_TIMEOUT
  # A server we did not start gets less patience than a broker we launched.
  owned_pid kafka >/dev/null || timeout=30
  wait_ready kafka "$timeout" kafka_probe
  if [[ ${KAFKA_WAS_RUNNING:-no} == yes ]]; then
    say "kafka: already running on $STACK_HOST:$KAFKA_PORT ($(owner_label kafka))"
  else
    say "kafka: ready"
  fi
}

# ---------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------

redis_probe() {
  local out
  out=$(redis-cli -h "$STACK_HOST" -p "$REDIS_PORT" ping 2>/dev/null) || return 1
  [[ $out == PONG ]]
}

redis_start() {
  say "redis: starting on $STACK_HOST:$REDIS_PORT"
  mkdir -p "$REDIS_DATA"
  # daemonize no: we background it ourselves and keep the real pid.
  # logfile "": log to stdout, i.e. .local/logs/redis.log.
  # save "": the append-only file is the durability; RDB snapshots on top (Redis' default: every
  # 60 s after 10,000 writes) forked a full dump every minute under load, seconds of a core each.
  start_detached redis "$REDIS_DATA" \
    redis-server --bind "$STACK_HOST" --port "$REDIS_PORT" \
    --dir "$REDIS_DATA" --appendonly yes --save "" --daemonize no --logfile ""
}

redis_up() {
  drop_stale_pidfile redis
  refuse_port_change redis
  require_cmd redis-server redis-server
  require_cmd redis-cli redis-tools
  if port_open "$REDIS_PORT" || owned_pid redis >/dev/null; then
    if ! redis_probe; then
      wait_ready redis 10 redis_probe
    fi
    say "redis: already running on $STACK_HOST:$REDIS_PORT ($(owner_label redis))"
    return 0
  fi
  begin_log redis
  redis_start
  wait_ready redis "$REDIS_START_TIMEOUT" redis_probe
  say "redis: ready"
}

# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------
# Debian keeps the server binaries out of PATH, in /usr/lib/postgresql/VER/bin.
# As root, initdb and the server must run as user postgres (they refuse root),
# so the cluster directory belongs to postgres and .local must be traversable.

# Where Debian's postgresql-VER packages put their binaries (a setting only for tests).
PG_LIB_ROOT=${PG_LIB_ROOT:-/usr/lib/postgresql}

# Newest installed server version, e.g. "15"; empty if none.
pg_newest_version() {
  local dir newest=
  for dir in "$PG_LIB_ROOT"/*/bin; do
    if [[ -x $dir/initdb ]]; then
      dir=${dir%/bin}
      newest=$(printf '%s\n%s\n' "$newest" "${dir##*/}" | sort -V | tail -n 1)
    fi
  done
  printf '%s\n' "$newest"
}

# Set PG_BIN: the binaries of the version the cluster was made with if it
# exists (a data directory only works with its major version), else the
# newest installed, installing the postgresql package when there is none.
require_postgres() {
  local ver
  if [[ -r $PG_DATA/PG_VERSION ]]; then
    ver=$(cat "$PG_DATA/PG_VERSION")
    [[ -x $PG_LIB_ROOT/$ver/bin/postgres ]] || apt_install "postgresql-$ver"
  else
    ver=$(pg_newest_version)
    if [[ -z $ver ]]; then
      apt_install postgresql
      ver=$(pg_newest_version)
    fi
    [[ -n $ver ]] || die "postgres: no $PG_LIB_ROOT/*/bin/initdb even after installing postgresql"
  fi
  PG_BIN=$PG_LIB_ROOT/$ver/bin
  [[ -x $PG_BIN/pg_ctl ]] || die "postgres: $PG_BIN/pg_ctl missing"
}

# Run a PostgreSQL program as the cluster owner.
pg_as_owner() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Unix socket directory for admin access (peer auth, no password needed).
# Socket paths are limited to 107 bytes; deep clones fall back to /tmp.
pg_socket_dir() {
  local dir=$RUN_DIR/postgres
  if ((${#dir} + 20 > 100)); then
    dir=/tmp/chat-stack-pg-$(printf '%s' "$LOCAL_DIR" | sha256sum | cut -c1-12)
  fi
  printf '%s\n' "$dir"
}

# Give the cluster owner a path it can write (a no-op when not root).
pg_own() {
  if is_root; then chown postgres:postgres "$@"; fi
}

# initdb once, into a temp dir that is renamed when complete, so a failed
# initdb never leaves a half cluster that blocks the next attempt.
pg_init_once() {
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  local tmp=$PG_DATA.initdb-tmp
  if is_root && ! runuser -u postgres -- test -x "$LOCAL_DIR"; then
    die "postgres: user postgres cannot enter $LOCAL_DIR; make its parent directories traversable (chmod o+x) or clone the repo elsewhere"
  fi
  say "postgres: initdb in $PG_DATA (first run only)"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  chmod 700 "$tmp"
  pg_own "$tmp"
  pg_as_owner "$PG_BIN/initdb" -D "$tmp" -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >>"$LOG_DIR/postgres.log" 2>&1 \
    || die_with_log postgres "initdb failed"
  rm -rf "$PG_DATA"
  mv "$tmp" "$PG_DATA"
}

pg_start() {
  local sock log=$LOG_DIR/postgres.log
  sock=$(pg_socket_dir)
  mkdir -p "$sock"
  pg_own "$sock" "$log"
  local -a as_owner=()
  if is_root; then as_owner=(runuser -u postgres --); fi
  say "postgres: starting on $STACK_HOST:$PG_PORT"
  # pg_ctl forks the postmaster; setsid -w puts it in its own session (so it
  # outlives the caller) and still waits for pg_ctl -w. 9>&- drops our lock.
  # shellcheck disable=SC2094 # pg_ctl appends to the log it is given, as do we
  setsid -w "${as_owner[@]}" "$PG_BIN/pg_ctl" start -w -t "$PG_START_TIMEOUT" \
    -D "$PG_DATA" -l "$log" \
    -o "-p $PG_PORT -c listen_addresses=$STACK_HOST -c unix_socket_directories='$sock'" \
    </dev/null >>"$log" 2>&1 9>&- \
    || die_with_log postgres "pg_ctl start failed"
  record_pid postgres "$(head -n 1 "$PG_DATA/postmaster.pid")"
}

pg_probe() {
  "$PG_BIN/pg_isready" -q -h "$STACK_HOST" -p "$PG_PORT"
}

# Idempotent: role chat (password chat, may create databases for tests) and
# database chat owned by it. Re-setting the password keeps DATABASE_URL valid.
pg_ensure_role_and_db() {
  pg_as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(pg_socket_dir)" -p "$PG_PORT" \
    -d postgres >>"$LOG_DIR/postgres.log" 2>&1 <<'SQL' || die_with_log postgres "creating role/database chat failed"
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'chat') THEN
    CREATE ROLE chat LOGIN CREATEDB PASSWORD 'chat';
  ELSE
    ALTER ROLE chat LOGIN PASSWORD 'chat';
  END IF;
END
$$;
SELECT 'CREATE DATABASE chat OWNER chat'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'chat')\gexec
SQL
}

# What apps will do: log in over TCP with the password from DATABASE_URL.
pg_check_app_login() {
  PGPASSWORD=chat PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -At -h "$STACK_HOST" -p "$PG_PORT" \
    -U chat -d chat -c 'select 1' >/dev/null 2>&1
}

pg_up() {
  drop_stale_pidfile postgres
  refuse_port_change postgres
  require_postgres
  if port_open "$PG_PORT" || owned_pid postgres >/dev/null; then
    wait_ready postgres 30 pg_probe
    if owned_pid postgres >/dev/null; then
      pg_ensure_role_and_db
    elif ! pg_check_app_login; then
      die "postgres: $STACK_HOST:$PG_PORT is served by a PostgreSQL that infra.sh did not start, and chat/chat cannot log in to database chat. Stop it (for Debian's own cluster: pg_ctlcluster <version> main stop) or set PG_PORT."
    fi
    say "postgres: already running on $STACK_HOST:$PG_PORT ($(owner_label postgres))"
    return 0
  fi
  begin_log postgres
  pg_init_once
  pg_start
  wait_ready postgres "$PG_START_TIMEOUT" pg_probe
  pg_ensure_role_and_db
  pg_check_app_login || die_with_log postgres "chat/chat cannot log in over TCP"
  say "postgres: ready"
}

# ---------------------------------------------------------------------------
# Status
# ---------------------------------------------------------------------------

owner_label() {
  local pid
  if pid=$(owned_pid "$1"); then
    printf 'started by infra.sh, pid %s\n' "$pid"
  else
    printf 'not started by infra.sh\n'
  fi
}

# One line per component; returns non-zero if any is down.
stack_status() {
  local name port all_up=0 state
  for name in kafka redis postgres; do
    port=$(port_of "$name")
    if owned_pid "$name" >/dev/null && [[ -n $(owned_port "$name") ]]; then
      port=$(owned_port "$name")
    fi
    if port_open "$port"; then
      state=up
    else
      state=down
      all_up=3
    fi
    if [[ $state == down ]] && ! owned_pid "$name" >/dev/null; then
      printf '%-9s %s:%-5s %s\n' "$name" "$STACK_HOST" "$port" "$state"
    else
      printf '%-9s %s:%-5s %-4s  %s\n' "$name" "$STACK_HOST" "$port" "$state" "$(owner_label "$name")"
    fi
  done
  return "$all_up"
}

print_endpoints() {
  printf 'kafka     %s:%s\n' "$STACK_HOST" "$KAFKA_PORT"
  printf 'redis     redis://%s:%s\n' "$STACK_HOST" "$REDIS_PORT"
  printf 'postgres  postgres://chat:chat@%s:%s/chat\n' "$STACK_HOST" "$PG_PORT"
}
