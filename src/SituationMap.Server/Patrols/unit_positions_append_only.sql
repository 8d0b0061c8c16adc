-- unit_positions is append-only: track points are evidence of where a unit was, so UPDATE is refused for every role,
-- and so is DELETE — except when the unit itself is gone, i.e. the ON DELETE CASCADE of unit_positions.unit_id when a
-- patrol unit is deleted (the referential action runs after the unit's row is deleted, so the check below finds no
-- unit). There is no retention purge of track points; TRUNCATE (the demo-data reset, `load-demo --reset`) is not a
-- row operation and stays possible for the table's owner.
CREATE OR REPLACE FUNCTION sm_unit_positions_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM patrol_units WHERE id = OLD.unit_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'unit_positions is append-only: % of track point % (unit %) refused', TG_OP, OLD.id, OLD.unit_id
        USING ERRCODE = 'insufficient_privilege', HINT = 'Track points are removed only with their patrol unit.';
END
$$;

DROP TRIGGER IF EXISTS sm_unit_positions_append_only ON unit_positions;
CREATE TRIGGER sm_unit_positions_append_only BEFORE UPDATE OR DELETE ON unit_positions
    FOR EACH ROW EXECUTE FUNCTION sm_unit_positions_append_only();
