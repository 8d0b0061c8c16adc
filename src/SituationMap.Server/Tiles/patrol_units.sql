-- Vector tile: patrol units (MVT layer "patrol_units").
-- Inputs: $1 z, $2 x, $3 y (XYZ tile, EPSG:3857); $4..$6 unused; $7 district codes (text[], the account's scope; NULL = all). Storage SRID 4326, GiST ix_patrol_units_geom via &&.
-- Properties: call_sign, level, mode, status, heading_deg, speed_mps, last_seen (epoch seconds).
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS tile,
           ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS area
)
SELECT ST_AsMVT(t, 'patrol_units', 4096, 'geom', 'id')
FROM (
    SELECT u.id, u.call_sign, u.level, u.mode, u.status, u.heading_deg, u.speed_mps,
           extract(epoch FROM u.last_seen)::bigint AS last_seen,
           ST_AsMVTGeom(ST_Transform(u.geom, 3857), b.tile, 4096, 64, true) AS geom
    FROM patrol_units u, bounds b
    WHERE u.geom && b.area AND ($7::text[] IS NULL OR u.district = ANY ($7))
) t
WHERE t.geom IS NOT NULL;
