-- Reads the change log after a position, in order.
-- Inputs: $1 after (bigint, exclusive), $2 max rows (int). Index: change_log pkey (seq).
SELECT seq, committed_at, layer, kind, feature_id, districts, min_x, min_y, max_x, max_y, row::text
FROM change_log
WHERE seq > $1
ORDER BY seq
LIMIT $2;
