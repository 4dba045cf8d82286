// Reading and describing the loop findings (see loop_rows.h).
#include <exception>
#include <string_view>

#include "core/common/text_buffer.h"
#include "core/loops/loop_finding.h"
#include "core/loops/loop_fixes.h"
#include "core/loops/n_plus_one_detector.h"

extern "C" {
#include "postgres.h"

#include "miscadmin.h"
#include "storage/lwlock.h"
}

#include "pg/compat.h"
#include "pg/guc.h"
#include "pg/loops/loop_description.h"
#include "pg/loops/loop_rows.h"
#include "pg/shmem/shared_state.h"
#include "pg/sql/support.h"

using namespace pg_advisor;

namespace {

char *copy(std::string_view s) {
    return pnstrdup(s.data(), s.size());
}

void describe(PgaLoopRow &row, const FindingTexts &texts, char *sql_buf, char *orm_buf,
              char *reason_buf) {
    const FindingEntry &e = row.entry;
    auto kind = static_cast<LoopKind>(e.key.kind);
    PgaLoopFacts facts{kind,          e.child_command,      e.key.child_queryid,
                       e.child_relid, e.key.parent_queryid, texts.child,
                       texts.parent,  e.framework_name(),   row.typical_repeats};
    LoopFixInput fix;
    pga_describe_loop(facts, &fix);
    char expected_buf[64];
    TextBuffer sql(sql_buf, 8192), orm(orm_buf, 2048), reason(reason_buf, 2048);
    TextBuffer expected(expected_buf, sizeof expected_buf);
    write_suggested_sql(fix, sql);
    write_orm_fix(fix, orm);
    write_expected_queries(fix, expected);
    LoopReasonInput r = loop_reason_input(e, kind, fix.child_table, texts.parent,
                                          (uint32)pga_n_plus_one_min_repeats);
    write_loop_reason(r, reason);
    row.suggested_sql = copy(sql.view());
    row.orm_fix = copy(orm.view());
    row.expected_queries = copy(expected.view());
    row.reason = copy(reason.view());
}

}  // namespace

PgaLoopRow *pga_read_loops(int *n) {
    pga_require_shared_state();
    Oid me = GetUserId();
    bool see_all = pga_can_see_all_statements();
    FindingStore store = pga_finding_store();
    size_t len;
    char *buf = pga_copy_snapshot(
        pga_shared->findings_lock, store.snapshot_capacity(), take_snapshot<FindingStore>,
        reinterpret_cast<char *>(pga_shared) + pga_shared->findings_offset, &len);
    FindingStore::Snapshot snap(buf, len);
    PgaLoopRow *rows = static_cast<PgaLoopRow *>(palloc0(sizeof(PgaLoopRow) * (snap.count() + 1)));
    char *sql_buf = static_cast<char *>(palloc(8192));
    char *orm_buf = static_cast<char *>(palloc(2048));
    char *reason_buf = static_cast<char *>(palloc(2048));
    *n = 0;
    for (uint32 i = 0; i < snap.count(); i++) {
        FindingEntry e = snap.entry(i);
        if (e.key.dbid != MyDatabaseId) continue;  // relation OIDs mean nothing elsewhere
        if (!see_all && e.key.userid != me) continue;
        FindingTexts texts;
        if (!decode_finding_texts(snap.blob(i), texts)) continue;
        PgaLoopRow &row = rows[(*n)++];
        row.entry = e;
        row.typical_repeats = e.typical_repeats();
        row.parent_text = copy(texts.parent);
        row.child_text = copy(texts.child);
        row.tags = static_cast<char *>(palloc(texts.tags.size() + 1));
        memcpy(row.tags, texts.tags.data(), texts.tags.size());
        row.tags[texts.tags.size()] = '\0';
        row.tags_len = static_cast<int>(texts.tags.size());
        char key[FindingEntry::kFindingKeySize];
        e.finding_key(key);
        row.finding_key = pstrdup(key);
        describe(row, texts, sql_buf, orm_buf, reason_buf);
    }
    pfree(buf);
    return rows;
}
