-- For fixtures that need other sessions (see README.md): \ir ../background.sql, then
--   SELECT pg_temp.background(role, application_name, ARRAY[command, ...], state);
-- starts psql in the background (COPY TO PROGRAM, as the server's OS user; needs a superuser)
-- connected to the current database as `role`, running each command as one -c (a psql
-- backslash command such as '\! sleep 8' keeps the session open and idle), and returns once
-- pg_stat_activity shows the session in `state` ("idle in transaction", "active", ...) with its
-- last SQL command as the current or last query. Every
-- session must end on its own within a few seconds: set a timeout in its first command.
-- Commands must not contain double quotes.
CREATE FUNCTION pg_temp.background(role text, app text, commands text[], state text)
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
    psql text := (SELECT setting FROM pg_config WHERE name = 'BINDIR') || '/psql';
    conn text := format('host=%s port=%s dbname=%s user=%s application_name=%s',
                        current_setting('unix_socket_directories'), current_setting('port'),
                        current_database(), role, app);
    cmd text := format('nohup %s -X -q "%s"', psql, conn);
    c text;
    last_sql text;
BEGIN
    FOREACH c IN ARRAY commands LOOP
        cmd := cmd || ' -c "' || c || '"';
        IF left(c, 1) <> '\' THEN
            last_sql := c;
        END IF;
    END LOOP;
    -- The shell reads what COPY writes before it starts psql, so the pipe never breaks.
    EXECUTE format('COPY (SELECT 1) TO PROGRAM %L',
                   'cat >/dev/null; ' || cmd || ' >/dev/null 2>&1 </dev/null &');
    FOR i IN 1..400 LOOP
        PERFORM pg_stat_clear_snapshot();
        IF EXISTS (SELECT 1 FROM pg_stat_activity a
                   WHERE a.application_name = app AND a.state = background.state
                     AND a.query = last_sql) THEN
            RETURN;
        END IF;
        PERFORM pg_sleep(0.025);
    END LOOP;
    RAISE EXCEPTION 'background session % did not reach state "%"', app, state;
END
$fn$;

-- A login role, created when missing (roles are cluster-wide and outlive a fixture).
CREATE FUNCTION pg_temp.login_role(name text, options text DEFAULT '') RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN
        EXECUTE format('CREATE ROLE %I LOGIN %s', name, options);
    END IF;
END
$fn$;
