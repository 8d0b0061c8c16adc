-- Unit tracks for playback: one LineString per unit over a time window, with the epoch second of every vertex.
-- Inputs: $1 from, $2 to (timestamptz); $3 bbox (geometry, SRID 4326, or NULL = everywhere); $4 district codes
--         (text[], the account's scope, or NULL = all).
-- Output: unit id, call sign, level, mode, the line (SRID 4326), times bigint[]. Units with fewer than two points in
-- the window are left out. Indexes: ix_unit_positions_recorded_at (BRIN) for the window, patrol_units pkey.
SELECT u.id, u.call_sign, u.level, u.mode,
       ST_MakeLine(p.geom ORDER BY p.recorded_at, p.id) AS line,
       array_agg(floor(extract(epoch FROM p.recorded_at))::bigint ORDER BY p.recorded_at, p.id) AS times
FROM unit_positions p
JOIN patrol_units u ON u.id = p.unit_id
WHERE p.recorded_at >= $1 AND p.recorded_at < $2
  AND ($3::geometry IS NULL OR p.geom && $3)
  AND ($4::text[] IS NULL OR u.district = ANY ($4))
GROUP BY u.id, u.call_sign, u.level, u.mode
HAVING count(*) >= 2
ORDER BY u.id;
