-- camera_status_history: when each camera was online, offline or faulty — for the evidence finder ("which cameras
-- could have recorded this incident, then?") and for coverage over time. One row per status period:
-- [valid_from, valid_to), valid_to NULL while current. Written by a trigger on cameras in the same transaction as the
-- change (API, imports, SQL and COPY alike); a deleted camera's last period is closed. Times are transaction times.
CREATE TABLE IF NOT EXISTS camera_status_history (
    camera_id  bigint      NOT NULL,
    status     text        NOT NULL CHECK (status IN ('online', 'offline', 'fault')),
    valid_from timestamptz NOT NULL,
    valid_to   timestamptz,
    PRIMARY KEY (camera_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
-- at most one open period per camera
CREATE UNIQUE INDEX IF NOT EXISTS ix_camera_status_history_open ON camera_status_history (camera_id) WHERE valid_to IS NULL;

CREATE OR REPLACE FUNCTION sm_camera_status_track() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
            RETURN NULL;
        END IF;
        UPDATE camera_status_history SET valid_to = now() WHERE camera_id = OLD.id AND valid_to IS NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        -- a status set and changed again in one transaction keeps only its last value for that instant
        DELETE FROM camera_status_history WHERE camera_id = NEW.id AND valid_from = now();
        INSERT INTO camera_status_history (camera_id, status, valid_from) VALUES (NEW.id, NEW.status, now());
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS sm_camera_status_track ON cameras;
CREATE TRIGGER sm_camera_status_track AFTER INSERT OR UPDATE OF status OR DELETE ON cameras
    FOR EACH ROW EXECUTE FUNCTION sm_camera_status_track();

-- sm_camera_status_at(camera, at): the camera's status at that time, NULL before it was known.
CREATE OR REPLACE FUNCTION sm_camera_status_at(camera bigint, at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT status FROM camera_status_history
    WHERE camera_id = camera AND valid_from <= at AND (valid_to IS NULL OR valid_to > at)
$$;

-- cameras that existed before the history: their current status, since they were installed (or created)
INSERT INTO camera_status_history (camera_id, status, valid_from)
SELECT c.id, c.status, COALESCE(LEAST(c.installed_at, c.created_at), c.created_at)
FROM cameras c
WHERE NOT EXISTS (SELECT 1 FROM camera_status_history h WHERE h.camera_id = c.id);
