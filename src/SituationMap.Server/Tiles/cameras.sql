-- Vector tile: cameras (MVT layers "cameras" and, from z 14, "camera_views").
-- Inputs: $1 z, $2 x, $3 y (XYZ tile, EPSG:3857); $4..$6 unused; $7 district codes (text[], the account's scope; NULL = all). Storage SRID 4326; indexes ix_cameras_geom and
-- ix_cameras_view_sector (GiST) through && on the tile envelope transformed to 4326.
-- cameras: points with name, kind, status, heading_deg, field_of_view_deg, range_m.
-- camera_views: the field-of-view sector minus privacy masks (cameras.view_sector), with kind and status.
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS tile,
           ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS area
)
SELECT
    (SELECT ST_AsMVT(p, 'cameras', 4096, 'geom', 'id')
     FROM (SELECT c.id, c.name, c.kind, c.status, c.heading_deg, c.field_of_view_deg, c.range_m,
                  ST_AsMVTGeom(ST_Transform(c.geom, 3857), b.tile, 4096, 64, true) AS geom
           FROM cameras c, bounds b
           WHERE c.geom && b.area AND ($7::text[] IS NULL OR c.district = ANY ($7))) p
     WHERE p.geom IS NOT NULL)
    ||
    (SELECT ST_AsMVT(v, 'camera_views', 4096, 'geom', 'id')
     FROM (SELECT c.id, c.kind, c.status,
                  ST_AsMVTGeom(ST_Transform(c.view_sector, 3857), b.tile, 4096, 64, true) AS geom
           FROM cameras c, bounds b
           WHERE $1 >= 14 AND c.view_sector && b.area AND ($7::text[] IS NULL OR c.district = ANY ($7))) v
     WHERE v.geom IS NOT NULL);
