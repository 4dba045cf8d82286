-- function_search_path_mutable: invoker and SECURITY DEFINER functions without a pinned
-- search_path, a superuser-owned definer PUBLIC may execute; near misses: a pinned invoker
-- function, a SQL-standard body, an internal-language function, extension functions.
\ir ../background.sql
SELECT pg_temp.login_role('fx_fn_owner');
CREATE EXTENSION pg_trgm;
CREATE FUNCTION public.fx_plain(integer) RETURNS integer LANGUAGE plpgsql
    AS $$ BEGIN RETURN $1 + 1; END $$;
-- named arguments: the function is named by its argument types only
CREATE FUNCTION public.fx_named(tenant_id uuid, n integer) RETURNS integer LANGUAGE plpgsql
    AS $$ BEGIN RETURN n + 1; END $$;
CREATE FUNCTION public.fx_definer(integer) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
    AS $$ BEGIN RETURN $1 + 1; END $$;
ALTER FUNCTION public.fx_definer(integer) OWNER TO fx_fn_owner;
REVOKE EXECUTE ON FUNCTION public.fx_definer(integer) FROM PUBLIC;
CREATE FUNCTION public.fx_root_definer(integer) RETURNS integer LANGUAGE plpgsql
    SECURITY DEFINER AS $$ BEGIN RETURN $1 + 1; END $$;
CREATE FUNCTION public.fx_pinned(integer) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$ BEGIN RETURN $1 + 1; END $$;
ALTER FUNCTION public.fx_pinned(integer) OWNER TO fx_fn_owner;
CREATE PROCEDURE public.fx_pinned_invoker(integer) LANGUAGE plpgsql SET search_path = public
    AS $$ BEGIN PERFORM $1; END $$;
CREATE FUNCTION public.fx_atomic(integer) RETURNS integer LANGUAGE sql
    BEGIN ATOMIC SELECT $1 + 1; END;
CREATE FUNCTION public.fx_internal(cstring) RETURNS text LANGUAGE internal IMMUTABLE STRICT
    AS 'textin';
