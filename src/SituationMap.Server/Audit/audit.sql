-- The audit trail. Every change to a layer table is recorded by sm_audit_change (AFTER … FOR EACH ROW) in the same
-- transaction, with who made it: the server sets the transaction-local settings situationmap.actor,
-- situationmap.account_id, situationmap.client_ip and situationmap.audit_detail (jsonb) before writing (Audit/AuditContext);
-- a write made directly in SQL is recorded as actor 'sql:<role>'. Telemetry-only updates (the columns named as
-- trigger arguments, e.g. a patrol unit's position) are not recorded row by row: the ingest request is audited once.
-- Bulk loads (situationmap.bulk_load = on) record one 'bulk_load' row instead.
-- audit_log is append-only: UPDATE, DELETE and TRUNCATE raise an error for every role (and are revoked from PUBLIC).
-- The triggers alone do not stop the table's owner or a superuser (ALTER TABLE … DISABLE TRIGGER, DROP TRIGGER,
-- SET session_replication_role = replica): the server therefore runs as situationmap_app, which owns nothing and may
-- only SELECT and INSERT here (Infrastructure/Database/application_role.sql). The functions name public.audit_log, so
-- that a session's TEMP table called audit_log (pg_temp comes first in the search path) cannot catch its audit rows.

CREATE OR REPLACE FUNCTION sm_actor() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(NULLIF(current_setting('situationmap.actor', true), ''), 'sql:' || session_user)
$$;

-- sm_audit(action, layer, feature_id, detail): an audit row for an act that is not a row change (sign-in, export…)
CREATE OR REPLACE FUNCTION sm_audit(act text, layer_name text, feature bigint, detail jsonb) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO public.audit_log (at, actor, account_id, client_ip, action, layer, feature_id, detail)
    VALUES (clock_timestamp(), sm_actor(), NULLIF(current_setting('situationmap.account_id', true), '')::bigint,
            NULLIF(current_setting('situationmap.client_ip', true), ''), act, layer_name, feature,
            COALESCE(detail, NULLIF(current_setting('situationmap.audit_detail', true), '')::jsonb))
$$;

-- Free text that may hold personal data (an incident's description and address) is kept in the audit trail only as a
-- hash, so the retention purge of incidents' descriptions is not undone by their audit copies (the change is provable,
-- the content gone), and an audit export holds no names, phone numbers or home addresses.
CREATE OR REPLACE FUNCTION sm_audit_row(layer_name text, row_image jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN row_image IS NULL OR layer_name <> 'incidents' THEN row_image
        ELSE row_image || COALESCE(
            (SELECT jsonb_object_agg(field, 'sha256:' || encode(sha256(convert_to(row_image->>field, 'UTF8')), 'hex'))
             FROM unnest(ARRAY['description', 'address']) AS field
             WHERE row_image->>field IS NOT NULL), '{}'::jsonb)
    END
$$;

CREATE OR REPLACE FUNCTION sm_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
BEGIN
    -- first, before any row is converted to jsonb (bulk loads record one audit row of their own)
    IF current_setting('situationmap.bulk_load', true) = 'on' THEN
        RETURN NULL;
    END IF;
    old_row := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    IF TG_OP = 'UPDATE' AND TG_NARGS > 0
       AND (old_row - TG_ARGV - ARRAY['version', 'updated_at']) = (new_row - TG_ARGV - ARRAY['version', 'updated_at']) THEN
        RETURN NULL;
    END IF;
    INSERT INTO public.audit_log (at, actor, account_id, client_ip, action, layer, feature_id, before, after, detail)
    VALUES (clock_timestamp(), sm_actor(), NULLIF(current_setting('situationmap.account_id', true), '')::bigint,
            NULLIF(current_setting('situationmap.client_ip', true), ''), lower(TG_OP), TG_TABLE_NAME,
            (COALESCE(new_row, old_row)->>'id')::bigint, sm_audit_row(TG_TABLE_NAME, old_row), sm_audit_row(TG_TABLE_NAME, new_row),
            NULLIF(current_setting('situationmap.audit_detail', true), '')::jsonb);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION sm_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

DROP TRIGGER IF EXISTS sm_audit_append_only ON audit_log;
CREATE TRIGGER sm_audit_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION sm_audit_append_only();
DROP TRIGGER IF EXISTS sm_audit_no_truncate ON audit_log;
CREATE TRIGGER sm_audit_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION sm_audit_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['incidents', 'cameras', 'patrol_routes', 'zones', 'districts'] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS sm_audit_change ON %I', t);
        EXECUTE format('CREATE TRIGGER sm_audit_change AFTER INSERT OR UPDATE OR DELETE ON %I
                        FOR EACH ROW EXECUTE FUNCTION sm_audit_change()', t);
    END LOOP;
END
$$;
DROP TRIGGER IF EXISTS sm_audit_change ON patrol_units;
CREATE TRIGGER sm_audit_change AFTER INSERT OR UPDATE OR DELETE ON patrol_units
    FOR EACH ROW EXECUTE FUNCTION sm_audit_change('geom', 'last_seen', 'speed_mps', 'heading_deg');
