// Reading the captured workload (see captured_workload.h).
#include <algorithm>
#include <exception>

#include "core/indexes/index_candidates.h"
#include "core/workload/query_pattern.h"
#include "core/workload/scan_shape.h"
#include "core/workload/shape_cache.h"

extern "C" {
#include "postgres.h"

#include "access/transam.h"
#include "miscadmin.h"
#include "storage/lwlock.h"
#include "utils/lsyscache.h"
}

#include "pg/boundary/pg_guard.h"
#include "pg/catalog/catalog_facts.h"
#include "pg/compat.h"
#include "pg/indexes/captured_workload.h"
#include "pg/shmem/shared_state.h"
#include "pg/sql/support.h"

using namespace pg_advisor;

// One user's counters of a query id added to the statement (merged over users).
static void merge(PgaStatement &s, const PatternEntry &e, std::string_view text) {
    double calls = static_cast<double>(e.calls);
    s.calls += calls;
    s.total_ms += static_cast<double>(e.total_ns) / 1e6;
    s.max_ms = std::max(s.max_ms, static_cast<double>(e.max_ns) / 1e6);
    s.rows += static_cast<double>(e.rows);
    s.max_offset = std::max(s.max_offset, e.max_offset);
    if (e.flags & kPatternHasLiterals)
        s.literal_calls = std::max(s.literal_calls, 0.0) + calls;
    else if (s.literal_calls < 0)
        s.literal_calls = 0;
    s.command = e.command;
    if (s.text.empty() || (!s.toplevel_text && e.key.toplevel)) {
        s.text = std::string(text);
        s.toplevel_text = e.key.toplevel != 0;
    }
    if (e.flags & kPatternLiteralsSeen) {
        for (size_t i = 0; i < kTrackedLiterals; i++) {
            if (!s.literals_seen)
                s.literal_first[i] = e.literal_first[i];
            else if (s.literal_first[i] != e.literal_first[i])
                s.literal_varied |= 1u << i;
        }
        s.literal_varied |= e.literal_varied;
        s.literals_seen = true;
    }
    if (s.role == InvalidOid || calls > s.role_calls) {
        s.role = e.key.userid;
        s.role_calls = calls;
    }
    if (e.first_seen != 0 && (s.first_seen == 0 || e.first_seen < s.first_seen))
        s.first_seen = e.first_seen;
    if (e.last_seen > s.last_seen) {
        s.last_seen = e.last_seen;
        s.application_name = std::string(e.application_name());
        if (e.tags_len > 0) s.tags = std::string(e.serialized_tags());
    }
}

void PgaCapturedWorkload::read() {
    Oid me = GetUserId();
    bool see_all = false;
    char *patterns = nullptr;
    size_t plen = 0;
    pga_pg_subxact([&] {
        pga_require_shared_state();
        see_all = pga_can_see_all_statements();
        PatternStore ps = pga_pattern_store();
        patterns = pga_copy_snapshot(
            pga_shared->patterns_lock, ps.snapshot_capacity(), take_snapshot<PatternStore>,
            reinterpret_cast<char *>(pga_shared) + pga_shared->patterns_offset, &plen);
        ShapeStore ss = pga_shape_store();
        shapes_ = pga_copy_snapshot(
            pga_shared->shapes_lock, ss.snapshot_capacity(), take_snapshot<ShapeStore>,
            reinterpret_cast<char *>(pga_shared) + pga_shared->shapes_offset, &shapes_len_);
    });
    PatternStore::Snapshot snap(patterns, plen);
    for (uint32_t i = 0; i < snap.count(); i++) {
        PatternEntry e = snap.entry(i);
        if (e.key.dbid != MyDatabaseId || (!see_all && e.key.userid != me)) continue;
        // The reviewer's own calls, and statements that never completed.
        if ((e.flags & kPatternCallsAdvisor) || e.calls == 0) continue;
        merge(statements[e.key.queryid], e, snap.blob(i));
        if (e.first_seen != 0 && (earliest == 0 || e.first_seen < earliest))
            earliest = e.first_seen;
    }
}

bool PgaStatement::recurring_literal(uint16_t literal, double min_executions) const {
    if (literal == Qual::kLiteralInText) return true;
    // Values never seen (lost between parse and execution): nothing says they recur. Later
    // executions of a prepared statement send none: its literals are fixed in its text.
    if (literal == 0 || literal > kTrackedLiterals || !literals_seen) return false;
    return calls >= min_executions && !(literal_varied & (1u << (literal - 1)));
}

const PgaRelMap &PgaCapturedWorkload::rel_map(uint32_t relid) {
    auto it = relmaps_.find(relid);
    if (it != relmaps_.end()) return it->second;
    bool exists = false;
    Oid root = InvalidOid;
    int16 *attmap = nullptr;
    char **names = nullptr;
    int natts = 0;
    pga_pg_subxact([&] {
        exists = pga_relation_exists(relid);
        if (!exists) return;
        root = pga_index_target(relid);
        attmap = pga_column_map(relid, root, &natts);
        names = static_cast<char **>(palloc0(sizeof(char *) * (natts + 1)));
        for (int a = 1; a <= natts; a++)
            if (attmap[a] > 0) names[a] = get_attname(root, attmap[a], true);
    });
    PgaRelMap m;
    m.exists = exists;
    m.root = root;
    if (attmap) m.attmap.assign(attmap, attmap + natts + 1);
    for (int a = 0; names != nullptr && a <= natts; a++)
        m.names.emplace_back(names[a] != nullptr ? names[a] : "");
    return relmaps_.emplace(relid, std::move(m)).first->second;
}

namespace {

// Executions over which a literal must keep its value to count as a setting of the statement
// (a partial-index predicate), not a value it looks up.
constexpr double kSettingExecutions = 10;

// The order of a scan's relation, in its root's column numbers; empty when the ORDER BY is not
// on plain columns of this relation.
std::vector<ScanUse::Order> order_of(const ShapeView &view, const ScanRecord &scan,
                                     const PgaRelMap &rm) {
    std::vector<ScanUse::Order> order;
    for (size_t o = 0; o < view.norder(); o++) {
        OrderColumn oc = view.order(o);
        bool ours = (oc.relid == rm.root || oc.relid == scan.relid) && oc.attnum > 0;
        int16_t attnum = oc.relid == scan.relid ? rm.map(oc.attnum) : oc.attnum;
        if (!ours || attnum <= 0) return {};
        order.push_back({attnum, oc.descending != 0, oc.nulls_first != 0});
    }
    return order;
}

}  // namespace

void PgaCapturedWorkload::add_scans(std::string_view blob, uint64_t queryid, double calls,
                                    std::map<uint32_t, std::vector<ScanUse>> &uses,
                                    PgaExamples *examples, PgaStatement *statement) {
    ShapeView view(blob);
    if (!view.valid()) return;
    if (examples) examples->limit = view.header().limit;
    std::map<uint32_t, std::vector<ScanUse>> found;
    for (size_t i = 0; i < view.nscans(); i++) {
        ScanRecord scan = view.scan(i);
        if (scan.relid < FirstNormalObjectId) continue;  // catalogs
        const PgaRelMap &rm = rel_map(scan.relid);
        if (!rm.exists) {
            // Dropped since it was captured: the statement cannot run as captured.
            if (statement) statement->stale = true;
            return;
        }
        if (depend_on) {
            depend_on(scan.relid);
            depend_on(rm.root);
        }
        ScanUse use;
        use.queryid = queryid;
        use.calls = calls;
        use.limit = view.header().limit;
        use.parameterized = scan.parameterized != 0;
        use.est_rows = scan.est_rows;
        use.needs_more = scan.needs_more != 0;
        for (int a = 1; a <= 64; a++) {
            if (!(scan.needed_columns & (uint64_t{1} << (a - 1)))) continue;
            int16_t r = rm.map(static_cast<int16_t>(a));
            if (r >= 1 && r <= 64)
                use.needed_columns |= uint64_t{1} << (r - 1);
            else
                use.needs_more = true;
        }
        for (size_t j = 0; j < scan.nquals; j++) {
            Qual q = view.qual(scan, j);
            int16_t attnum = rm.map(q.attnum);
            if (q.attnum > 0 && attnum == 0) {
                // A column dropped since: the statement cannot run as captured.
                if (statement) statement->stale = true;
                return;
            }
            auto source = static_cast<QualSource>(q.source);
            bool recurring =
                statement == nullptr || statement->recurring_literal(q.literal, kSettingExecutions);
            // Bound values of a custom plan are examples to plan with, never settings.
            std::string value(source == QualSource::Const ? view.value(q) : std::string_view());
            use.quals.push_back({attnum, static_cast<QualKind>(q.kind), source,
                                 std::string(view.expr(q)), value, q.nvalues, recurring});
            if (examples && attnum > 0 && q.opno != 0 &&
                (source == QualSource::Const || source == QualSource::Param) &&
                !view.value(q).empty())
                examples->values.push_back({rm.root, attnum, q.opno, std::string(view.value(q))});
        }
        use.order = order_of(view, scan, rm);
        found[rm.root].push_back(std::move(use));
    }
    for (auto &[root, list] : found) {
        if (statement) statement->relations.push_back(root);
        for (ScanUse &u : list)
            uses[root].push_back(std::move(u));
    }
}

std::map<uint32_t, std::vector<ScanUse>> PgaCapturedWorkload::scans_per_table() {
    std::map<uint32_t, std::vector<ScanUse>> uses;
    ShapeStore::Snapshot all = shapes();
    for (uint32_t i = 0; i < all.count(); i++) {
        ShapeEntry e = all.entry(i);
        if (e.key.dbid != MyDatabaseId) continue;
        auto it = statements.find(e.key.queryid);
        if (it == statements.end() || it->second.calls <= 0) continue;
        PgaStatement &s = it->second;
        add_scans(all.blob(i), e.key.queryid, s.calls, uses, &examples[e.key.queryid], &s);
        if (s.stale) continue;
        ShapeView view(all.blob(i));
        auto command = static_cast<CommandKind>(s.command);
        bool write = command == CommandKind::Insert || command == CommandKind::Update ||
                     command == CommandKind::Delete || command == CommandKind::Merge;
        if (write && view.valid() && view.header().result_relid >= FirstNormalObjectId) {
            const PgaRelMap &rm = rel_map(view.header().result_relid);
            if (rm.exists) rows_written[rm.root] += s.rows;
        }
    }
    return uses;
}
