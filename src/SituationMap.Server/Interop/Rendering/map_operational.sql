-- Map export: the operational layers in the view (zones, patrol routes, cameras, camera view sectors, patrol units),
-- in Web Mercator (EPSG:3857) WKB simplified to the pixel size.
-- Inputs: $1..$4 view minLon, minLat, maxLon, maxLat (WGS84, SRID 4326); $5 metres per pixel (Web Mercator);
-- $6 district codes (text[], the account's scope; NULL = all); $7 layers wanted (text[] of 'zone', 'route', 'camera',
-- 'camera_view', 'unit'). Indexes: ix_zones_geom, ix_patrol_routes_geom, ix_cameras_geom, ix_cameras_view_sector,
-- ix_patrol_units_geom (GiST) via &&. View sectors only finer than ~9.6 m/px (z >= 14), as in the tiles.
-- Output: layer, kind (zone kind | route level | camera status | unit status), status (zone risk level | route status |
-- camera kind | unit mode), name, heading (degrees, cameras and units), geometry (WKB, EPSG:3857).
WITH v AS (SELECT ST_MakeEnvelope($1, $2, $3, $4, 4326) AS area)
SELECT 'zone', z.kind, z.risk_level::text, coalesce(z.name_en, z.name), NULL::float8,
       ST_AsBinary(ST_SimplifyPreserveTopology(ST_Transform(z.geom, 3857), $5))
FROM zones z, v
WHERE 'zone' = ANY ($7) AND z.geom && v.area AND ($6::text[] IS NULL OR z.district = ANY ($6))
UNION ALL
SELECT 'route', r.level::text, r.status, r.name, NULL, ST_AsBinary(ST_Simplify(ST_Transform(r.geom, 3857), $5 / 2))
FROM patrol_routes r, v
WHERE 'route' = ANY ($7) AND r.geom && v.area AND ($6::text[] IS NULL OR r.district = ANY ($6))
UNION ALL
SELECT 'camera_view', c.status, c.kind, NULL, NULL, ST_AsBinary(ST_Transform(c.view_sector, 3857))
FROM cameras c, v
WHERE 'camera_view' = ANY ($7) AND $5 < 9.6 AND c.view_sector && v.area AND ($6::text[] IS NULL OR c.district = ANY ($6))
UNION ALL
SELECT 'camera', c.status, c.kind, c.name, c.heading_deg::float8, ST_AsBinary(ST_Transform(c.geom, 3857))
FROM cameras c, v
WHERE 'camera' = ANY ($7) AND c.geom && v.area AND ($6::text[] IS NULL OR c.district = ANY ($6))
UNION ALL
SELECT 'unit', u.status, u.mode, u.call_sign, u.heading_deg::float8, ST_AsBinary(ST_Transform(u.geom, 3857))
FROM patrol_units u, v
WHERE 'unit' = ANY ($7) AND u.geom && v.area AND ($6::text[] IS NULL OR u.district = ANY ($6));
