-- The live change log (transactional outbox) and the bookkeeping every layer table shares.
--
-- sm_stamp_version (BEFORE INSERT OR UPDATE): version = 1 on insert, +1 on every update; created_at/updated_at from
--   now(). Writes made directly in SQL are therefore versioned exactly like writes through the API.
-- sm_log_change (AFTER INSERT OR UPDATE OR DELETE, per row, a constraint trigger DEFERRED to COMMIT): appends one
--   change_log row in the same transaction and NOTIFYs channel 'situationmap_changes' with the sequence number
--   (delivered only when the transaction commits). The number comes from the single row of change_log_head:
--   UPDATE … RETURNING locks that row until the writing transaction ends, so numbers are dense (a rollback gives its
--   number back) and commit order equals number order. Readers may therefore read "seq > last seen" without ever
--   skipping a change that commits later. Deferred, the lock is taken inside COMMIT and held only for the commit
--   itself (the log rows and the WAL flush), never across a client's round trips: that lock is what serialises
--   writers, so its hold time bounds the write rate. A writer finds its own numbers after COMMIT by its transaction
--   id (change_log.txid, from pg_current_xact_id()), see Infrastructure/Database/ChangeSeq.cs.
-- Kinds: created | updated | deleted, and for updates that touch only the columns given as trigger arguments a more
--   specific kind (TG_ARGV[0]): cameras 'status_changed', patrol_units 'moved'; 'reloaded' for bulk loads.
-- Bulk loads SET LOCAL situationmap.bulk_load = 'on' to skip per-row logging, then call sm_log_layer_reloaded(layer).
-- Geometry column of every layer: geom (SRID 4326); the bounding box covers old and new geometry, in degrees.
-- districts = ARRAY[district before, district after] (NULL where there is none), for district-scoped delivery.

CREATE TABLE IF NOT EXISTS change_log_head (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    seq bigint NOT NULL
);
INSERT INTO change_log_head (one, seq) VALUES (true, 0) ON CONFLICT DO NOTHING;

ALTER TABLE change_log ADD COLUMN IF NOT EXISTS txid bigint;
CREATE INDEX IF NOT EXISTS ix_change_log_txid ON change_log (txid);

CREATE OR REPLACE FUNCTION sm_stamp_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.version := 1;
        NEW.created_at := now();
    ELSE
        NEW.version := OLD.version + 1;
        NEW.created_at := OLD.created_at;
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION sm_next_change_seq() RETURNS bigint
LANGUAGE sql AS $$
    UPDATE change_log_head SET seq = seq + 1 RETURNING seq
$$;

CREATE OR REPLACE FUNCTION sm_log_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    district_key text := CASE WHEN TG_TABLE_NAME = 'districts' THEN 'code' ELSE 'district' END;
    change_kind text := CASE TG_OP WHEN 'INSERT' THEN 'created' WHEN 'UPDATE' THEN 'updated' ELSE 'deleted' END;
    old_geom geometry;
    new_geom geometry;
    bbox box2d;
    seq bigint;
BEGIN
    -- first, before any row is converted to jsonb: bulk loads and imports of 100,000s of rows skip the work entirely
    IF current_setting('situationmap.bulk_load', true) = 'on' THEN
        RETURN NULL;
    END IF;
    old_row := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    old_geom := CASE WHEN TG_OP <> 'INSERT' THEN OLD.geom END;
    new_geom := CASE WHEN TG_OP <> 'DELETE' THEN NEW.geom END;
    IF TG_OP = 'UPDATE' AND TG_NARGS > 1
       AND (old_row - TG_ARGV[1:TG_NARGS - 1] - ARRAY['version', 'updated_at'])
         = (new_row - TG_ARGV[1:TG_NARGS - 1] - ARRAY['version', 'updated_at']) THEN
        change_kind := TG_ARGV[0];
    END IF;
    bbox := CASE
        WHEN old_geom IS NULL AND new_geom IS NULL THEN NULL
        WHEN old_geom IS NULL THEN box2d(new_geom)
        WHEN new_geom IS NULL THEN box2d(old_geom)
        ELSE ST_CombineBBox(box2d(old_geom), new_geom)
    END;
    seq := sm_next_change_seq();
    INSERT INTO change_log (seq, committed_at, layer, kind, feature_id, districts, min_x, min_y, max_x, max_y, row, txid)
    VALUES (
        seq, clock_timestamp(), TG_TABLE_NAME, change_kind,
        (COALESCE(new_row, old_row)->>'id')::bigint,
        ARRAY[old_row->>district_key, new_row->>district_key],
        ST_XMin(bbox), ST_YMin(bbox), ST_XMax(bbox), ST_YMax(bbox),
        new_row, pg_current_xact_id()::text::bigint);
    PERFORM pg_notify('situationmap_changes', seq::text);
    RETURN NULL;
END
$$;

-- A layer was replaced wholesale (bulk load, import): clients reload it.
CREATE OR REPLACE FUNCTION sm_log_layer_reloaded(layer_name text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    seq bigint := sm_next_change_seq();
BEGIN
    INSERT INTO change_log (seq, committed_at, layer, kind, feature_id, districts, txid)
    VALUES (seq, now(), layer_name, 'reloaded', 0, ARRAY[]::text[], pg_current_xact_id()::text::bigint);
    PERFORM pg_notify('situationmap_changes', seq::text);
    RETURN seq;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['incidents', 'cameras', 'patrol_routes', 'patrol_units', 'zones', 'districts'] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS sm_stamp_version ON %I', t);
        EXECUTE format('CREATE TRIGGER sm_stamp_version BEFORE INSERT OR UPDATE ON %I
                        FOR EACH ROW EXECUTE FUNCTION sm_stamp_version()', t);
        EXECUTE format('DROP TRIGGER IF EXISTS sm_log_change ON %I', t);
    END LOOP;
END
$$;

CREATE CONSTRAINT TRIGGER sm_log_change AFTER INSERT OR UPDATE OR DELETE ON incidents
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sm_log_change();
CREATE CONSTRAINT TRIGGER sm_log_change AFTER INSERT OR UPDATE OR DELETE ON cameras
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sm_log_change('status_changed', 'status');
CREATE CONSTRAINT TRIGGER sm_log_change AFTER INSERT OR UPDATE OR DELETE ON patrol_routes
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sm_log_change();
CREATE CONSTRAINT TRIGGER sm_log_change AFTER INSERT OR UPDATE OR DELETE ON patrol_units
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sm_log_change('moved', 'geom', 'last_seen', 'speed_mps', 'heading_deg');
CREATE CONSTRAINT TRIGGER sm_log_change AFTER INSERT OR UPDATE OR DELETE ON zones
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sm_log_change();
CREATE CONSTRAINT TRIGGER sm_log_change AFTER INSERT OR UPDATE OR DELETE ON districts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sm_log_change();
