#!/usr/bin/env bash
# SituationMap: set up everything on this machine and serve the dashboard at http://127.0.0.1:5080
#   scripts/run.sh            install what is missing, start PostgreSQL+PostGIS, migrate, load demo data, serve
#   SITUATIONMAP_DB=...       use an existing PostGIS database instead of the local cluster
#   SITUATIONMAP_URL=...      listen elsewhere (default http://127.0.0.1:5080)
source "$(dirname "$0")/lib/common.sh"

build_server
prepare_database
url="${SITUATIONMAP_URL:-http://127.0.0.1:5080}"
log "serving SituationMap at $url (Ctrl+C to stop)"
exec dotnet "$SERVER_DLL" serve --urls "$url"
