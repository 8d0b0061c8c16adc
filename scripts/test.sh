#!/usr/bin/env bash
# SituationMap: the same set-up as scripts/run.sh, then every test against real PostGIS, SignalR and GDAL.
# Ends with the line "N passed, N failed" (all test projects summed). Exit status 0 only when nothing failed.
#   SITUATIONMAP_TEST_DB=...  an admin connection string to another PostGIS cluster (tests create their own databases)
source "$(dirname "$0")/lib/common.sh"

install_packages gdal-bin proj-bin chromium fonts-dejavu-core fonts-wqy-zenhei poppler-utils redis-server nginx  # redis-server, nginx: the cluster tests; proj-bin: cs2cs, the reference of the CRS tests; poppler-utils: pdfinfo/pdftotext check the situation brief
require_dotnet
log "building the solution (Release)"
dotnet build "$REPO/SituationMap.sln" -c Release -nologo -v q -clp:ErrorsOnly
build_web
prepare_database
if [ -z "${SITUATIONMAP_TEST_DB:-}" ]; then
  start_cluster
  export SITUATIONMAP_TEST_DB="$SITUATIONMAP_ADMIN_DB"
fi

status=0
log "checking formatting (dotnet format --verify-no-changes)"
if ! dotnet format "$REPO/SituationMap.sln" --verify-no-changes --no-restore -v q; then
  echo "formatting differs: run 'dotnet format SituationMap.sln'" >&2
  status=1
fi

results="$REPO/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
for project in "$REPO"/tests/*/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  log "running $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=1
done

if [ -f "$WEB/package.json" ]; then
  log "running the dashboard's unit tests (vitest)"
  rm -f "$WEB/test-results/junit.xml"
  (cd "$WEB" && npm test --silent) || status=1
fi

passed=0; failed=0; found=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  found=1
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
junit="$WEB/test-results/junit.xml"
if [ -f "$WEB/package.json" ]; then
  if [ -f "$junit" ]; then
    suites="$(grep -o '<testsuites [^>]*>' "$junit" | head -1)"
    attr() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$suites"; }
    t="$(attr tests)"; f="$(attr failures)"; e="$(attr errors)"; k="$(attr skipped)"
    passed=$((passed + ${t:-0} - ${f:-0} - ${e:-0} - ${k:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
  else
    echo "vitest wrote no report ($junit)" >&2; status=1
  fi
fi
[ "$found" = 1 ] || { echo "no test results were written" >&2; status=1; }
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit "$status"
