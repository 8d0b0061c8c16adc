-- CompStat counts: incidents per district × category (and the district, category and grand totals) in the current
-- period [$1, $2), the previous period [$3, $1) and the same period a year earlier [$4, $5). $6 district codes
-- (text[], the account's scope; NULL = all); $7 severity levels (int[]; NULL = all, {3,4} = major cases).
-- Output: district, category, is-district-total, is-category-total, current, previous, last_year. Index: ix_incidents_occurred_at.
SELECT district, category, GROUPING(district) = 1, GROUPING(category) = 1,
       count(*) FILTER (WHERE occurred_at >= $1 AND occurred_at < $2),
       count(*) FILTER (WHERE occurred_at >= $3 AND occurred_at < $1),
       count(*) FILTER (WHERE occurred_at >= $4 AND occurred_at < $5)
FROM incidents
WHERE ((occurred_at >= $3 AND occurred_at < $2) OR (occurred_at >= $4 AND occurred_at < $5))
  AND ($6::text[] IS NULL OR district = ANY ($6))
  AND ($7::int[] IS NULL OR severity = ANY ($7))
GROUP BY GROUPING SETS ((district, category), (district), (category), ())
ORDER BY GROUPING(district), district, GROUPING(category), category;
