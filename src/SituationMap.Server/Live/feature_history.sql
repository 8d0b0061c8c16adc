-- The recent history of one feature, newest first, from the change log (which keeps Live:Retention, 7 days).
-- Inputs: $1 layer (text), $2 feature id (bigint), $3 max rows (int). Index: ix_change_log_layer_feature_id_seq.
SELECT seq, committed_at, layer, kind, feature_id, districts, min_x, min_y, max_x, max_y, row::text
FROM change_log
WHERE layer = $1 AND feature_id = $2
ORDER BY seq DESC
LIMIT $3;
