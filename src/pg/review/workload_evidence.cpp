// The captured workload as review evidence (see workload_evidence.h): statements with their
// plan facts, loop findings, verified index recommendations and seq-scan hotspots, all limited
// to what the reading role may see.
//
// PostgreSQL work (store copies, catalog names) happens in a few pga_pg_subxact() steps over
// plain arrays; everything else is C++ between them.
#include <algorithm>
#include <cctype>
#include <exception>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/indexes/index_candidates.h"
#include "core/indexes/index_selection.h"
#include "core/indexes/seq_scan_hotspots.h"
#include "core/sql/query_tags.h"
#include "core/workload/query_pattern.h"
#include "core/workload/scan_shape.h"
#include "core/workload/shape_cache.h"
#include "core/workload/workload_snapshot.h"

extern "C" {
#include "postgres.h"

#include "access/transam.h"
#include "catalog/pg_class.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
}

#include "pg/boundary/pg_guard.h"
#include "pg/compat.h"
#include "pg/guc.h"
#include "pg/indexes/advice_rows.h"
#include "pg/indexes/captured_workload.h"
#include "pg/indexes/index_advisor.h"
#include "pg/loops/loop_rows.h"
#include "pg/review/workload_evidence.h"
#include "pg/shmem/shared_state.h"
#include "pg/sql/support.h"

using namespace pg_advisor;
using workload::Micros;

namespace {

// PostgreSQL timestamps count from 2000-01-01; the evidence from the Unix epoch.
constexpr int64_t kPostgresEpochMicros = 946684800000000LL;

Micros to_unix(int64_t ts) {
    return ts == 0 ? 0 : ts + kPostgresEpochMicros;
}

std::vector<std::pair<std::string, std::string>> tags_of(std::string_view serialized) {
    std::vector<std::pair<std::string, std::string>> out;
    size_t pos = 0;
    std::string_view k, v;
    while (next_serialized_tag(serialized, pos, k, v))
        out.emplace_back(std::string(k), std::string(v));
    return out;
}

// OIDs whose names the evidence needs, resolved in one catalog step.
class Names {
  public:
    void want_role(Oid role) { roles_[role]; }
    void want_relation(Oid rel) { relations_[rel]; }
    void resolve();
    const std::string &role(Oid role) const { return roles_.at(role); }
    // "" for a relation that no longer exists.
    const std::string &relation(Oid rel) const { return relations_.at(rel); }

  private:
    std::map<Oid, std::string> roles_, relations_;
};

void Names::resolve() {
    std::vector<Oid> roles, rels;
    for (const auto &kv : roles_)
        roles.push_back(kv.first);
    for (const auto &kv : relations_)
        rels.push_back(kv.first);
    char **role_names = nullptr, **rel_names = nullptr;
    pga_pg_subxact([&] {
        role_names = static_cast<char **>(palloc0(sizeof(char *) * (roles.size() + 1)));
        rel_names = static_cast<char **>(palloc0(sizeof(char *) * (rels.size() + 1)));
        for (size_t i = 0; i < roles.size(); i++)
            role_names[i] = GetUserNameFromId(roles[i], true);
        for (size_t i = 0; i < rels.size(); i++) {
            char *name = get_rel_name(rels[i]);
            char *nsp = name ? get_namespace_name(get_rel_namespace(rels[i])) : NULL;
            if (name && nsp) rel_names[i] = quote_qualified_identifier(nsp, name);
        }
    });
    for (size_t i = 0; i < roles.size(); i++)
        roles_[roles[i]] = role_names[i] ? role_names[i] : std::to_string(roles[i]);
    for (size_t i = 0; i < rels.size(); i++)
        relations_[rels[i]] = rel_names[i] ? rel_names[i] : "";
}

// One statement of the captured workload (merged over users by query id) as evidence.
workload::StatementEvidence statement_evidence(uint64_t queryid, const PgaStatement &st) {
    workload::StatementEvidence s;
    s.queryid = queryid;
    s.query = st.text;
    s.toplevel = st.toplevel_text;
    s.command = std::string(command_name(static_cast<CommandKind>(st.command)));
    s.calls = st.calls;
    s.total_ms = st.total_ms;
    s.max_ms = st.max_ms;
    s.rows = st.rows;
    s.literal_calls = st.literal_calls;
    if (st.max_offset > 0) {  // the deepest page any execution read
        s.has_offset = true;
        s.offset = static_cast<int64_t>(st.max_offset);
    }
    s.first_seen = to_unix(st.first_seen);
    s.last_seen = to_unix(st.last_seen);
    s.application_name = st.application_name;
    if (!st.tags.empty()) s.tags = tags_of(st.tags);
    s.userid = st.role;
    s.mean_ms = st.calls > 0 ? st.total_ms / st.calls : 0;
    return s;
}

void add_shape(workload::StatementEvidence &s, const ShapeEntry &e, std::string_view blob,
               Names &names, std::vector<std::pair<size_t, Oid>> &scan_relids) {
    ShapeView view(blob);
    if (!view.valid()) return;
    const ShapeHeader &h = view.header();
    s.has_shape = true;
    // The planned OFFSET (the first planning's) unless an execution went deeper.
    if (h.flags & kShapeHasOffset) s.has_offset = true;
    if ((h.flags & kShapeHasOffset) && h.offset > 0)
        s.offset = std::max(s.offset, static_cast<int64_t>(h.offset));
    s.limit = h.limit >= 0 ? h.limit : -1;
    s.has_aggregate = (h.flags & kShapeHasAggregate) != 0;
    s.plan_rows = h.plan_rows;
    s.plan_cost = h.total_cost;
    for (size_t i = 0; i < view.nscans(); i++) {
        ScanRecord scan = view.scan(i);
        if (scan.relid < FirstNormalObjectId) continue;
        workload::ScanEvidence ev;
        ev.relid = scan.relid;
        ev.scan_type = std::string(scan_type_name(static_cast<ScanType>(scan.scan_type)));
        ev.est_rows = scan.est_rows;
        if (i < ShapeEntry::kMaxCountedScans && e.sampled_execs > 0) {
            double execs = static_cast<double>(e.sampled_execs);
            ev.rows_scanned = static_cast<double>(e.scans[i].rows_scanned) / execs;
            ev.rows_returned = static_cast<double>(e.scans[i].rows_returned) / execs;
        }
        names.want_relation(scan.relid);
        if (scan.index_oid != InvalidOid) names.want_relation(scan.index_oid);
        scan_relids.emplace_back(s.scans.size(), scan.index_oid);
        s.scans.push_back(std::move(ev));
    }
}

void read_statements(workload::WorkloadSnapshot &out, const PgaCapturedWorkload &w) {
    std::map<uint64_t, workload::StatementEvidence> statements;
    Names names;
    for (const auto &[queryid, st] : w.statements) {
        statements.emplace(queryid, statement_evidence(queryid, st));
        names.want_role(st.role);
    }
    std::map<uint64_t, std::vector<std::pair<size_t, Oid>>> indexes;  // per statement
    ShapeStore::Snapshot shapes = w.shapes();
    for (uint32_t i = 0; i < shapes.count(); i++) {
        ShapeEntry e = shapes.entry(i);
        auto it = statements.find(e.key.queryid);
        if (e.key.dbid != MyDatabaseId || it == statements.end()) continue;
        add_shape(it->second, e, shapes.blob(i), names, indexes[e.key.queryid]);
    }
    names.resolve();
    for (auto &[queryid, s] : statements) {
        s.role = names.role(s.userid);
        for (const auto &[k, index] : indexes[queryid])
            if (index != InvalidOid) s.scans[k].index = names.relation(index);
        for (workload::ScanEvidence &scan : s.scans)
            scan.relation = names.relation(scan.relid);
        // Scans of relations dropped since are no evidence.
        s.scans.erase(
            std::remove_if(s.scans.begin(), s.scans.end(),
                           [](const workload::ScanEvidence &x) { return x.relation.empty(); }),
            s.scans.end());
        if (out.window_start == 0 || (s.first_seen && s.first_seen < out.window_start))
            out.window_start = s.first_seen;
        out.statements.push_back(std::move(s));
    }
}

void read_loops(workload::WorkloadSnapshot &out) {
    PgaLoopRow *rows = nullptr;
    int n = 0;
    pga_pg_subxact([&] { rows = pga_read_loops(&n); });
    Names names;
    for (int i = 0; i < n; i++) {
        if (rows[i].entry.child_relid) names.want_relation(rows[i].entry.child_relid);
        if (rows[i].entry.parent_relid) names.want_relation(rows[i].entry.parent_relid);
    }
    names.resolve();
    for (int i = 0; i < n; i++) {
        const PgaLoopRow &r = rows[i];
        const FindingEntry &e = r.entry;
        workload::LoopEvidence l;
        l.kind = std::string(loop_kind_name(static_cast<LoopKind>(e.key.kind)));
        l.parent_queryid = e.key.parent_queryid;
        l.parent_query = r.parent_text;
        l.child_queryid = e.key.child_queryid;
        l.child_query = r.child_text;
        if (e.child_relid) l.child_relation = names.relation(e.child_relid);
        if (e.parent_relid) l.parent_relation = names.relation(e.parent_relid);
        l.occurrences = static_cast<double>(e.occurrences);
        l.executions = static_cast<double>(e.executions);
        l.max_repeats = static_cast<double>(e.max_repeats);
        l.typical_repeats = static_cast<double>(r.typical_repeats);
        l.distinct_params = static_cast<double>(e.max_distinct);
        l.child_total_ms = static_cast<double>(e.child_total_ns) / 1e6;
        l.first_seen = to_unix(e.first_seen);
        l.last_seen = to_unix(e.last_seen);
        l.tags = tags_of(std::string_view(r.tags, r.tags_len));
        l.framework = std::string(e.framework_name());
        l.suggested_sql = r.suggested_sql;
        l.orm_fix = r.orm_fix;
        l.expected_queries = r.expected_queries;
        l.reason = r.reason;
        l.scope_kind = std::string(scope_kind_name(static_cast<ScopeKind>(e.scope_kind)));
        l.example_scope = std::string(e.example_scope());
        out.loops.push_back(std::move(l));
    }
}

void read_index_advice(workload::WorkloadSnapshot &out, PgaCapturedWorkload &w) {
    PgaIndexAdvice advice;
    pga_index_advice(nullptr, advice, &w);
    for (const PgaAdviceRow &r : pga_advice_rows(advice, false)) {
        workload::IndexAdviceEvidence a;
        a.recommendation_key = r.key;
        a.relation = r.relation;
        a.key_columns = r.keys;
        a.include_columns = r.include;
        a.predicate = r.predicate;
        a.ddl = r.ddl;
        a.est_size_bytes = r.size_bytes;
        a.queryids.assign(r.queryids.begin(), r.queryids.end());
        a.calls = r.calls;
        a.cost_before = r.cost_before;
        a.cost_after = r.cost_after;
        a.saving_pct = r.saving_pct;
        a.benefit = r.benefit;
        a.reason = r.reason;
        out.index_advice.push_back(std::move(a));
    }
}

void read_hotspots(workload::WorkloadSnapshot &out, PgaCapturedWorkload &w) {
    std::vector<Hotspot> hotspots;
    double workload_ms = 0;
    pga_seq_scan_hotspots(hotspots, &workload_ms, &w);
    Names names;
    for (const Hotspot &h : hotspots)
        names.want_relation(h.relid);
    names.resolve();
    for (const Hotspot &h : hotspots) {
        workload::HotspotEvidence e;
        e.relation = names.relation(h.relid);
        if (e.relation.empty()) continue;
        e.seq_scans = h.seq_scans;
        e.rows_scanned = h.rows_scanned;
        e.rows_returned = h.rows_returned;
        e.filter_ratio = h.filter_ratio;
        e.total_ms = h.total_ms;
        e.time_share = workload_ms > 0 ? h.total_ms / workload_ms : 0;
        e.quals = h.quals;
        e.queryids = h.queryids;
        e.measured = h.measured;
        out.hotspots.push_back(std::move(e));
    }
}

}  // namespace

void pga_read_workload_evidence(workload::WorkloadSnapshot &out) {
    out = workload::WorkloadSnapshot();
    if (pga_shared == NULL) {
        out.available = false;
        out.unavailable_reason =
            "pg_advisor is not in shared_preload_libraries, so no statement is captured "
            "(add it and restart the server)";
        return;
    }
    out.source = "pg_advisor";
    int64_t now = 0, started = 0;
    bool enabled = pga_enabled && pga_track != PGA_TRACK_NONE;
    pga_pg_subxact([&] {
        now = GetCurrentTimestamp();
        started = pga_shared->started_at;
    });
    // One copy of the stores for every part of the evidence.
    PgaCapturedWorkload w;
    w.read();
    read_statements(out, w);
    read_loops(out);
    read_index_advice(out, w);
    read_hotspots(out, w);
    out.window_end = to_unix(now);
    if (out.window_start == 0) out.window_start = to_unix(started);
    out.available = !out.statements.empty();
    if (!out.available)
        out.unavailable_reason =
            enabled ? "no statement of this database has been captured yet (since the server "
                      "started or the last advisor.reset())"
                    : "capture is switched off (pg_advisor.enabled = off or "
                      "pg_advisor.track = none)";
}
