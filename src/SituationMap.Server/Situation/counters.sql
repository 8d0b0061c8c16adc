-- The situation counters right now. Inputs: $1 shift start (timestamptz); $2 district codes (text[], the account's
-- scope; NULL = the whole city).
-- Output: one row: change_seq, open incidents by severity 1-4 (status reported/dispatched/on_scene), incidents
-- reported since the shift start, units available/busy/off_duty, cameras online/offline/fault.
-- Indexes: ix_incidents_status_occurred_at (open incidents), ix_incidents_reported_at; units and cameras are small.
SELECT (SELECT seq FROM change_log_head),
       o.s1, o.s2, o.s3, o.s4,
       (SELECT count(*) FROM incidents WHERE reported_at >= $1 AND ($2::text[] IS NULL OR district = ANY ($2)))::int,
       u.available, u.busy, u.off_duty,
       c.online, c.offline, c.fault
FROM (SELECT count(*) FILTER (WHERE severity = 1)::int AS s1, count(*) FILTER (WHERE severity = 2)::int AS s2,
             count(*) FILTER (WHERE severity = 3)::int AS s3, count(*) FILTER (WHERE severity = 4)::int AS s4
      FROM incidents WHERE status IN ('reported', 'dispatched', 'on_scene') AND ($2::text[] IS NULL OR district = ANY ($2))) o,
     (SELECT count(*) FILTER (WHERE status = 'available')::int AS available, count(*) FILTER (WHERE status = 'busy')::int AS busy,
             count(*) FILTER (WHERE status = 'off_duty')::int AS off_duty
      FROM patrol_units WHERE $2::text[] IS NULL OR district = ANY ($2)) u,
     (SELECT count(*) FILTER (WHERE status = 'online')::int AS online, count(*) FILTER (WHERE status = 'offline')::int AS offline,
             count(*) FILTER (WHERE status = 'fault')::int AS fault
      FROM cameras WHERE $2::text[] IS NULL OR district = ANY ($2)) c;
