-- The situation counters at a past time T, rebuilt from history where no snapshot of that time exists (a server that
-- was not running at the shift start). Inputs: $1 T (timestamptz); $2 district codes (text[], the account's scope;
-- NULL = the whole city).
-- Output: one row: incidents_known, open incidents by severity 1-4 at T; units_known, units available/busy/off_duty
-- at T; cameras_known, cameras online/offline/fault at T.
-- Sources:
--   incidents, patrol units: audit_log (append-only, every row change with its before image except telemetry-only
--     unit updates). A feature changed after T was, at T, its `before` of its first change after T (NULL = it did not
--     exist yet); a feature unchanged since T is its current row if it was created by T.
--   cameras: camera_status_history (every status period, written by trigger, bulk loads included).
-- A layer is unknown (its *_known is false) when a bulk load or an import rewrote it after T: such writes leave no
-- per-row history (change_log kind 'reloaded', audit actions 'bulk_load' / 'import'); a TRUNCATE leaves camera periods
-- open for cameras that are gone, which is caught the same way (the demo reset is a bulk load).
-- Indexes: audit_log (brin on at; layer, feature_id), camera_status_history (camera_id, valid_from).
WITH rewritten AS (
    SELECT layer FROM change_log WHERE kind = 'reloaded' AND committed_at > $1
    UNION
    SELECT COALESCE(layer, '*') FROM audit_log WHERE action IN ('bulk_load', 'import') AND at > $1
), changed AS (
    -- each feature's first row change after T and its image before it
    SELECT DISTINCT ON (layer, feature_id) layer, feature_id, before
    FROM audit_log
    WHERE at > $1 AND layer IN ('incidents', 'patrol_units') AND action IN ('insert', 'update', 'delete')
    ORDER BY layer, feature_id, at, id
), incidents_then AS (
    SELECT (before->>'severity')::int AS severity, before->>'status' AS status, before->>'district' AS district
    FROM changed WHERE layer = 'incidents' AND before IS NOT NULL
    UNION ALL
    SELECT i.severity, i.status, i.district
    FROM incidents i
    WHERE i.created_at <= $1 AND NOT EXISTS (SELECT 1 FROM changed c WHERE c.layer = 'incidents' AND c.feature_id = i.id)
), units_then AS (
    SELECT before->>'status' AS status, before->>'district' AS district
    FROM changed WHERE layer = 'patrol_units' AND before IS NOT NULL
    UNION ALL
    SELECT u.status, u.district
    FROM patrol_units u
    WHERE u.created_at <= $1 AND NOT EXISTS (SELECT 1 FROM changed c WHERE c.layer = 'patrol_units' AND c.feature_id = u.id)
), cameras_then AS (
    SELECT h.status, COALESCE(c.district, gone.district) AS district
    FROM camera_status_history h
    LEFT JOIN cameras c ON c.id = h.camera_id
    LEFT JOIN LATERAL (SELECT a.before->>'district' AS district FROM audit_log a
                       WHERE c.id IS NULL AND a.layer = 'cameras' AND a.feature_id = h.camera_id AND a.action = 'delete'
                       ORDER BY a.at DESC LIMIT 1) gone ON true
    WHERE h.valid_from <= $1 AND (h.valid_to IS NULL OR h.valid_to > $1)
)
SELECT NOT EXISTS (SELECT 1 FROM rewritten WHERE layer IN ('incidents', '*')),
       o.s1, o.s2, o.s3, o.s4,
       NOT EXISTS (SELECT 1 FROM rewritten WHERE layer IN ('patrol_units', '*')),
       u.available, u.busy, u.off_duty,
       NOT EXISTS (SELECT 1 FROM rewritten WHERE layer IN ('cameras', '*')),
       c.online, c.offline, c.fault
FROM (SELECT count(*) FILTER (WHERE severity = 1)::int AS s1, count(*) FILTER (WHERE severity = 2)::int AS s2,
             count(*) FILTER (WHERE severity = 3)::int AS s3, count(*) FILTER (WHERE severity = 4)::int AS s4
      FROM incidents_then WHERE status IN ('reported', 'dispatched', 'on_scene') AND ($2::text[] IS NULL OR district = ANY ($2))) o,
     (SELECT count(*) FILTER (WHERE status = 'available')::int AS available, count(*) FILTER (WHERE status = 'busy')::int AS busy,
             count(*) FILTER (WHERE status = 'off_duty')::int AS off_duty
      FROM units_then WHERE $2::text[] IS NULL OR district = ANY ($2)) u,
     (SELECT count(*) FILTER (WHERE status = 'online')::int AS online, count(*) FILTER (WHERE status = 'offline')::int AS offline,
             count(*) FILTER (WHERE status = 'fault')::int AS fault
      FROM cameras_then WHERE $2::text[] IS NULL OR district = ANY ($2)) c;
