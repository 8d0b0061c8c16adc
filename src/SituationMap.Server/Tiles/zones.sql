-- Vector tile: zones (MVT layer "zones").
-- Inputs: $1 z, $2 x, $3 y (XYZ tile, EPSG:3857); $4..$6 unused; $7 district codes (text[], the account's scope; NULL = all). Storage SRID 4326, GiST ix_zones_geom via &&.
-- Properties: name, name_en, kind, risk_level, coverage_target, district.
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS tile,
           ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS area
)
SELECT ST_AsMVT(t, 'zones', 4096, 'geom', 'id')
FROM (
    SELECT z.id, z.name, z.name_en, z.kind, z.risk_level, z.coverage_target, z.district,
           ST_AsMVTGeom(ST_Transform(z.geom, 3857), b.tile, 4096, 64, true) AS geom
    FROM zones z, bounds b
    WHERE z.geom && b.area AND ($7::text[] IS NULL OR z.district = ANY ($7))
) t
WHERE t.geom IS NOT NULL;
