#!/usr/bin/env bash
# SituationMap: set up everything on this machine and serve the dashboard at http://127.0.0.1:5080
#   scripts/run.sh            install what is missing, start PostgreSQL+PostGIS, migrate, load demo data, serve
#   SITUATIONMAP_DB=...       use an existing PostGIS database instead of the local cluster
#   SITUATIONMAP_URL=...      listen elsewhere (default http://127.0.0.1:5080)
#   SITUATIONMAP_DEMO_ACTIVITY=0   do not simulate activity (by default units patrol and simulated incidents arrive)
source "$(dirname "$0")/lib/common.sh"

build_server
install_packages fonts-dejavu-core fonts-wqy-zenhei  # Latin + CJK fonts: the map's Chinese labels in a browser, and the server's map PNG and brief PDF (SkiaSharp, fontconfig)
build_web
prepare_database
log "demo accounts (DEMO ONLY — synthetic city; create real accounts for real data):"
server_command accounts demo --out "$STATE/demo-accounts.txt"
cat >&2 <<MSG
    Real use: create the first administrator, who then creates everyone else in the dashboard or via /api/admin:
      SITUATIONMAP_DB='…' dotnet $SERVER_DLL accounts create --username admin --roles admin
    (it prints a generated password once; --password-stdin reads one instead)
MSG
url="${SITUATIONMAP_URL:-http://127.0.0.1:5080}"
log "serving SituationMap at $url (Ctrl+C to stop)"
export Demo__Activity="${SITUATIONMAP_DEMO_ACTIVITY:-1}"
[ "$Demo__Activity" = 1 ] && export Demo__Activity=true && log "demo activity is on: units patrol and SIMULATED incidents arrive (source 'demo-sim')"
exec env ASPNETCORE_CONTENTROOT="${SERVER_DLL%/*}" dotnet "$SERVER_DLL" serve --urls "$url"
