-- Vector tile: roads (MVT layer "roads"), for the basemap.
-- Inputs: $1 z, $2 x, $3 y (XYZ tile, EPSG:3857); $4..$7 unused (the road basemap is not district-scoped). Storage SRID 4326, GiST ix_roads_geom via &&.
-- Generalisation by zoom: z < 11 motorway/trunk/primary; z < 13 also secondary/tertiary; z >= 13 every class.
-- Properties: name, name_en, class (OSM highway value), oneway.
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS tile,
           ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS area
)
SELECT ST_AsMVT(t, 'roads', 4096, 'geom', 'id')
FROM (
    SELECT r.id, r.name, r.name_en, r.class, r.one_way AS oneway,
           ST_AsMVTGeom(ST_Transform(r.geom, 3857), b.tile, 4096, 64, true) AS geom
    FROM roads r, bounds b
    WHERE r.geom && b.area
      AND ($1 >= 13
           OR r.class IN ('motorway', 'trunk', 'primary')
           OR ($1 >= 11 AND r.class IN ('secondary', 'tertiary')))
) t
WHERE t.geom IS NOT NULL;
