-- Vector tile: districts (MVT layers "districts" polygons and "district_labels" points for labels).
-- Inputs: $1 z, $2 x, $3 y (XYZ tile, EPSG:3857); $4..$6 unused; $7 district codes (text[], the account's scope; NULL = all). Storage SRID 4326, GiST ix_districts_geom via &&.
-- Properties: code, name, name_en. Labels sit on ST_PointOnSurface so each district is labelled once.
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS tile,
           ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS area
)
SELECT
    (SELECT ST_AsMVT(t, 'districts', 4096, 'geom', 'id')
     FROM (SELECT d.id, d.code, d.name, d.name_en,
                  ST_AsMVTGeom(ST_Transform(d.geom, 3857), b.tile, 4096, 64, true) AS geom
           FROM districts d, bounds b
           WHERE d.geom && b.area AND ($7::text[] IS NULL OR d.code = ANY ($7))) t
     WHERE t.geom IS NOT NULL)
    ||
    (SELECT ST_AsMVT(l, 'district_labels', 4096, 'geom', 'id')
     FROM (SELECT d.id, d.code, d.name, d.name_en,
                  ST_AsMVTGeom(ST_Transform(ST_PointOnSurface(d.geom), 3857), b.tile, 4096, 0, true) AS geom
           FROM districts d, bounds b
           WHERE d.geom && b.area AND ($7::text[] IS NULL OR d.code = ANY ($7))) l
     WHERE l.geom IS NOT NULL);
