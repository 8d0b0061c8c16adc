-- Every SituationMap function (sm_*) resolves names in public first and in the session's temporary schema last, so a
-- temporary table a session creates (change_log, audit_log, …) can never shadow the table a trigger writes to: the
-- server's role may create temporary tables (imports stage into one), and pg_temp is otherwise searched first.
-- Idempotent. A later migration that re-creates one of these functions must re-run this file (SchemaTests checks).
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND p.proname LIKE 'sm\_%' AND p.prokind = 'f'
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = public, pg_temp', f);
    END LOOP;
END $$;
