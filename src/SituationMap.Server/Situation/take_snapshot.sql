-- Records the counters for the current five-minute slot (idempotent across servers: the first writer wins) and
-- prunes snapshots older than 30 days. No input. Table situation_snapshots (primary key taken_at).
WITH pruned AS (
    DELETE FROM situation_snapshots WHERE taken_at < now() - interval '30 days'
)
INSERT INTO situation_snapshots (taken_at, open_severity1, open_severity2, open_severity3, open_severity4,
                                 units_available, units_busy, units_off_duty, cameras_online, cameras_offline, cameras_fault)
SELECT date_bin('5 minutes', now(), timestamptz '2000-01-01 00:00:00+00'),
       count(*) FILTER (WHERE i.severity = 1), count(*) FILTER (WHERE i.severity = 2),
       count(*) FILTER (WHERE i.severity = 3), count(*) FILTER (WHERE i.severity = 4),
       (SELECT count(*) FROM patrol_units WHERE status = 'available'), (SELECT count(*) FROM patrol_units WHERE status = 'busy'),
       (SELECT count(*) FROM patrol_units WHERE status = 'off_duty'),
       (SELECT count(*) FROM cameras WHERE status = 'online'), (SELECT count(*) FROM cameras WHERE status = 'offline'),
       (SELECT count(*) FROM cameras WHERE status = 'fault')
FROM incidents i
WHERE i.status IN ('reported', 'dispatched', 'on_scene')
ON CONFLICT (taken_at) DO NOTHING;
