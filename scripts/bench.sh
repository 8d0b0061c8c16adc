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
# "ogc-paging" walks the OGC API incidents items of the same demo city by next links (1,000 and 10,000 per page).
# "routing-pgrouting" (no server) compares single-pair car routing with pgRouting's pgr_dijkstra on Liechtenstein.
# "import" (no server) times the import command on the Chicago crimes CSV and GeoJSON against ogr2ogr into PostGIS.
# "cluster" starts a local cluster on the web database (scripts/cluster.sh, nginx on 127.0.0.1:5180, demo activity off),
# first with 1 node, then with 2, and measures through nginx: live clients ramped at 100 changes/s, sustained incident
# writes, AVL position ingest and incident tiles under wrk (artifacts/bench/cluster.{md,json}; about 10 minutes).
# Extra options: --steps 500,1000,2000,3000 --write-rates 100,200,300,450,600 --write-clients 300 --seconds 15 --nodes-list "1 2"
# "hotspots" (no database) runs the hotspot BenchmarkDotNet benchmarks and the scipy/scikit-learn density reference;
# "analysis" every analysis-library benchmark (hotspots, coverage, routing).
#   scripts/bench.sh [hotspots|analysis|tiles|viewport|fanout|fanout-full|web|coverage-overlay|coverage-server|dispatch-server|ogc-paging|routing-pgrouting|import|cluster|all] [--seconds N] [--clients N] [--rate N] [--concurrency N]
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
if [ "$which" = hotspots ] || [ "$which" = analysis ]; then
  # the analysis library's BenchmarkDotNet benchmarks (no database, no server): "hotspots" = kernel density, Gi*,
  # local Moran and emerging hot spots, then the numpy/scipy/scikit-learn reference for the density; "analysis" =
  # every library benchmark (also coverage and routing). BenchmarkDotNet's reports go to artifacts/bench/analysis/.
  filters=('*KernelDensityBenchmarks*' '*HotspotBenchmarks*' '*EmergingHotspotBenchmarks*')
  [ "$which" = analysis ] && filters=('*')
  log "running the analysis benchmarks (BenchmarkDotNet ShortRun, Release): ${filters[*]}"
  dotnet run -c Release --project "$REPO/tests/SituationMap.Analysis.Benchmarks" -- \
    --filter "${filters[@]}" --artifacts "$REPO/artifacts/bench/analysis" "$@"
  if [ "$which" = hotspots ]; then
    install_packages python3-scipy python3-sklearn
    log "the reference: the same problem size through numpy/scipy/scikit-learn"; mkdir -p "$REPO/artifacts/bench/analysis"
    /usr/bin/python3 "$REPO/tests/SituationMap.Analysis.Benchmarks/reference/kde_reference.py" | tee "$REPO/artifacts/bench/analysis/kde-reference.txt"
  fi
  exit 0
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
if [ "$which" = import ]; then
  # imports: the Chicago 2018 crimes CSV (156,385 rows, 8 files) and the same rows as GeoJSON, through `import` into a
  # scratch database, fresh and again (idempotent re-import), against ogr2ogr loading the same files into PostGIS
  chicago="$REPO/../shared/geodata-external/chicago-crimes-2018"
  [ -d "$chicago" ] || die "the Chicago crimes CSV is not at $chicago (../shared/geodata-external)"
  install_packages gdal-bin
  log "building the server (Release)"
  dotnet build "$REPO/src/SituationMap.Server/SituationMap.Server.csproj" -c Release -nologo -v q -clp:ErrorsOnly
  SERVER_DLL="$REPO/src/SituationMap.Server/bin/Release/net10.0/SituationMap.Server.dll"
  start_cluster
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
  psql_admin -c "DROP DATABASE IF EXISTS situationmap_bench_import" -c "DROP DATABASE IF EXISTS situationmap_bench_ogr"
  ensure_database situationmap_bench_import; ensure_database situationmap_bench_ogr
  export SITUATIONMAP_DB; SITUATIONMAP_DB="$(db_connection situationmap_bench_import)"
  server_command migrate >/dev/null
  pg="PG:host=127.0.0.1 port=$PG_PORT user=postgres password=$(cat "$STATE/pg-password") dbname=situationmap_bench_ogr"
  PGPASSWORD="$(cat "$STATE/pg-password")" psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d situationmap_bench_ogr -c "CREATE EXTENSION IF NOT EXISTS postgis"
  # the GeoJSON input: the same rows as one file, converted once (not timed)
  { head -n 1 "$chicago/chicago_crimes_2018-01.csv"; for f in "$chicago"/chicago_crimes_2018-0*.csv; do tail -n +2 "$f"; done; } > "$work/chicago.csv"
  ogr2ogr -f GeoJSON "$work/chicago.geojson" "$work/chicago.csv" -oo X_POSSIBLE_NAMES=Longitude -oo Y_POSSIBLE_NAMES=Latitude -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326
  rows_geojson="$(ogrinfo -ro -so -al "$work/chicago.geojson" | sed -n 's/^Feature Count: //p')"
  seconds() { awk -v s="$1" -v e="$(date +%s%N)" 'BEGIN { printf "%.2f", (e - s) / 1e9 }'; }
  out="$REPO/artifacts/bench"; mkdir -p "$out"
  report="$out/import.md"
  printf '| what | rows | seconds | rows/s |\n|---|---|---|---|\n' > "$report"
  row() { awk -v w="$1" -v n="$2" -v t="$3" 'BEGIN { printf "| %s | %d | %.2f | %.0f |\n", w, n, t, n / t }' | tee -a "$report"; }
  log "import: Chicago CSV into an empty incidents layer"
  t=$(date +%s%N); server_command import --file "$chicago" --options "$REPO/geodata/mappings/chicago-crimes-2018.json" >"$work/import1.log" 2>&1; row "import CSV (8 files), empty layer" 156385 "$(seconds "$t")"
  log "import: the same files again (every row unchanged)"
  t=$(date +%s%N); server_command import --file "$chicago" --options "$REPO/geodata/mappings/chicago-crimes-2018.json" >"$work/import2.log" 2>&1; row "re-import CSV (all unchanged)" 156385 "$(seconds "$t")"
  log "ogr2ogr: the same CSV files into PostGIS (COPY)"
  t=$(date +%s%N)
  for f in "$chicago"/chicago_crimes_2018-0*.csv; do
    PG_USE_COPY=YES ogr2ogr -append -f PostgreSQL "$pg" "$f" -nln chicago_csv -oo X_POSSIBLE_NAMES=Longitude -oo Y_POSSIBLE_NAMES=Latitude -a_srs EPSG:4326 -lco GEOMETRY_NAME=geom
  done
  row "ogr2ogr CSV → PostGIS" 156385 "$(seconds "$t")"
  PGPASSWORD="$(cat "$STATE/pg-password")" psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d situationmap_bench_import -1 \
    -c "SET LOCAL situationmap.bulk_load = 'on'" -c "DELETE FROM incidents WHERE source = 'chicago-clear'"
  sed 's/"format": "csv",/"format": "geojson",/; s/"x": "Longitude",//; s/"y": "Latitude",//; s/"source": "chicago-clear"/"source": "chicago-geojson"/' \
    "$REPO/geodata/mappings/chicago-crimes-2018.json" > "$work/geojson-options.json"
  log "import: the same rows as one GeoJSON file"
  t=$(date +%s%N); server_command import --file "$work/chicago.geojson" --options "$work/geojson-options.json" >"$work/import3.log" 2>&1; row "import GeoJSON (1 file), empty layer" "$rows_geojson" "$(seconds "$t")"
  log "ogr2ogr: the GeoJSON file into PostGIS (COPY)"
  t=$(date +%s%N); PG_USE_COPY=YES ogr2ogr -f PostgreSQL "$pg" "$work/chicago.geojson" -nln chicago_geojson -lco GEOMETRY_NAME=geom; row "ogr2ogr GeoJSON → PostGIS" "$rows_geojson" "$(seconds "$t")"
  cat "$work/import1.log" "$work/import2.log" "$work/import3.log" | grep -E "^(succeeded|rejected|dry run)" || { cat "$work/import1.log"; die "an import failed"; }
  log "results in $report (machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB)"
  exit 0
fi
if [ "$which" = cluster ]; then
  log "building the server and the benchmarks (Release)"
  dotnet build "$REPO/tests/SituationMap.Benchmarks/SituationMap.Benchmarks.csproj" -c Release -nologo -v q -clp:ErrorsOnly
else
  log "building the solution (Release)"
  dotnet build "$REPO/SituationMap.sln" -c Release -nologo -v q -clp:ErrorsOnly
fi
start_cluster
if [ "$which" = web ] || [ "$which" = coverage-server ] || [ "$which" = dispatch-server ] || [ "$which" = ogc-paging ] || [ "$which" = cluster ]; then
  if [ "$which" = web ]; then install_packages chromium fonts-wqy-zenhei; build_web; fi
  database=situationmap_bench_web; incidents=100000
else
  database=situationmap_bench; incidents=1000000
fi
use_local_database "$database"
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

if [ "$which" = cluster ]; then
  install_packages redis-server nginx wrk
  nodes_list="1 2"; args=()
  while [ $# -gt 0 ]; do
    if [ "$1" = --nodes-list ]; then nodes_list="${2:?--nodes-list \"1 2\"}"; shift 2; else args+=("$1"); shift; fi
  done
  # its own cluster folder, ports and Redis, so that a cluster started by hand (5080, Redis 6391) is left alone
  export SITUATIONMAP_CLUSTER_DIR="$STATE/cluster-bench" SITUATIONMAP_DEMO_ACTIVITY=0
  cluster() { "$REPO/scripts/cluster.sh" "$@"; }
  trap 'cluster stop' EXIT
  log "load average now: $(cut -d' ' -f1-3 /proc/loadavg) — the load generator and the cluster share this machine's $(nproc) cores"
  for nodes in $nodes_list; do
    cluster stop
    cluster start --nodes "$nodes" --port 5180 --redis-port 6491 --db "$database" --no-build
    dotnet "$REPO/tests/SituationMap.Benchmarks/bin/Release/net10.0/SituationMap.Benchmarks.dll" cluster \
      --server http://127.0.0.1:5180 --db "$SITUATIONMAP_DB" --out "$REPO/artifacts/bench" --nodes "$nodes" ${args[@]+"${args[@]}"}
  done
  log "results in $REPO/artifacts/bench/cluster.md"
  exit 0
fi

log "starting a benchmark server on 127.0.0.1:5090"
Logging__LogLevel__Default=Warning ASPNETCORE_CONTENTROOT="${SERVER_DLL%/*}" dotnet "$SERVER_DLL" serve --urls http://127.0.0.1:5090 > "$STATE/bench-server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5090/health >/dev/null && break; sleep 0.5; done
curl -sf http://127.0.0.1:5090/health >/dev/null || die "the benchmark server did not become healthy (log: $STATE/bench-server.log)"

dotnet "$REPO/tests/SituationMap.Benchmarks/bin/Release/net10.0/SituationMap.Benchmarks.dll" "$which" \
  --server http://127.0.0.1:5090 --db "$SITUATIONMAP_DB" --out "$REPO/artifacts/bench" "$@"
