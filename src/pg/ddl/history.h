// The reviews of DDL that ran: a bounded ring of migration findings in shared memory (the
// oldest overwritten), shown by advisor.findings to the role that ran the statement and to
// members of pg_read_all_stats (pg_stat_statements' visibility rule). Entries are prepared in
// local memory and copied under the ring's LWLock; nothing that can raise runs under it.
// Include after postgres.h.
#pragma once

#include <vector>

#include "core/review/finding.h"

extern "C" {
#include "c.h"
#include "datatype/timestamp.h"
}

struct PgaDdlHistoryEntry {
    TimestampTz at;
    Oid userid;
    Oid dbid;
    uint8 severity;  // review::Severity
    char rule[64];
    char object[256];
    char title[256];
    char why[768];
    char recommendation[512];
    char fix_sql[768];
    char statement[512];
};

#define PGA_DDL_HISTORY_SIZE 256

// Requests the ring's shared memory and lock (from _PG_init while preloading).
void pga_ddl_history_install(void);

// Appends one entry (copied under the lock). No-op when the ring is not there.
void pga_ddl_history_add(const PgaDdlHistoryEntry *entry);

// Forgets every entry (advisor.reset()).
void pga_ddl_history_reset(void);

// The migration findings of this database the calling role may see, newest last, as review
// findings (rule, severity, object, title, why, recommendation, fix_sql, first/last seen).
std::vector<pg_advisor::review::Finding> pga_ddl_history_findings(void);
