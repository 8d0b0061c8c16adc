#!/usr/bin/env bash
# SituationMap as a local cluster: several server nodes behind nginx, sharing one PostgreSQL and one Redis.
#   scripts/cluster.sh start [--nodes N] [--port P] [--db NAME] [--redis-port R] [--no-build]
#       N nodes (default 2, at most 5) on 127.0.0.1:P+1..P+N, Redis on 127.0.0.1:R (default 6391), nginx on
#       127.0.0.1:P (default 5080) in front of them; database NAME of the local PostgreSQL (default situationmap; or
#       SITUATIONMAP_DB=... for an existing PostGIS database). Same set-up as scripts/run.sh first (build, migrate,
#       demo city once); --no-build skips the server and dashboard builds (the Release build must exist).
#       Idempotent: run again, it starts only what is not running (the same N, P and database, else: stop first).
#   scripts/cluster.sh stop              stops nginx, the nodes and Redis (not PostgreSQL)
#   scripts/cluster.sh status            each node's /health/ready, Redis's ping, the front's /health/live
#   scripts/cluster.sh kill-node K [--graceful]   kills node K (SIGKILL, like a crash; --graceful: SIGTERM) to try failover
#   scripts/cluster.sh start-node K      starts node K again and waits until it is ready
#   SITUATIONMAP_DEMO_ACTIVITY=0   no simulated activity (by default on, as in run.sh; the server runs it on one node)
#   SITUATIONMAP_CLUSTER_DIR       where the cluster's state lives (default .local/cluster): pids, logs, nginx.conf
source "$(dirname "$0")/lib/common.sh"

CDIR="${SITUATIONMAP_CLUSTER_DIR:-$STATE/cluster}"
ENV_FILE="$CDIR/cluster.env"
READY_TIMEOUT="${SITUATIONMAP_CLUSTER_READY_TIMEOUT:-120}"   # seconds a node may take to become ready

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# port_busy PORT: true when something accepts connections on 127.0.0.1:PORT
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# alive PIDFILE PATTERN: true when the pid in PIDFILE runs a process whose command line contains PATTERN (so a pid
# reused by another program is never taken for ours, nor killed)
alive() {
  local pid; [ -s "$1" ] || return 1
  pid="$(cat "$1")"
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$2"
}

# stop_pid PIDFILE PATTERN SIGNAL [WAIT]: signals the process if it is ours, waits up to WAIT s (default 15), then KILL
stop_pid() {
  local file="$1" pattern="$2" signal="$3" wait="${4:-15}"
  if alive "$file" "$pattern"; then
    local pid; pid="$(cat "$file")"
    kill "-$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((wait * 5))); do alive "$file" "$pattern" || break; sleep 0.2; done
    if alive "$file" "$pattern"; then log "pid $pid did not stop after ${wait}s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; fi
  fi
  rm -f "$file"
}

load_env() {
  [ -f "$ENV_FILE" ] || die "no cluster here ($ENV_FILE is missing): scripts/cluster.sh start"
  # shellcheck disable=SC1090
  source "$ENV_FILE"
}

node_port() { echo $((PORT + $1)); }
node_pidfile() { echo "$CDIR/node$1.pid"; }
NODE_PATTERN="SituationMap.Server.dll"

# start_node K: starts node K in the background (its own session, so it outlives this script), JSON logs
start_node() {
  local k="$1" port; port="$(node_port "$1")"
  if alive "$(node_pidfile "$k")" "$NODE_PATTERN"; then log "node$k is already running (pid $(cat "$(node_pidfile "$k")"), port $port)"; return 0; fi
  port_busy "$port" && die "port $port (node$k) is taken by another program; stop it or choose another --port"
  [ -f "$SERVER_DLL" ] || die "the server is not built ($SERVER_DLL): run without --no-build"
  local redis_config=""
  [ -n "${REDIS_PORT:-}" ] && redis_config="127.0.0.1:$REDIS_PORT"
  log "starting node$k on 127.0.0.1:$port (log: $CDIR/node$k.log)"
  (
    cd "$REPO"
    exec setsid env \
      ASPNETCORE_CONTENTROOT="${SERVER_DLL%/*}" \
      SITUATIONMAP_DB="$DB_CONNECTION" \
      SITUATIONMAP_APP_DB="${APP_DB_CONNECTION:-}" \
      Cluster__Redis="$redis_config" \
      Cluster__NodeName="node$k" \
      Logging__Console__FormatterName=json \
      Demo__Activity="$DEMO" \
      dotnet "$SERVER_DLL" serve --urls "http://127.0.0.1:$port" </dev/null >>"$CDIR/node$k.log" 2>&1
  ) &
  echo $! > "$(node_pidfile "$k")"
}

# ready_code PORT: the HTTP status of /health/ready (a server from before the cluster work has only /health, and
# answers /health/ready with 404 or 401: then /health)
ready_code() {
  local code
  code="$(curl -s -o "$CDIR/.ready-$1" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$1/health/ready" || true)"
  if [ "$code" = 404 ] || [ "$code" = 401 ]; then code="$(curl -s -o "$CDIR/.ready-$1" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$1/health" || true)"; fi
  echo "${code:-000}"
}

# wait_node K: waits until node K answers /health/ready with 200; dies with the log's tail when it exits or times out
wait_node() {
  local k="$1" port; port="$(node_port "$1")"
  local deadline=$((SECONDS + READY_TIMEOUT)) code=000
  while [ $SECONDS -lt $deadline ]; do
    alive "$(node_pidfile "$k")" "$NODE_PATTERN" || { tail -n 30 "$CDIR/node$k.log" >&2; die "node$k exited while starting (log: $CDIR/node$k.log)"; }
    code="$(ready_code "$port")"
    [ "$code" = 200 ] && { log "node$k is ready"; return 0; }
    sleep 0.5
  done
  tail -n 30 "$CDIR/node$k.log" >&2
  die "node$k was not ready within ${READY_TIMEOUT}s (last /health/ready: HTTP $code; log: $CDIR/node$k.log)"
}

start_redis() {
  local pidfile="$CDIR/redis.pid"
  if alive "$pidfile" "redis-server"; then log "Redis is already running (pid $(cat "$pidfile"), port $REDIS_PORT)"; return 0; fi
  port_busy "$REDIS_PORT" && die "port $REDIS_PORT (Redis) is taken by another program; choose another --redis-port"
  mkdir -p "$CDIR/redis"
  log "starting Redis on 127.0.0.1:$REDIS_PORT (log: $CDIR/redis/redis.log)"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes --save "" --appendonly no \
    --dir "$CDIR/redis" --daemonize yes --pidfile "$pidfile" --logfile "$CDIR/redis/redis.log" >/dev/null
  for _ in $(seq 1 50); do [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && return 0; sleep 0.2; done
  tail -n 20 "$CDIR/redis/redis.log" >&2
  die "Redis did not answer PING on 127.0.0.1:$REDIS_PORT within 10 s"
}

# render_nginx: the shared template (scripts/lib/nginx-cluster.conf) with this cluster's folder, port and nodes
render_nginx() {
  local nodes="" k
  for k in $(seq 1 "$NODES"); do nodes+="        server 127.0.0.1:$(node_port "$k") max_fails=1 fail_timeout=2s;"$'\n'; done
  mkdir -p "$CDIR/nginx"
  NODES_BLOCK="${nodes%$'\n'}" awk -v state="$CDIR/nginx" -v port="$PORT" '
    { gsub(/@STATE@/, state); gsub(/@PORT@/, port) }
    /@NODES@/ { print ENVIRON["NODES_BLOCK"]; next }
    { print }' "$REPO/scripts/lib/nginx-cluster.conf" > "$CDIR/nginx.conf"
}

start_nginx() {
  local pidfile="$CDIR/nginx/nginx.pid"
  render_nginx
  if alive "$pidfile" "nginx"; then
    log "nginx is already running (pid $(cat "$pidfile")): reloading its configuration"
    nginx -e "$CDIR/nginx/nginx-error.log" -p "$CDIR/nginx" -c "$CDIR/nginx.conf" -s reload
    return 0
  fi
  port_busy "$PORT" && die "port $PORT (the cluster's front) is taken by another program; stop it or choose another --port"
  nginx -e "$CDIR/nginx/nginx-error.log" -p "$CDIR/nginx" -c "$CDIR/nginx.conf" -t -q \
    || die "nginx rejects the rendered configuration $CDIR/nginx.conf"
  log "starting nginx on 127.0.0.1:$PORT (config: $CDIR/nginx.conf)"
  (exec setsid nginx -e "$CDIR/nginx/nginx-error.log" -p "$CDIR/nginx" -c "$CDIR/nginx.conf" </dev/null >>"$CDIR/nginx/nginx-stdout.log" 2>&1) &
  local deadline=$((SECONDS + 20))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/health/live" || true)" = 200 ] && return 0
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/health" || true)" = 200 ] && return 0
    sleep 0.3
  done
  tail -n 20 "$CDIR/nginx/nginx-error.log" >&2 || true
  die "nginx did not pass requests to the nodes within 20 s (log: $CDIR/nginx/nginx-error.log)"
}

cmd_start() {
  local nodes=2 port=5080 db="" redis_port=6391 build=1
  while [ $# -gt 0 ]; do
    case "$1" in
      --nodes) nodes="${2:?--nodes N}"; shift 2 ;;
      --port) port="${2:?--port P}"; shift 2 ;;
      --db) db="${2:?--db NAME}"; shift 2 ;;
      --redis-port) redis_port="${2:?--redis-port R}"; shift 2 ;;
      --no-build) build=0; shift ;;
      *) die "unknown option for start: $1 (scripts/cluster.sh start [--nodes N] [--port P] [--db NAME] [--redis-port R] [--no-build])" ;;
    esac
  done
  [[ "$nodes" =~ ^[1-5]$ ]] || die "--nodes must be 1 to 5 (got '$nodes')"
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1024 ] && [ "$port" -le 65530 ] || die "--port must be 1024..65530 (got '$port')"
  [[ "$redis_port" =~ ^[0-9]+$ ]] || die "--redis-port must be a number (got '$redis_port')"
  [ "$redis_port" -gt "$port" ] && [ "$redis_port" -le $((port + nodes)) ] && die "--redis-port $redis_port collides with a node's port"

  # the database: the local cluster's NAME (default situationmap) unless SITUATIONMAP_DB names another one
  [ -z "$db" ] && [ -z "${SITUATIONMAP_DB:-}" ] && db=situationmap
  mkdir -p "$CDIR"
  if [ -f "$ENV_FILE" ]; then
    local want_nodes="$nodes" want_port="$port" want_db="$db"
    (source "$ENV_FILE"; [ "$NODES" = "$want_nodes" ] && [ "$PORT" = "$want_port" ] && [ "$DB_NAME" = "$want_db" ]) || {
      (source "$ENV_FILE"; log "a cluster was started here with $NODES node(s) on port $PORT, database ${DB_NAME:-(SITUATIONMAP_DB)}")
      if any_running; then die "it is still running: scripts/cluster.sh stop first, then start with the new options"; fi
      rm -f "$ENV_FILE"
    }
  fi

  install_packages redis-server nginx curl
  if [ "$build" = 1 ]; then
    build_server
    install_packages fonts-dejavu-core fonts-wqy-zenhei
    build_web
  fi
  if [ -n "$db" ]; then use_local_database "$db"; fi
  prepare_database
  if [ "$db" = situationmap ]; then
    log "demo accounts (DEMO ONLY — synthetic city):"
    server_command accounts demo --out "$STATE/demo-accounts.txt"
  fi

  local demo="${SITUATIONMAP_DEMO_ACTIVITY:-1}"
  [ "$demo" = 1 ] || [ "$demo" = true ] && demo=true || demo=false
  (umask 077; cat > "$ENV_FILE" <<ENV
NODES=$nodes
PORT=$port
REDIS_PORT=$redis_port
DB_NAME='$db'
DB_CONNECTION='$SITUATIONMAP_DB'
APP_DB_CONNECTION='${SITUATIONMAP_APP_DB:-}'
DEMO=$demo
ENV
  )
  load_env

  # every port first, so that a taken one stops the start before anything was started
  local k
  alive "$CDIR/redis.pid" redis-server || ! port_busy "$REDIS_PORT" || die "port $REDIS_PORT (Redis) is taken by another program; choose another --redis-port"
  for k in $(seq 1 "$NODES"); do
    alive "$(node_pidfile "$k")" "$NODE_PATTERN" || ! port_busy "$(node_port "$k")" || die "port $(node_port "$k") (node$k) is taken by another program; stop it or choose another --port"
  done
  alive "$CDIR/nginx/nginx.pid" nginx || ! port_busy "$PORT" || die "port $PORT (the cluster's front) is taken by another program; stop it or choose another --port"

  start_redis
  for k in $(seq 1 "$NODES"); do start_node "$k"; done
  for k in $(seq 1 "$NODES"); do wait_node "$k"; done
  start_nginx

  {
    echo
    echo "SituationMap cluster: http://127.0.0.1:$PORT  (nginx; database ${DB_NAME:-from SITUATIONMAP_DB}; demo activity $DEMO)"
    for k in $(seq 1 "$NODES"); do echo "  node$k  http://127.0.0.1:$(node_port "$k")  pid $(cat "$(node_pidfile "$k")")  log $CDIR/node$k.log"; done
    echo "  redis  127.0.0.1:$REDIS_PORT  pid $(cat "$CDIR/redis.pid" 2>/dev/null || echo '?')"
    echo "Status: scripts/cluster.sh status    Stop: scripts/cluster.sh stop"
    echo "Failover by hand: scripts/cluster.sh kill-node 1 … scripts/cluster.sh start-node 1"
  }
}

any_running() {
  alive "$CDIR/nginx/nginx.pid" nginx && return 0
  alive "$CDIR/redis.pid" redis-server && return 0
  local f
  for f in "$CDIR"/node*.pid; do [ -e "$f" ] && alive "$f" "$NODE_PATTERN" && return 0; done
  return 1
}

cmd_stop() {
  [ -d "$CDIR" ] || { log "no cluster in $CDIR"; return 0; }
  if [ -f "$CDIR/nginx/nginx.pid" ]; then log "stopping nginx"; stop_pid "$CDIR/nginx/nginx.pid" nginx QUIT 10; fi
  local f k
  for f in "$CDIR"/node*.pid; do
    [ -e "$f" ] || continue
    k="${f##*/node}"; k="${k%.pid}"
    if alive "$f" "$NODE_PATTERN"; then log "stopping node$k"; fi
    stop_pid "$f" "$NODE_PATTERN" TERM 20
  done
  if alive "$CDIR/redis.pid" redis-server; then
    log "stopping Redis"
    (source "$ENV_FILE" 2>/dev/null; redis-cli -p "${REDIS_PORT:-6391}" shutdown nosave >/dev/null 2>&1 || true)
    stop_pid "$CDIR/redis.pid" redis-server TERM 10
  fi
  rm -f "$CDIR"/.ready-*
  log "cluster stopped (PostgreSQL keeps running)"
}

cmd_status() {
  load_env
  local k port code state=0
  echo "front  http://127.0.0.1:$PORT  nginx $(alive "$CDIR/nginx/nginx.pid" nginx && echo "pid $(cat "$CDIR/nginx/nginx.pid")" || echo "NOT RUNNING")  /health/live: HTTP $(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$PORT/health/live" || true)"
  for k in $(seq 1 "$NODES"); do
    port="$(node_port "$k")"
    if alive "$(node_pidfile "$k")" "$NODE_PATTERN"; then
      code="$(ready_code "$port")"
      printf 'node%s  http://127.0.0.1:%s  pid %s  ready: HTTP %s  %s\n' "$k" "$port" "$(cat "$(node_pidfile "$k")")" "$code" "$(tr -d '\n' < "$CDIR/.ready-$port" 2>/dev/null | head -c 400)"
      [ "$code" = 200 ] || state=1
    else
      printf 'node%s  http://127.0.0.1:%s  NOT RUNNING\n' "$k" "$port"; state=1
    fi
  done
  printf 'redis  127.0.0.1:%s  ping: %s\n' "$REDIS_PORT" "$(redis-cli -p "$REDIS_PORT" ping 2>&1 || true)"
  return $state
}

cmd_kill_node() {
  local k="${1:?usage: scripts/cluster.sh kill-node K [--graceful]}" signal=KILL
  [ "${2:-}" = --graceful ] && signal=TERM
  load_env
  [[ "$k" =~ ^[0-9]+$ ]] && [ "$k" -ge 1 ] && [ "$k" -le "$NODES" ] || die "node K must be 1..$NODES"
  alive "$(node_pidfile "$k")" "$NODE_PATTERN" || die "node$k is not running"
  log "node$k (pid $(cat "$(node_pidfile "$k")")): SIG$signal"
  stop_pid "$(node_pidfile "$k")" "$NODE_PATTERN" "$signal" 20
  log "node$k is down; nginx sends its requests to the other nodes. Bring it back: scripts/cluster.sh start-node $k"
}

cmd_start_node() {
  local k="${1:?usage: scripts/cluster.sh start-node K}"
  load_env
  [[ "$k" =~ ^[0-9]+$ ]] && [ "$k" -ge 1 ] && [ "$k" -le "$NODES" ] || die "node K must be 1..$NODES"
  start_node "$k"
  wait_node "$k"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  kill-node) shift; cmd_kill_node "$@" ;;
  start-node) shift; cmd_start_node "$@" ;;
  *) usage ;;
esac
