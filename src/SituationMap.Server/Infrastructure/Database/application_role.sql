-- The application's database role, situationmap_app: what the running server (serve) needs, and no more. The owner
-- (the role that runs migrate, seed, import and the account commands) keeps everything else: DDL, TRUNCATE, ANALYZE,
-- and the triggers. The role owns nothing, so it cannot ALTER, DISABLE TRIGGER, DROP or TRUNCATE audit_log, nor (not
-- being a superuser) SET session_replication_role; on audit_log it may only SELECT and INSERT.
-- Tables, sequences and functions created later by the owner are covered by ALTER DEFAULT PRIVILEGES (below), so a new
-- migration needs no grants of its own unless it creates something the server must not change (then it revokes).
-- Idempotent: run by the ApplicationRole migration and safe to run again.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'situationmap_app') THEN
        BEGIN
            CREATE ROLE situationmap_app NOLOGIN;
        EXCEPTION
            -- the migration of another database in the same cluster created it a moment ago
            WHEN duplicate_object OR unique_violation THEN NULL;
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'the role situationmap_app does not exist and % may not create it', current_user
                    USING HINT = 'As a superuser (or a role with CREATEROLE) run once: CREATE ROLE situationmap_app LOGIN PASSWORD ''…''; then migrate again.';
        END;
    END IF;
    -- the role must not be, or act as, the owner: then the grants below would mean nothing
    IF (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = 'situationmap_app')
       OR pg_has_role('situationmap_app', (SELECT relowner FROM pg_class WHERE oid = 'audit_log'::regclass), 'USAGE') THEN
        RAISE EXCEPTION 'situationmap_app is a superuser or may act as the owner of audit_log; it must be an ordinary role'
            USING HINT = 'REVOKE the owner''s role from situationmap_app (or ALTER ROLE situationmap_app NOSUPERUSER NOBYPASSRLS).';
    END IF;
END
$$;

DO $$
DECLARE
    r record;
BEGIN
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO situationmap_app', current_database());
    GRANT USAGE ON SCHEMA public TO situationmap_app;
    -- every table, view and sequence of the application (not those of extensions, e.g. PostGIS's spatial_ref_sys)
    FOR r IN
        SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'S')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('REVOKE ALL ON %s FROM situationmap_app', r.name);
        IF r.relkind = 'S' THEN
            EXECUTE format('GRANT USAGE, SELECT, UPDATE ON SEQUENCE %s TO situationmap_app', r.name);
        ELSIF r.name IN ('audit_log'::regclass, '__ef_migrations_history'::regclass) THEN
            -- append-only for the server; the migration history is the owner's
            EXECUTE format('GRANT SELECT%s ON %s TO situationmap_app',
                           CASE WHEN r.name = 'audit_log'::regclass THEN ', INSERT' ELSE '' END, r.name);
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO situationmap_app', r.name);
        END IF;
    END LOOP;
    FOR r IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO situationmap_app', r.name);
    END LOOP;
END
$$;

-- what the owner creates in later migrations
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO situationmap_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO situationmap_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON ROUTINES TO situationmap_app;
