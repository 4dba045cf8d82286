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
// Call inside pga_pg_subxact(): on an error, the subtransaction's abort restores the user id,
// the security context and the settings. Include after postgres.h.
#pragma once

extern "C" {
#include "miscadmin.h"
#include "utils/guc.h"
}

template <class Fn>
static inline void pga_run_as(Oid role, Fn &&fn) {
    Oid saved_user;
    int saved_context;
    GetUserIdAndSecContext(&saved_user, &saved_context);
    SetUserIdAndSecContext(role, saved_context | SECURITY_RESTRICTED_OPERATION);
    int nestlevel = NewGUCNestLevel();
    (void)set_config_option("client_min_messages", "error", PGC_USERSET, PGC_S_SESSION,
                            GUC_ACTION_SAVE, true, 0, false);
    fn();
    AtEOXact_GUC(false, nestlevel);
    SetUserIdAndSecContext(saved_user, saved_context);
}

// The owner of a relation (raises if it does not exist).
Oid pga_relation_owner(Oid relid);
