-- Incidents for hotspot analysis: position (WGS84 degrees), severity, occurrence time (epoch seconds), category,
-- district. Inputs: $1 from, $2 to (timestamptz, occurred_at window); $3 categories text[] (NULL = all);
-- $4 district codes text[] (the account's scope; NULL = all); $5 severity levels int[] (NULL = all). Index: ix_incidents_occurred_at.
SELECT ST_X(geom), ST_Y(geom), severity, extract(epoch FROM occurred_at)::bigint, category, district
FROM incidents
WHERE occurred_at >= $1 AND occurred_at < $2
  AND ($3::text[] IS NULL OR category = ANY ($3))
  AND ($4::text[] IS NULL OR district = ANY ($4))
  AND ($5::int[] IS NULL OR severity = ANY ($5));
