-- Purges the free text (description and address: both may name people) of closed and cancelled incidents that
-- occurred more than $1 days ago (int). Output: the number of incidents purged. Index: ix_incidents_status_occurred_at.
-- The update fires the change-log and audit triggers like any other write (the audit keeps only a hash of free text,
-- never the text itself).
WITH purged AS (
    UPDATE incidents SET description = NULL, address = NULL
    WHERE status IN ('closed', 'cancelled') AND occurred_at < now() - make_interval(days => $1)
      AND (description IS NOT NULL OR address IS NOT NULL)
    RETURNING 1
)
SELECT count(*)::int FROM purged;
