-- Vector tile: building footprints (MVT layer "buildings"), for the basemap from zoom 14.
-- Inputs: $1 z, $2 x, $3 y (XYZ tile, EPSG:3857); $4..$7 unused (reference data, not district-scoped). Storage SRID 4326,
-- GiST ix_buildings_geom via &&. Below z14 the tile is empty (footprints are too small to see).
-- Properties: kind, levels, height_m.
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS tile,
           ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS area
)
SELECT ST_AsMVT(t, 'buildings', 4096, 'geom', 'id')
FROM (
    SELECT g.id, g.kind, g.levels, g.height_m,
           ST_AsMVTGeom(ST_Transform(g.geom, 3857), b.tile, 4096, 64, true) AS geom
    FROM buildings g, bounds b
    WHERE $1 >= 14 AND g.geom && b.area
) t
WHERE t.geom IS NOT NULL;
