#!/usr/bin/env bash
# Prints a bearer token for an existing account of the local SituationMap (after scripts/run.sh has set it up).
#   scripts/token.sh USERNAME [DAYS]     e.g. TOKEN=$(scripts/token.sh demo-commander)
# The token is shown once and stored only as a hash; revoke it with DELETE /api/admin/tokens/{id} (admin).
source "$(dirname "$0")/lib/common.sh"

user="${1:?usage: scripts/token.sh USERNAME [DAYS]}"; days="${2:-1}"
build_server >&2  # incremental: quick when nothing changed
if [ -z "${SITUATIONMAP_DB:-}" ]; then
  start_cluster >&2
  SITUATIONMAP_DB="$(db_connection situationmap)"
fi
export SITUATIONMAP_DB
server_command accounts token --username "$user" --name "scripts/token.sh" --days "$days" | tail -1
