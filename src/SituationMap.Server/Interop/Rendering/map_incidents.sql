-- Map export: the incidents in the view, aggregated on a grid of a few pixels (so 100,000 incidents become at most
-- one dot per cell). Inputs: $1..$4 view minLon, minLat, maxLon, maxLat (WGS84, SRID 4326); $5 grid cell (Web
-- Mercator metres); $6 district codes (text[], the account's scope; NULL = all); $7 from, $8 to (timestamptz,
-- occurred_at window, NULL = open); $9 categories (text[], NULL = all).
-- Index: ix_incidents_geom (GiST) through && on the view envelope; the window can use ix_incidents_occurred_at.
-- Points are projected to Web Mercator arithmetically (the spherical formula EPSG:3857 defines), as the tiles do.
-- Output per occupied cell: x, y (Web Mercator metres, the mean of its incidents), count, highest severity, the most
-- frequent category (ties: alphabetical), open incidents (reported, dispatched, on_scene). Ordered so that severe and
-- large cells are drawn last (on top).
WITH hits AS (
    SELECT i.category, i.severity, i.status,
           6378137.0 * radians(ST_X(i.geom)) AS mx,
           6378137.0 * ln(tan(pi() / 4 + radians(ST_Y(i.geom)) / 2)) AS my
    FROM incidents i
    WHERE i.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
      AND ($6::text[] IS NULL OR i.district = ANY ($6))
      AND ($7::timestamptz IS NULL OR i.occurred_at >= $7)
      AND ($8::timestamptz IS NULL OR i.occurred_at < $8)
      AND ($9::text[] IS NULL OR i.category = ANY ($9))
), by_category AS (
    SELECT floor(h.mx / $5) AS cx, floor(h.my / $5) AS cy, h.category, count(*) AS n, max(h.severity) AS severity,
           sum(h.mx) AS sx, sum(h.my) AS sy, count(*) FILTER (WHERE h.status IN ('reported', 'dispatched', 'on_scene')) AS open
    FROM hits h
    GROUP BY 1, 2, 3
)
SELECT sum(c.sx) / sum(c.n), sum(c.sy) / sum(c.n), sum(c.n)::int, max(c.severity)::int,
       (array_agg(c.category ORDER BY c.n DESC, c.category))[1], sum(c.open)::int
FROM by_category c
GROUP BY c.cx, c.cy
ORDER BY max(c.severity), sum(c.n);
