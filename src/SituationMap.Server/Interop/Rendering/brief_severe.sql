-- Situation brief: the newest high-severity (4) incidents that occurred in the period [$1, $2), at most $3.
-- Inputs: $1, $2 (timestamptz); $3 limit; $4 district codes (text[], the account's scope; NULL = all).
-- Index: ix_incidents_occurred_at. Output: id, occurred_at, category, status, district name (or code), address.
SELECT i.id, i.occurred_at, i.category, i.status, coalesce(d.name_en, d.name, i.district), i.address
FROM incidents i LEFT JOIN districts d ON d.code = i.district
WHERE i.occurred_at >= $1 AND i.occurred_at < $2 AND i.severity = 4
  AND ($4::text[] IS NULL OR i.district = ANY ($4))
ORDER BY i.occurred_at DESC
LIMIT $3;
