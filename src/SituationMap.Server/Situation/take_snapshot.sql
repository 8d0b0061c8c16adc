-- Records the counters for the current five-minute slot, per district and for the whole city ('*'), idempotently
-- across servers (the first writer of a slot wins), and prunes snapshots older than 30 days. No input.
-- Table situation_snapshots (primary key taken_at, district).
WITH pruned AS (
    DELETE FROM situation_snapshots WHERE taken_at < now() - interval '30 days'
), scopes AS (
    SELECT code FROM districts UNION ALL SELECT '*'
)
INSERT INTO situation_snapshots (taken_at, district, open_severity1, open_severity2, open_severity3, open_severity4,
                                 units_available, units_busy, units_off_duty, cameras_online, cameras_offline, cameras_fault)
SELECT date_bin('5 minutes', now(), timestamptz '2000-01-01 00:00:00+00'), s.code, o.s1, o.s2, o.s3, o.s4,
       u.available, u.busy, u.off_duty, c.online, c.offline, c.fault
FROM scopes s,
LATERAL (SELECT count(*) FILTER (WHERE severity = 1) AS s1, count(*) FILTER (WHERE severity = 2) AS s2,
                count(*) FILTER (WHERE severity = 3) AS s3, count(*) FILTER (WHERE severity = 4) AS s4
         FROM incidents WHERE status IN ('reported', 'dispatched', 'on_scene') AND (s.code = '*' OR district = s.code)) o,
LATERAL (SELECT count(*) FILTER (WHERE status = 'available') AS available, count(*) FILTER (WHERE status = 'busy') AS busy,
                count(*) FILTER (WHERE status = 'off_duty') AS off_duty
         FROM patrol_units WHERE s.code = '*' OR district = s.code) u,
LATERAL (SELECT count(*) FILTER (WHERE status = 'online') AS online, count(*) FILTER (WHERE status = 'offline') AS offline,
                count(*) FILTER (WHERE status = 'fault') AS fault
         FROM cameras WHERE s.code = '*' OR district = s.code) c
ON CONFLICT (taken_at, district) DO NOTHING;
