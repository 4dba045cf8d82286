// Which code runs as whom. The index advisor plans statements other roles ran, and planning
// may execute functions (constant folding, domain checks, index expressions). Such code must
// never run with the privileges of whoever reads the advice (often a superuser), so:
//
//   - a captured statement is analysed and planned as the role that ran it;
//   - a hypothetical index is built, and a table is sampled for index sizes, as the table's
//     owner (what CREATE INDEX and ANALYZE do with index expressions);
//
// each inside a security-restricted operation (no SET ROLE, no temporary objects, no
// deferred work that could outlive it) with its own GUC nesting level, so that settings a
// function changes are undone, as ANALYZE and REFRESH MATERIALIZED VIEW do. Messages below
// ERROR that such code raises (a NOTICE of a folded function) do not reach the reader's client.
//
// Names are never resolved through the reader's search_path (the reader could otherwise put a
// function of its own in front of one the statement calls, and have it run as that role): a
// captured statement is analysed with its role's own search_path (pga_role_search_path), and
// the advisor's own SQL, fully qualified, with kPgaSafeSearchPath.
//
// Call inside pga_pg_subxact(): on an error, the subtransaction's abort restores the user id,
// the security context and the settings. Include after postgres.h.
#pragma once

extern "C" {
#include "miscadmin.h"
#include "utils/guc.h"
}

// For SQL whose every name is qualified.
constexpr const char *kPgaSafeSearchPath = "pg_catalog, pg_temp";

// Runs fn (SQL whose every name is qualified, over SPI) with search_path kPgaSafeSearchPath:
// nothing of the caller's search_path resolves a function or operator it calls. Call inside
// pga_pg_subxact() (an error's abort restores the setting).
template <class Fn>
static inline void pga_with_safe_search_path(Fn &&fn) {
    int nestlevel = NewGUCNestLevel();
    (void)set_config_option("search_path", kPgaSafeSearchPath, PGC_USERSET, PGC_S_SESSION,
                            GUC_ACTION_SAVE, true, 0, false);
    fn();
    AtEOXact_GUC(false, nestlevel);
}

// The search_path `role`'s sessions in this database start with (ALTER ROLE ... [IN DATABASE]
// ... SET, else ALTER DATABASE ... SET, else the server's default "$user", public), with the
// temporary schema explicitly last so that none of the reader's temporary tables can stand in
// for a table of the statement. palloc'd.
char *pga_role_search_path(Oid role);

// Runs fn as `role` with `search_path` (NULL: the session's, for the caller's own SQL only).
template <class Fn>
static inline void pga_run_as(Oid role, const char *search_path, Fn &&fn) {
    Oid saved_user;
    int saved_context;
    GetUserIdAndSecContext(&saved_user, &saved_context);
    SetUserIdAndSecContext(role, saved_context | SECURITY_RESTRICTED_OPERATION);
    int nestlevel = NewGUCNestLevel();
    (void)set_config_option("client_min_messages", "error", PGC_USERSET, PGC_S_SESSION,
                            GUC_ACTION_SAVE, true, 0, false);
    if (search_path != NULL)
        (void)set_config_option("search_path", search_path, PGC_USERSET, PGC_S_SESSION,
                                GUC_ACTION_SAVE, true, 0, false);
    fn();
    AtEOXact_GUC(false, nestlevel);
    SetUserIdAndSecContext(saved_user, saved_context);
}

// The owner of a relation (raises if it does not exist).
Oid pga_relation_owner(Oid relid);
