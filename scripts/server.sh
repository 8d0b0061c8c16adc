#!/usr/bin/env bash
# Runs a server command against the local SituationMap database (after scripts/run.sh has set it up), e.g.
#   scripts/server.sh import --file records.csv --layer incidents --source rms --external-id case_no --dry-run
#   scripts/server.sh import-roads --file city.osm.pbf
#   scripts/server.sh import-buildings --file city.osm.pbf
#   scripts/server.sh accounts create --username planner1 --roles planner
# Commands: migrate, seed, import, import-roads, import-buildings, accounts … (see README).
source "$(dirname "$0")/lib/common.sh"

[ $# -gt 0 ] || die "usage: scripts/server.sh COMMAND [OPTIONS…]"
build_server >&2  # incremental: quick when nothing changed
if [ -z "${SITUATIONMAP_DB:-}" ]; then
  start_cluster >&2
  SITUATIONMAP_DB="$(db_connection situationmap)"
fi
export SITUATIONMAP_DB
server_command "$@"
