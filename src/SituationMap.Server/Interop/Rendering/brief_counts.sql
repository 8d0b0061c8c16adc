-- Situation brief: incidents that occurred in the period [$1, $2) and in the previous period [$3, $1), per district ×
-- category × status. Inputs: $1 period start, $2 period end, $3 previous period start (timestamptz); $4 district codes
-- (text[], the account's scope; NULL = all). Index: ix_incidents_occurred_at (a shift is a small slice of the table).
-- Output: district (NULL = none), category, status, current count, previous count.
SELECT i.district, i.category, i.status,
       (count(*) FILTER (WHERE i.occurred_at >= $1))::int,
       (count(*) FILTER (WHERE i.occurred_at < $1))::int
FROM incidents i
WHERE i.occurred_at >= $3 AND i.occurred_at < $2
  AND ($4::text[] IS NULL OR i.district = ANY ($4))
GROUP BY i.district, i.category, i.status;
