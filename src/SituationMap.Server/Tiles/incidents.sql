-- Vector tile: incidents (MVT layer "incidents").
-- Inputs: $1 z, $2 x, $3 y (XYZ tile in Web Mercator, EPSG:3857); $4 from, $5 to (timestamptz, occurred_at window,
--         NULL = open); $6 categories text[] (NULL = all); $7 district codes (text[], the account's scope; NULL = all).
-- Storage SRID 4326: the tile envelope (plus a 64/4096 buffer) is transformed to 4326 once and incidents.geom && it
-- uses the GiST index ix_incidents_geom; the time window can use ix_incidents_occurred_at.
-- Points are projected to Web Mercator arithmetically (spherical formula, as EPSG:3857 defines it), which is far
-- cheaper than ST_Transform per row, and grouped:
--   z >= 14: one feature per incident (grouped by id) with id, category, severity, status, occurred_at (epoch s);
--   z <  14: clusters on a 64-pixel grid with point_count, severity = the highest, occurred_at = the latest, and
--            category/status only when the whole cluster shares them. A cluster of one keeps its incident's id.
-- All aggregates are hashable (no ordered-set aggregates), so PostgreSQL can group with a hash table.
WITH hits AS (
    SELECT i.id, i.category, i.severity, i.status, i.occurred_at,
           6378137.0 * radians(ST_X(i.geom)) AS mx,
           6378137.0 * ln(tan(pi() / 4 + radians(ST_Y(i.geom)) / 2)) AS my
    FROM incidents i
    WHERE i.geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)
      AND ($4::timestamptz IS NULL OR i.occurred_at >= $4)
      AND ($5::timestamptz IS NULL OR i.occurred_at < $5)
      AND ($6::text[] IS NULL OR i.category = ANY ($6))
      AND ($7::text[] IS NULL OR i.district = ANY ($7))
), features AS (
    SELECT CASE WHEN count(*) = 1 THEN min(h.id) END AS id,
           CASE WHEN min(h.category) = max(h.category) THEN min(h.category) END AS category,
           max(h.severity) AS severity,
           CASE WHEN min(h.status) = max(h.status) THEN min(h.status) END AS status,
           extract(epoch FROM max(h.occurred_at))::bigint AS occurred_at,
           count(*)::int AS point_count,
           ST_SetSRID(ST_MakePoint(avg(h.mx), avg(h.my)), 3857) AS g
    FROM hits h
    GROUP BY CASE WHEN $1 >= 14 THEN h.id::float8 ELSE floor(h.mx / (40075016.685578488 / (1 << $1) / 64)) END,
             CASE WHEN $1 >= 14 THEN 0 ELSE floor(h.my / (40075016.685578488 / (1 << $1) / 64)) END
)
SELECT ST_AsMVT(t, 'incidents', 4096, 'geom', 'id')
FROM (
    SELECT f.id, f.category, f.severity, f.status, f.occurred_at, f.point_count,
           ST_AsMVTGeom(f.g, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
    FROM features f
) t
WHERE t.geom IS NOT NULL;
