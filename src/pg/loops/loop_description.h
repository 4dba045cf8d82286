// Catalog facts behind a loop finding's fix (see loop_description.cpp). Include after
// postgres.h and the core headers it names.
#pragma once

#include <string_view>

#include "core/loops/loop_fixes.h"

struct PgaLoopFacts {
    pg_advisor::LoopKind kind;
    uint8 command;
    uint64 child_queryid;
    Oid child_relid;
    uint64 parent_queryid;
    std::string_view child_text;
    std::string_view parent_text;
    std::string_view framework;
    uint64 typical_repeats;
};

// Fills fix from facts and the catalogs (strings palloc'd in the current context). May raise
// a PostgreSQL error (catalog access).
void pga_describe_loop(const PgaLoopFacts &facts, pg_advisor::LoopFixInput *fix);

// quote_identifier(relname), schema-qualified when not on the search path; NULL if dropped.
char *pga_relation_sql_name(Oid relid);
