-- Map export: the basemap in the view, in Web Mercator (EPSG:3857) WKB simplified to the pixel size.
-- Inputs: $1..$4 view minLon, minLat, maxLon, maxLat (WGS84, SRID 4326); $5 metres per pixel (Web Mercator);
-- $6 district codes (text[], the account's scope; NULL = all: districts are scoped as in the tiles, roads and
-- buildings are reference data and are not). Indexes: ix_districts_geom, ix_roads_geom, ix_buildings_geom (GiST) via &&.
-- Generalisation as the road tiles: coarser than ~38 m/px (z < 12) only motorway/trunk/primary; coarser than ~9.6 m/px
-- (z < 14) also secondary/tertiary; building footprints only finer than ~4.8 m/px (z >= 15), at most 60,000.
-- Output: layer ('district', 'road', 'building'), kind (district code | road class | building kind), name, name_en,
-- geometry (WKB, EPSG:3857), label point (WKB, EPSG:3857; districts only).
WITH v AS (SELECT ST_MakeEnvelope($1, $2, $3, $4, 4326) AS area)
SELECT 'district', d.code, d.name, d.name_en,
       ST_AsBinary(ST_SimplifyPreserveTopology(ST_Transform(d.geom, 3857), $5)),
       ST_AsBinary(ST_Transform(ST_PointOnSurface(d.geom), 3857))
FROM districts d, v
WHERE d.geom && v.area AND ($6::text[] IS NULL OR d.code = ANY ($6))
UNION ALL
SELECT 'road', r.class, r.name, r.name_en, ST_AsBinary(ST_Simplify(ST_Transform(r.geom, 3857), $5 / 2)), NULL
FROM roads r, v
WHERE r.geom && v.area
  AND ($5 < 9.6 OR r.class IN ('motorway', 'trunk', 'primary') OR ($5 < 38.3 AND r.class IN ('secondary', 'tertiary')))
UNION ALL
(SELECT 'building', b.kind, NULL, NULL, ST_AsBinary(ST_Transform(b.geom, 3857)), NULL
 FROM buildings b, v
 WHERE $5 < 4.8 AND b.geom && v.area
 LIMIT 60000);
