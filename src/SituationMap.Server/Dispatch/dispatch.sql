-- Dispatch bookkeeping kept by the database, so every way of writing (API, SQL, the demo) agrees:
-- * a unit that stops being busy is no longer assigned to an incident, and its open dispatch is released;
-- * an incident that is resolved, closed, cancelled or recalled (back to reported) releases the units assigned to it
--   (they become available; their changes are logged and pushed like any other);
-- * an incident that goes on scene marks the arrival of its open dispatches (response time = arrived_at - assigned_at).

CREATE OR REPLACE FUNCTION sm_unit_release() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> 'busy' AND OLD.assigned_incident_id IS NOT NULL THEN
        NEW.assigned_incident_id := NULL;
    END IF;
    IF OLD.assigned_incident_id IS NOT NULL AND NEW.assigned_incident_id IS DISTINCT FROM OLD.assigned_incident_id THEN
        UPDATE dispatches SET released_at = now()
        WHERE unit_id = NEW.id AND incident_id = OLD.assigned_incident_id AND released_at IS NULL;
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS sm_unit_release ON patrol_units;
CREATE TRIGGER sm_unit_release BEFORE UPDATE OF status, assigned_incident_id ON patrol_units
    FOR EACH ROW EXECUTE FUNCTION sm_unit_release();

CREATE OR REPLACE FUNCTION sm_incident_dispatch_status() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('resolved', 'closed', 'cancelled', 'reported') THEN
        UPDATE patrol_units SET status = 'available'
        WHERE assigned_incident_id = NEW.id AND status = 'busy';
    ELSIF NEW.status = 'on_scene' THEN
        UPDATE dispatches SET arrived_at = now()
        WHERE incident_id = NEW.id AND arrived_at IS NULL AND released_at IS NULL;
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS sm_incident_dispatch_status ON incidents;
CREATE TRIGGER sm_incident_dispatch_status AFTER UPDATE OF status ON incidents
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION sm_incident_dispatch_status();
