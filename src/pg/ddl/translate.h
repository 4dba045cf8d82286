// The server's raw parse trees (raw_parser output) as the neutral schema-change model
// (core/ddl/schema_change.h), following its conventions. Reading node fields never raises, so
// the translation runs in plain C++ (a std::bad_alloc is a C++ exception, caught by the
// boundary that called it). Include after postgres.h.
#pragma once

#include <cstddef>

#include "core/ddl/schema_change.h"

extern "C" {
#include "nodes/nodes.h"
}

// Fills stmt.changes from one raw statement (the RawStmt's stmt). Node locations are byte
// offsets into a text of which stmt.text starts at byte `base`.
void pga_ddl_translate(const Node *raw, size_t base, pg_advisor::ddl::Statement &stmt);

// Whether a utility statement's node tag is one the DDL review looks at: a switch on the tag,
// the first thing the utility hook does (other statements pay nothing more).
static inline bool pga_ddl_reviewed_tag(NodeTag tag) {
    switch (tag) {
        case T_CreateStmt:
        case T_CreateTableAsStmt:
        case T_AlterTableStmt:
        case T_IndexStmt:
        case T_DropStmt:
        case T_RenameStmt:
        case T_TruncateStmt:
        case T_ReindexStmt:
        case T_VacuumStmt:
        case T_ClusterStmt:
        case T_CreateDomainStmt:
        case T_AlterDomainStmt:
        case T_AlterEnumStmt:
        case T_AlterObjectSchemaStmt:
        case T_DropdbStmt:
            return true;
        default:
            return false;
    }
}
