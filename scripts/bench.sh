#!/usr/bin/env bash
# SituationMap benchmarks (README → Performance): 1,000,000 incidents in a separate database, a Release server on
# 127.0.0.1:5090, then tile throughput, viewport queries and live fan-out. Results: artifacts/bench/results.{md,json}.
# "web" measures the dashboard in headless Chromium against the demo city as run.sh loads it (100,000 incidents,
# 1,500 cameras) in its own database. "coverage-overlay" (also part of "all", under a minute) times the camera coverage
# report's union/overlay in process against PostGIS (ST_Union + ST_Difference/ST_Intersection) on the same synthetic city
# in a scratch database (situationmap_bench_coverage); run by name it needs no server and merges its rows into
# artifacts/bench/results.{md,json}. "coverage-server" measures coverage through the server on the demo city (the web
# database): the model build, the compliance board, a camera edit until CoverageUpdated arrives, and recommendations.
# "dispatch-server" measures patrol & dispatch through the server on the same demo city: units ranked by ETA, the
# 1-3-5 minute response bands, the patrol overview, hot-spot coverage, dosage and a loop suggestion.
# "routing-pgrouting" (no server) compares single-pair car routing with pgRouting's pgr_dijkstra on Liechtenstein.
#   scripts/bench.sh [tiles|viewport|fanout|fanout-full|web|coverage-overlay|coverage-server|dispatch-server|routing-pgrouting|all] [--seconds N] [--clients N] [--rate N] [--concurrency N]
source "$(dirname "$0")/lib/common.sh"

which="${1:-all}"; shift || true
require_dotnet
if [ "$which" = coverage-overlay ]; then
  log "building the benchmarks (Release)"
  dotnet build "$REPO/tests/SituationMap.Benchmarks/SituationMap.Benchmarks.csproj" -c Release -nologo -v q -clp:ErrorsOnly
  start_cluster
  ensure_database situationmap_bench_coverage
  exec dotnet "$REPO/tests/SituationMap.Benchmarks/bin/Release/net10.0/SituationMap.Benchmarks.dll" coverage-overlay \
    --db "$(db_connection situationmap_bench_coverage)" --out "$REPO/artifacts/bench" "$@"
fi
if [ "$which" = routing-pgrouting ]; then
  log "building the analysis benchmarks (Release)"
  dotnet build "$REPO/tests/SituationMap.Analysis.Benchmarks/SituationMap.Analysis.Benchmarks.csproj" -c Release -nologo -v q -clp:ErrorsOnly
  start_cluster
  install_packages postgresql-15-pgrouting
  ensure_database situationmap_bench_routing
  PGPASSWORD="$(cat "$STATE/pg-password")" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres \
    -d situationmap_bench_routing -c "CREATE EXTENSION IF NOT EXISTS pgrouting CASCADE"
  exec dotnet "$REPO/tests/SituationMap.Analysis.Benchmarks/bin/Release/net10.0/SituationMap.Analysis.Benchmarks.dll" routing-pgrouting \
    --db "$(db_connection situationmap_bench_routing)" "$@"
fi
log "building the solution (Release)"
dotnet build "$REPO/SituationMap.sln" -c Release -nologo -v q -clp:ErrorsOnly
start_cluster
if [ "$which" = web ] || [ "$which" = coverage-server ] || [ "$which" = dispatch-server ]; then
  if [ "$which" = web ]; then install_packages chromium fonts-wqy-zenhei; build_web; fi
  database=situationmap_bench_web; incidents=100000
else
  database=situationmap_bench; incidents=1000000
fi
ensure_database "$database"
export SITUATIONMAP_DB; SITUATIONMAP_DB="$(db_connection "$database")"
server_command migrate
count="$(PGPASSWORD="$(cat "$STATE/pg-password")" psql -X -tA -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$database" -c "SELECT count(*) FROM incidents")"
buildings="$(PGPASSWORD="$(cat "$STATE/pg-password")" psql -X -tA -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$database" -c "SELECT count(*) FROM buildings")"
if [ "$count" -ne "$incidents" ] || [ "$buildings" -eq 0 ]; then
  log "loading the demo city with $incidents incidents (once)"
  server_command seed --reset --incidents "$incidents"
fi

server_command accounts create --username bench --roles commander,admin >/dev/null 2>&1 || true
export BENCH_TOKEN; BENCH_TOKEN="$(server_command accounts token --username bench --name "scripts/bench.sh" --days 1 | tail -1)"
if [ "$which" = web ]; then
  # the dashboard signs in with a password (session cookie), like a person at the desk
  [ -f "$STATE/bench-web-password" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$STATE/bench-web-password")
  server_command accounts create --username bench-web --roles commander --password-stdin < "$STATE/bench-web-password" >/dev/null 2>&1 || true
  export BENCH_WEB_USER=bench-web BENCH_WEB_PASSWORD; BENCH_WEB_PASSWORD="$(cat "$STATE/bench-web-password")"
fi

log "starting a benchmark server on 127.0.0.1:5090"
Logging__LogLevel__Default=Warning ASPNETCORE_CONTENTROOT="${SERVER_DLL%/*}" dotnet "$SERVER_DLL" serve --urls http://127.0.0.1:5090 > "$STATE/bench-server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5090/health >/dev/null && break; sleep 0.5; done
curl -sf http://127.0.0.1:5090/health >/dev/null || die "the benchmark server did not become healthy (log: $STATE/bench-server.log)"

dotnet "$REPO/tests/SituationMap.Benchmarks/bin/Release/net10.0/SituationMap.Benchmarks.dll" "$which" \
  --server http://127.0.0.1:5090 --db "$SITUATIONMAP_DB" --out "$REPO/artifacts/bench" "$@"
