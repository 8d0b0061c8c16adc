-- Vector tile: patrol routes (MVT layer "patrol_routes").
-- Inputs: $1 z, $2 x, $3 y (XYZ tile, EPSG:3857); $4..$6 unused; $7 district codes (text[], the account's scope; NULL = all). Storage SRID 4326, GiST ix_patrol_routes_geom via &&.
-- Properties: name, level (1 city, 2 district, 3 community), mode, status, district. Lines are clipped and snapped to
-- the 4096 grid by ST_AsMVTGeom.
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS tile,
           ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS area
)
SELECT ST_AsMVT(t, 'patrol_routes', 4096, 'geom', 'id')
FROM (
    SELECT r.id, r.name, r.level, r.mode, r.status, r.district,
           ST_AsMVTGeom(ST_Transform(r.geom, 3857), b.tile, 4096, 64, true) AS geom
    FROM patrol_routes r, bounds b
    WHERE r.geom && b.area AND ($7::text[] IS NULL OR r.district = ANY ($7))
) t
WHERE t.geom IS NOT NULL;
