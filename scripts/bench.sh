#!/usr/bin/env bash
# SituationMap benchmarks (README → Performance): 1,000,000 incidents in a separate database, a Release server on
# 127.0.0.1:5090, then tile throughput, viewport queries and live fan-out. Results: artifacts/bench/results.{md,json}.
#   scripts/bench.sh [tiles|viewport|fanout|all] [--seconds N] [--clients N] [--rate N] [--concurrency N]
source "$(dirname "$0")/lib/common.sh"

which="${1:-all}"; shift || true
require_dotnet
log "building the solution (Release)"
dotnet build "$REPO/SituationMap.sln" -c Release -nologo -v q -clp:ErrorsOnly
start_cluster
ensure_database situationmap_bench
export SITUATIONMAP_DB; SITUATIONMAP_DB="$(db_connection situationmap_bench)"
server_command migrate
count="$(PGPASSWORD="$(cat "$STATE/pg-password")" psql -X -tA -h 127.0.0.1 -p "$PG_PORT" -U postgres -d situationmap_bench -c "SELECT count(*) FROM incidents")"
if [ "$count" -lt 1000000 ]; then
  log "loading the demo city with 1,000,000 incidents (once)"
  server_command seed --reset --incidents 1000000
fi

server_command accounts create --username bench --roles commander,admin >/dev/null 2>&1 || true
export BENCH_TOKEN; BENCH_TOKEN="$(server_command accounts token --username bench --name "scripts/bench.sh" --days 1 | tail -1)"

log "starting a benchmark server on 127.0.0.1:5090"
Logging__LogLevel__Default=Warning dotnet "$SERVER_DLL" serve --urls http://127.0.0.1:5090 > "$STATE/bench-server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5090/health >/dev/null && break; sleep 0.5; done
curl -sf http://127.0.0.1:5090/health >/dev/null || die "the benchmark server did not become healthy (log: $STATE/bench-server.log)"

dotnet "$REPO/tests/SituationMap.Benchmarks/bin/Release/net10.0/SituationMap.Benchmarks.dll" "$which" \
  --server http://127.0.0.1:5090 --db "$SITUATIONMAP_DB" --out "$REPO/artifacts/bench" "$@"
