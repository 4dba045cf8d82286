// The index advisor run: captured workload (or one ad-hoc statement) -> scans per table ->
// catalog facts -> candidates (core) -> what-if costs (each statement analysed once, planned
// once without and once with each of its candidates) -> selection (core).
//
// C++ containers live across PostgreSQL calls here, so every PostgreSQL call goes through
// pga_pg_subxact(), which turns an ERROR into a C++ PgError instead of a longjmp.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/hash.h"
#include "core/indexes/index_candidates.h"
#include "core/indexes/index_selection.h"
#include "core/indexes/key_distinct.h"
#include "core/loops/loop_finding.h"
#include "core/sql/query_normalizer.h"
#include "core/workload/query_pattern.h"
#include "core/workload/scan_shape.h"
#include "core/indexes/seq_scan_hotspots.h"
#include "core/workload/shape_cache.h"
#include "core/indexes/whatif_cache.h"

extern "C" {
#include "postgres.h"

#include "access/relation.h"
#include "access/transam.h"
#include "miscadmin.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "utils/inval.h"
#include "storage/lwlock.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
}

#include "pg/compat.h"
#include "pg/capture/capture.h"
#include "pg/catalog/catalog_facts.h"
#include "pg/guc.h"
#include "pg/indexes/index_advisor.h"
#include "pg/boundary/pg_guard.h"
#include "pg/capture/query_id.h"
#include "pg/capture/shape_extract.h"
#include "pg/shmem/shared_state.h"
#include "pg/sql/support.h"
#include "pg/indexes/whatif_planner.h"

using namespace pg_advisor;

namespace {

constexpr uint64_t kAdhocQueryId = 1;

struct Statement {
    double calls = 0;
    double total_ms = 0;
    double rows = 0;
    uint8_t command = 0;  // CommandKind
    std::string text;
    bool toplevel_text = false;
};

// Example constants of a statement's quals (from its captured shape), keyed by the partition
// root's column, to plan the normalised text as it ran instead of with default selectivities.
struct Example {
    uint32_t relid;
    int16_t attnum;
    uint32_t opno;
    std::string value;
};
struct Examples {
    std::vector<Example> values;
    int64_t limit = -1;
};

struct Workload {
    std::map<uint64_t, Statement> statements;
    std::map<uint32_t, double> rows_written;  // per table (partition root)
    std::map<uint64_t, Examples> examples;
    int64_t earliest = 0;  // first_seen of the oldest statement
    const char *shapes = nullptr;
    size_t shapes_len = 0;
};

// Partition -> partition-tree root, with the root's number for each partition column.
struct RelMap {
    Oid root = InvalidOid;
    std::vector<int16_t> attmap;  // index: partition attnum; value: root attnum (0 = none)
    int16_t map(int16_t a) const {
        if (attmap.empty() || a <= 0) return a;
        return a < static_cast<int16_t>(attmap.size()) ? attmap[a] : 0;
    }
};

WhatIfCache whatif_cache;

// The planner settings costs depend on: a change of any starts a new set of cache keys.
uint64_t cost_settings_hash() {
    const double reals[] = {seq_page_cost,        random_page_cost,  cpu_tuple_cost,
                            cpu_index_tuple_cost, cpu_operator_cost, (double)effective_cache_size,
                            (double)work_mem};
    const int model = pga_index_size_model;
    const bool flags[] = {enable_seqscan,    enable_indexscan, enable_indexonlyscan,
                          enable_bitmapscan, enable_sort,      enable_hashjoin,
                          enable_mergejoin,  enable_nestloop,  enable_hashagg};
    uint64_t h = hash_bytes(reals, sizeof reals);
    h = hash_combine(h, hash_bytes(&model, sizeof model));
    return hash_combine(h, hash_bytes(flags, sizeof flags));
}

void read_workload(Workload &w) {
    Oid me = GetUserId();
    Oid db = MyDatabaseId;
    bool see_all = false;
    char *patterns = nullptr;
    size_t plen = 0;
    char *shapes = nullptr;
    size_t slen = 0;
    pga_pg_subxact([&] {
        pga_require_shared_state();
        see_all = pga_can_see_all_statements();
        PatternStore ps = pga_pattern_store();
        patterns = pga_copy_snapshot(
            pga_shared->patterns_lock, ps.snapshot_capacity(), take_snapshot<PatternStore>,
            reinterpret_cast<char *>(pga_shared) + pga_shared->patterns_offset, &plen);
        ShapeStore ss = pga_shape_store();
        shapes = pga_copy_snapshot(
            pga_shared->shapes_lock, ss.snapshot_capacity(), take_snapshot<ShapeStore>,
            reinterpret_cast<char *>(pga_shared) + pga_shared->shapes_offset, &slen);
    });
    PatternStore::Snapshot snap(patterns, plen);
    for (uint32_t i = 0; i < snap.count(); i++) {
        PatternEntry e = snap.entry(i);
        if (e.key.dbid != db || (!see_all && e.key.userid != me)) continue;
        Statement &s = w.statements[e.key.queryid];
        s.calls += static_cast<double>(e.calls);
        s.total_ms += static_cast<double>(e.total_ns) / 1e6;
        s.rows += static_cast<double>(e.rows);
        s.command = e.command;
        if (s.text.empty() || (!s.toplevel_text && e.key.toplevel)) {
            s.text = std::string(snap.blob(i));
            s.toplevel_text = e.key.toplevel != 0;
        }
        if (e.first_seen != 0 && (w.earliest == 0 || e.first_seen < w.earliest))
            w.earliest = e.first_seen;
    }
    w.shapes = shapes;
    w.shapes_len = slen;
}

const RelMap &rel_map(std::map<uint32_t, RelMap> &cache, uint32_t relid) {
    auto it = cache.find(relid);
    if (it != cache.end()) return it->second;
    Oid root = InvalidOid;
    int16 *attmap = nullptr;
    int natts = 0;
    pga_pg_subxact([&] {
        root = pga_index_target(relid);
        if (root != relid) {
            Relation rel = relation_open(relid, AccessShareLock);
            natts = RelationGetNumberOfAttributes(rel);
            relation_close(rel, AccessShareLock);
            attmap = static_cast<int16 *>(palloc0(sizeof(int16) * (natts + 1)));
            for (AttrNumber a = 1; a <= natts; a++) {
                char *name = get_attname(relid, a, true);
                attmap[a] = name ? get_attnum(root, name) : 0;
            }
        }
    });
    RelMap m;
    m.root = root;
    if (attmap) m.attmap.assign(attmap, attmap + natts + 1);
    return cache.emplace(relid, std::move(m)).first->second;
}

// The scans of one shape blob, as candidate-generation input.
void add_scans(std::string_view blob, uint64_t queryid, double calls,
               std::map<uint32_t, RelMap> &relmaps, std::map<uint32_t, std::vector<ScanUse>> &uses,
               Examples *examples) {
    ShapeView view(blob);
    if (!view.valid()) return;
    if (examples) examples->limit = view.header().limit;
    for (size_t i = 0; i < view.nscans(); i++) {
        ScanRecord scan = view.scan(i);
        if (scan.relid < FirstNormalObjectId) continue;  // catalogs
        const RelMap &rm = rel_map(relmaps, scan.relid);
        whatif_cache.depend_on(scan.relid);
        whatif_cache.depend_on(rm.root);
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
            if (q.attnum > 0 && attnum == 0) continue;
            use.quals.push_back({attnum, static_cast<QualKind>(q.kind),
                                 static_cast<QualSource>(q.source), std::string(view.expr(q)),
                                 std::string(view.value(q)), q.nvalues});
            if (examples && attnum > 0 && q.opno != 0 &&
                static_cast<QualSource>(q.source) == QualSource::Const && !view.value(q).empty())
                examples->values.push_back({rm.root, attnum, q.opno, std::string(view.value(q))});
        }
        bool ordered = view.norder() > 0;
        for (size_t o = 0; o < view.norder() && ordered; o++) {
            OrderColumn oc = view.order(o);
            ordered = (oc.relid == rm.root || oc.relid == scan.relid) && oc.attnum > 0;
            if (ordered)
                use.order.push_back({oc.relid == scan.relid ? rm.map(oc.attnum) : oc.attnum,
                                     oc.descending != 0, oc.nulls_first != 0});
        }
        if (!ordered) use.order.clear();
        uses[rm.root].push_back(std::move(use));
    }
}

// Rows a key sample collects (of those a partial index keeps): enough for the size of an index
// (key_distinct.h), which depends on the distinct count only where it is close to the number
// of rows, where the sample's singletons show it.
constexpr double kKeySampleRows = 5000;

// Multi-column candidates whose size depends on how often key combinations repeat
// (key_distinct.h): one sample of the table per predicate counts the combinations of all of
// them. Estimates are cached like what-if costs; a sample that fails (no SELECT privilege, ...)
// leaves the upper bound.
void sample_key_distinct(const TableInfo &t, std::vector<Candidate> &candidates,
                         PgaIndexAdvice &out) {
    std::map<std::string, std::vector<size_t>> by_predicate;
    std::vector<uint64_t> keys(candidates.size());
    std::vector<std::vector<std::string>> sets(candidates.size());
    for (size_t i = 0; i < candidates.size(); i++) {
        Candidate &c = candidates[i];
        if (!key_distinct_bounds(t, c).needs_sample) continue;
        std::vector<int16_t> attnums;
        for (const IndexKey &k : c.keys)
            attnums.push_back(k.attnum);
        std::sort(attnums.begin(), attnums.end());
        std::string id = "key sample:" + std::to_string(t.relid) + ":" + c.predicate + ":";
        for (int16_t a : attnums) {
            id += std::to_string(a) + ",";
            sets[i].push_back(t.column(a)->name_sql);
        }
        keys[i] = hash_combine(hash_string(id), static_cast<uint64_t>(t.reltuples));
        CachedCost cached;
        if (whatif_cache.find(keys[i], cached)) {
            c.distinct_keys = cached.cost;
            continue;
        }
        by_predicate[c.predicate].push_back(i);
    }
    if (by_predicate.empty()) return;
    whatif_cache.depend_on(t.relid);
    for (const auto &[predicate, members] : by_predicate) {
        // Enough pages for kKeySampleRows rows the predicate keeps.
        double kept = t.reltuples * candidates[members[0]].predicate_fraction;
        double percent = std::min(100.0, 100.0 * kKeySampleRows / std::max(kept, 1.0));
        PgaKeyGroups groups{};
        bool sampled = false;
        auto started = std::chrono::steady_clock::now();
        out.key_samples++;
        try {
            pga_pg_subxact([&] {
                int n = static_cast<int>(members.size());
                int *sizes = static_cast<int *>(palloc(sizeof(int) * n));
                char ***names = static_cast<char ***>(palloc(sizeof(char **) * n));
                for (int m = 0; m < n; m++) {
                    const std::vector<std::string> &cols = sets[members[m]];
                    sizes[m] = static_cast<int>(cols.size());
                    names[m] = static_cast<char **>(palloc(sizeof(char *) * cols.size()));
                    for (size_t k = 0; k < cols.size(); k++)
                        names[m][k] = pstrdup(cols[k].c_str());
                }
                PgaKeySample sample;
                sample.table_sql = pstrdup(t.name_sql.c_str());
                sample.inherited = t.relkind == 'p';
                sample.predicate = predicate.empty() ? NULL : pstrdup(predicate.c_str());
                sample.percent = percent;
                sample.nsets = n;
                sample.set_sizes = sizes;
                sample.sets = names;
                sampled = pga_sample_key_groups(&sample, &groups);
            });
        } catch (const PgError &) {
            sampled = false;
        }
        out.key_sample_ms +=
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        for (size_t m = 0; m < members.size(); m++) {
            Candidate &c = candidates[members[m]];
            double estimate = 0;
            if (sampled) {
                KeyDistinct bounds = key_distinct_bounds(t, c);
                double d = duj1_estimate(groups.rows[m], groups.groups[m], groups.singletons[m],
                                         t.reltuples * c.predicate_fraction);
                if (d > 0) estimate = std::min(std::max(d, bounds.low), bounds.high);
            }
            c.distinct_keys = estimate;
            whatif_cache.store(keys[members[m]], {estimate, false, ""});
        }
    }
}

TableInfo to_table_info(const PgaTableFacts &f) {
    TableInfo t;
    t.relid = f.relid;
    t.name = f.name;
    t.name_sql = f.name_sql;
    t.relkind = f.relkind;
    t.catalog = f.catalog;
    t.temporary = f.temporary;
    t.reltuples = f.reltuples;
    t.relpages = f.relpages;
    for (int i = 0; i < f.ncolumns; i++) {
        const PgaColumnFacts &c = f.columns[i];
        ColumnInfo ci;
        ci.attnum = c.attnum;
        ci.name = c.name;
        ci.name_sql = c.name_sql;
        ci.type_name = c.type_name ? c.type_name : "";
        ci.btree = c.btree;
        ci.dedup = c.dedup;
        ci.pattern_opclass = c.pattern_opclass ? c.pattern_opclass : "";
        ci.n_distinct = c.n_distinct;
        ci.null_frac = c.null_frac;
        ci.avg_width = c.avg_width;
        ci.is_bool = c.is_bool;
        for (int k = 0; k < c.nmcv; k++) {
            ci.mcv_values.push_back(c.mcv_values[k]);
            ci.mcv_freqs.push_back(c.mcv_freqs[k]);
        }
        t.columns.push_back(std::move(ci));
    }
    for (int i = 0; i < f.nindexes; i++) {
        const PgaIndexFacts &x = f.indexes[i];
        ExistingIndex e;
        e.oid = x.oid;
        e.name = x.name;
        e.valid = x.valid;
        e.btree = x.btree;
        for (int k = 0; k < x.nkeys; k++) {
            e.keys.push_back(x.keys[k]);
            e.exprs.push_back(x.exprs[k] ? x.exprs[k] : "");
            e.desc.push_back(x.desc[k]);
        }
        for (int k = 0; k < x.ninclude; k++)
            e.include.push_back(x.include[k]);
        e.partial = x.predicate != nullptr;
        if (x.predicate) e.predicate = x.predicate;
        t.indexes.push_back(std::move(e));
    }
    for (int i = 0; i < f.npk; i++)
        t.primary_key.push_back(f.pk[i]);
    return t;
}

AdvisorSettings settings_from_gucs() {
    AdvisorSettings s;
    s.min_initial_cost = pga_index_min_initial_cost;
    s.min_saving_pct = pga_index_min_saving_pct;
    s.wider_margin_pct = pga_index_wider_margin_pct;
    s.max_per_table = static_cast<size_t>(pga_max_indexes_per_table);
    return s;
}

struct Base {
    bool done = false;
    std::string error;
    double cost = 0;
    PgaAnalyzed analyzed{};
};

PgaIndexAdvice last_advice;

}  // namespace

void pga_whatif_relation_changed(unsigned int relid) {
    whatif_cache.invalidate(relid);
}

const TableInfo *PgaIndexAdvice::table(uint32_t relid) const {
    for (const TableInfo &t : tables)
        if (t.relid == relid) return &t;
    return nullptr;
}

std::string pga_recommendation_key(const TableInfo &t, const Candidate &c) {
    // From the DDL (names, not OIDs): the same index has the same key in every database and
    // after a dump and restore.
    char buf[32];
    snprintf(buf, sizeof buf, "idx:%016llx",
             (unsigned long long)hash_string(candidate_ddl(t, c, false)));
    return buf;
}

const PgaIndexAdvice *pga_last_index_advice(void) {
    return &last_advice;
}

void pga_index_advice(const char *adhoc, PgaIndexAdvice &out) {
    auto started = std::chrono::steady_clock::now();
    out = PgaIndexAdvice();
    Workload w;
    std::map<uint32_t, RelMap> relmaps;
    std::map<uint32_t, std::vector<ScanUse>> uses;
    std::map<uint64_t, Base> bases;

    if (adhoc == nullptr) {
        read_workload(w);
        ShapeStore::Snapshot shapes(w.shapes, w.shapes_len);
        for (uint32_t i = 0; i < shapes.count(); i++) {
            ShapeEntry e = shapes.entry(i);
            if (e.key.dbid != MyDatabaseId) continue;
            auto it = w.statements.find(e.key.queryid);
            if (it == w.statements.end() || it->second.calls <= 0) continue;
            add_scans(shapes.blob(i), e.key.queryid, it->second.calls, relmaps, uses,
                      &w.examples[e.key.queryid]);
            ShapeView view(shapes.blob(i));
            auto command = static_cast<CommandKind>(it->second.command);
            bool write = command == CommandKind::Insert || command == CommandKind::Update ||
                         command == CommandKind::Delete || command == CommandKind::Merge;
            if (write && view.valid() && view.header().result_relid >= FirstNormalObjectId)
                w.rows_written[rel_map(relmaps, view.header().result_relid).root] +=
                    it->second.rows;
        }
    } else {
        // One statement: analyse and plan it, and take its shape from the plan.
        std::string text = plannable_text(adhoc);
        uint64_t queryid = kAdhocQueryId;
        Base b;
        b.done = true;
        ShapeBuilder builder;
        try {
            pga_pg_subxact([&] {
                char *sql = pstrdup(text.c_str());
                pga_analyze_statement(sql, &b.analyzed);
                Query *first = (Query *)linitial(b.analyzed.queries);
                if (first->queryId == 0 && first->utilityStmt == NULL) pga_jumble(first, sql);
                if (first->queryId != 0) queryid = first->queryId;
                PgaPlanned planned;
                pga_plan_analyzed(&b.analyzed, NULL, 0, &planned);
                b.cost = planned.cost;
                if (planned.query != NULL && planned.plans != NIL)
                    pga_extract_shape(planned.query, (PlannedStmt *)linitial(planned.plans), NULL,
                                      &builder);
            });
        } catch (PgError &e) {
            char message[sizeof e.message];
            snprintf(message, sizeof message, "advisor.recommend_indexes: %s", e.message);
            strlcpy(e.message, message, sizeof e.message);
            throw;
        }
        out.planner_calls++;
        Statement &s = w.statements[queryid];
        s.text = text;
        s.calls = 1;
        bases[queryid] = b;
        std::string blob(builder.encoded_size(), '\0');
        blob.resize(builder.encode(blob.data(), blob.size()));
        add_scans(blob, queryid, 1, relmaps, uses, nullptr);
    }
    out.statements = w.statements.size();

    // Tables and their candidates.
    for (auto &[relid, list] : uses) {
        PgaTableFacts facts;
        try {
            pga_pg_subxact([&] { pga_read_table_facts(relid, &facts); });
        } catch (const PgError &e) {
            out.skipped.emplace_back(relid, std::string("could not read the table: ") + e.message);
            continue;
        }
        TableInfo t = to_table_info(facts);
        CandidateLimits limits;
        limits.min_table_rows = pga_min_table_rows;
        CandidateSet set = generate_candidates(t, list, limits);
        sample_key_distinct(t, set.candidates, out);
        if (!set.table_skipped.empty()) out.skipped.emplace_back(relid, set.table_skipped);
        for (RejectedCandidate &r : set.rejected)
            out.rejected.push_back(std::move(r));
        for (Candidate &c : set.candidates)
            out.candidates.push_back(std::move(c));
        out.tables.push_back(std::move(t));
    }

    // What-if costs: each statement analysed at most once, planned once without and once with
    // each of its candidates; results cached across runs (see WhatIfCache).
    std::vector<WhatIfCost> costs;
    uint64_t settings_hash = cost_settings_hash();
    auto base_of = [&](uint64_t q) -> Base & {
        Base &b = bases[q];
        if (b.done) return b;
        b.done = true;
        try {
            std::string plannable = plannable_text(w.statements[q].text);
            // Example values as palloc'd structs (nothing C++ inside the subtransaction).
            const Examples &ex = w.examples[q];
            PgaExampleValue *values = nullptr;
            int nvalues = static_cast<int>(ex.values.size());
            int64 limit = ex.limit;
            pga_pg_subxact([&] {
                values = static_cast<PgaExampleValue *>(
                    palloc0(sizeof(PgaExampleValue) * (nvalues + 1)));
            });
            for (int k = 0; k < nvalues; k++)
                values[k] = {ex.values[k].relid, ex.values[k].attnum, ex.values[k].opno,
                             ex.values[k].value.c_str()};
            pga_pg_subxact([&] {
                char *sql = pstrdup(plannable.c_str());
                pga_analyze_statement(sql, &b.analyzed);
            });
            if (nvalues > 0 || limit >= 0) {
                try {
                    pga_pg_subxact([&] { pga_bind_examples(&b.analyzed, values, nvalues, limit); });
                } catch (const PgError &) {
                    b.analyzed.params = NULL;  // an example did not convert: generic plan
                    b.analyzed.nbound = 0;
                }
            }
            pga_pg_subxact([&] {
                PgaPlanned planned;
                pga_plan_analyzed(&b.analyzed, NULL, 0, &planned);
                b.cost = planned.cost;
            });
            out.planner_calls++;
        } catch (const PgError &e) {
            b.error = e.message;
            out.unplannable.emplace_back(q, e.message);
        }
        return b;
    };
    std::vector<PgaHypotheticalIndex *> hypos(out.candidates.size(), nullptr);
    std::vector<std::string> invalids(out.candidates.size());
    auto hypo_of = [&](size_t i) -> PgaHypotheticalIndex * {
        if (hypos[i] != nullptr || !invalids[i].empty()) return hypos[i];
        const Candidate &c = out.candidates[i];
        const TableInfo *t = out.table(c.relid);
        std::string ddl = candidate_ddl(*t, c, false);
        SizeModel model = static_cast<SizeModel>(pga_index_size_model);
        double width = index_data_width(*t, c, model);
        double distinct = index_distinct_keys(*t, c);
        PgaHypotheticalIndex *h = nullptr;
        try {
            pga_pg_subxact([&] {
                h = pga_hypothetical_index(c.relid, pstrdup(ddl.c_str()), (int)model, width,
                                           distinct);
            });
        } catch (const PgError &e) {
            invalids[i] = std::string("invalid index: ") + e.message;
        }
        hypos[i] = h;
        return h;
    };
    std::map<uint64_t, std::vector<size_t>> candidates_of;  // per statement
    for (size_t i = 0; i < out.candidates.size(); i++) {
        const Candidate &c = out.candidates[i];
        std::string signature = c.signature();
        for (uint64_t q : c.queryids)
            candidates_of[q].push_back(i);
        for (uint64_t q : c.queryids) {
            uint64_t text_hash = hash_string(w.statements[q].text) ^ settings_hash;
            uint64_t key = hash_combine(text_hash, hash_string(signature));
            CachedCost before, after;
            if (whatif_cache.find(text_hash, before) && whatif_cache.find(key, after)) {
                out.cache_hits++;
                if (!before.error.empty() || !after.error.empty()) {
                    costs.push_back(
                        {i, q, 0, 0, false, before.error.empty() ? after.error : before.error});
                    continue;
                }
                costs.push_back({i, q, before.cost, after.cost, after.used, ""});
                continue;
            }
            Base &b = base_of(q);
            if (!b.error.empty()) {
                whatif_cache.store(text_hash, {0, false, b.error});
                costs.push_back({i, q, 0, 0, false, b.error});
                continue;
            }
            whatif_cache.store(text_hash, {b.cost, false, ""});
            PgaHypotheticalIndex *h = hypo_of(i);
            if (h == nullptr) {
                costs.push_back({i, q, 0, 0, false, invalids[i]});
                continue;
            }
            Oid oid = pga_hypothetical_oid(h);
            WhatIfCost wc{i, q, b.cost, b.cost, false, ""};
            try {
                pga_pg_subxact([&] {
                    PgaPlanned planned;
                    pga_plan_analyzed(&b.analyzed, &h, 1, &planned);
                    wc.cost_after = planned.cost;
                    wc.used = pga_planned_uses(&planned, oid);
                });
                out.planner_calls++;
            } catch (const PgError &e) {
                wc.error = e.message;
            }
            whatif_cache.store(key, {wc.cost_after, wc.used, wc.error});
            costs.push_back(wc);
        }
    }

    // Statements reading several tables with candidates on more than one: planned once with
    // all their candidates, for indexes that pay off only together.
    std::vector<WhatIfCombo> combos;
    for (const auto &[q, list] : candidates_of) {
        std::map<uint32_t, int> tables;
        for (size_t i : list)
            tables[out.candidates[i].relid]++;
        if (tables.size() < 2) continue;
        // Members: the narrowest full form of each index (a wider one would win the plan by a
        // hair; a partial one is speculative here).
        std::vector<size_t> members;
        for (size_t i : list) {
            if (!out.candidates[i].predicate.empty()) continue;
            bool wider = false;
            for (size_t j : list)
                wider = wider || (j != i && out.candidates[j].predicate.empty() &&
                                  out.candidates[i].extends(out.candidates[j]));
            if (!wider) members.push_back(i);
        }
        // Cached: the combination's cost, and per member whether the plan used it.
        uint64_t text_hash = hash_string(w.statements[q].text) ^ settings_hash;
        uint64_t combo_key = hash_combine(text_hash, hash_string("combo"));
        for (size_t i : members)
            combo_key = hash_combine(combo_key, hash_string(out.candidates[i].signature()));
        CachedCost before, after;
        if (whatif_cache.find(text_hash, before) && whatif_cache.find(combo_key, after)) {
            out.cache_hits++;
            if (!before.error.empty() || !after.error.empty()) continue;
            WhatIfCombo combo{q, before.cost, after.cost, {}};
            for (size_t i : members) {
                CachedCost member;
                uint64_t key = hash_combine(combo_key, hash_string(out.candidates[i].signature()));
                if (whatif_cache.find(key, member) && member.used) combo.used.push_back(i);
            }
            combos.push_back(std::move(combo));
            continue;
        }
        Base &b = base_of(q);
        if (!b.error.empty()) continue;
        std::vector<PgaHypotheticalIndex *> set;
        std::vector<size_t> planned_members;
        for (size_t i : members) {
            if (PgaHypotheticalIndex *h = hypo_of(i)) {
                set.push_back(h);
                planned_members.push_back(i);
            }
        }
        WhatIfCombo combo{q, b.cost, b.cost, {}};
        std::vector<bool> used(planned_members.size(), false);
        try {
            pga_pg_subxact([&] {
                PgaPlanned planned;
                pga_plan_analyzed(&b.analyzed, set.data(), static_cast<int>(set.size()), &planned);
                combo.cost_after = planned.cost;
                for (size_t k = 0; k < planned_members.size(); k++)
                    used[k] = pga_planned_uses(&planned, pga_hypothetical_oid(set[k]));
            });
            out.planner_calls++;
        } catch (const PgError &e) {
            whatif_cache.store(combo_key, {0, false, e.message});
            continue;
        }
        whatif_cache.store(combo_key, {combo.cost_after, false, ""});
        for (size_t k = 0; k < planned_members.size(); k++) {
            size_t i = planned_members[k];
            whatif_cache.store(hash_combine(combo_key, hash_string(out.candidates[i].signature())),
                               {0, static_cast<bool>(used[k]), ""});
            if (used[k]) combo.used.push_back(i);
        }
        combos.push_back(std::move(combo));
    }

    // Selection.
    std::vector<StatementCalls> calls;
    for (const auto &[q, s] : w.statements)
        calls.push_back({q, s.calls});
    // Rows the captured workload wrote per table (over the same period as the calls): what
    // each new index on it must be maintained for.
    std::vector<TableWrites> writes;
    for (const auto &[relid, rows] : w.rows_written) {
        // One index insertion: cpu_index_tuple_cost plus the comparisons of a descent.
        const TableInfo *t = out.table(relid);
        double tuples = t ? std::max(t->reltuples, 2.0) : 2.0;
        writes.push_back(
            {relid, rows, cpu_index_tuple_cost + std::log2(tuples) * cpu_operator_cost});
    }
    out.decisions = select_indexes(out.tables, out.candidates, costs, calls, writes,
                                   settings_from_gucs(), combos);
    out.elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    last_advice.statements = out.statements;
    last_advice.ntables = out.tables.size();
    last_advice.ncandidates = out.candidates.size() + out.rejected.size();
    last_advice.planner_calls = out.planner_calls;
    last_advice.cache_hits = out.cache_hits;
    last_advice.key_samples = out.key_samples;
    last_advice.key_sample_ms = out.key_sample_ms;
    last_advice.elapsed_ms = out.elapsed_ms;
}

void pga_seq_scan_hotspots(std::vector<Hotspot> &out, double *workload_ms) {
    Workload w;
    read_workload(w);
    *workload_ms = 0;
    for (const auto &entry : w.statements)
        *workload_ms += entry.second.total_ms;
    std::map<uint32_t, RelMap> relmaps;
    std::map<uint32_t, std::vector<HotspotScan>> scans;
    ShapeStore::Snapshot shapes(w.shapes, w.shapes_len);
    for (uint32_t i = 0; i < shapes.count(); i++) {
        ShapeEntry e = shapes.entry(i);
        if (e.key.dbid != MyDatabaseId) continue;
        auto it = w.statements.find(e.key.queryid);
        if (it == w.statements.end() || it->second.calls <= 0) continue;
        ShapeView view(shapes.blob(i));
        if (!view.valid()) continue;
        for (size_t s = 0; s < view.nscans(); s++) {
            ScanRecord scan = view.scan(s);
            if (static_cast<ScanType>(scan.scan_type) != ScanType::SeqScan ||
                scan.relid < FirstNormalObjectId)
                continue;
            const RelMap &rm = rel_map(relmaps, scan.relid);
            HotspotScan hs;
            hs.queryid = e.key.queryid;
            hs.calls = it->second.calls;
            hs.total_ms = it->second.total_ms;
            hs.est_rows = scan.est_rows;
            if (s < ShapeEntry::kMaxCountedScans && e.sampled_execs > 0) {
                hs.sampled_execs = static_cast<double>(e.sampled_execs);
                hs.sampled_loops = static_cast<double>(e.scans[s].loops);
                hs.sampled_scanned = static_cast<double>(e.scans[s].rows_scanned);
                hs.sampled_returned = static_cast<double>(e.scans[s].rows_returned);
            }
            for (size_t j = 0; j < scan.nquals; j++) {
                Qual q = view.qual(scan, j);
                std::string text;
                std::string_view expr = view.expr(q);
                if (q.attnum > 0) {
                    char *name = nullptr;
                    AttrNumber a = rm.map(q.attnum) > 0 ? rm.map(q.attnum) : q.attnum;
                    pga_pg_subxact([&] { name = get_attname(rm.root, a, true); });
                    text = name ? name : "#" + std::to_string(q.attnum);
                } else {
                    text = expr.empty() ? "?" : std::string(expr);
                }
                text += " ";
                text += qual_kind_name(static_cast<QualKind>(q.kind));
                if (static_cast<QualSource>(q.source) != QualSource::None) {
                    text += " ";
                    text += qual_source_name(static_cast<QualSource>(q.source));
                }
                hs.quals.push_back(std::move(text));
            }
            scans[rm.root].push_back(std::move(hs));
        }
    }
    HotspotLimits limits;
    limits.min_table_rows = pga_min_table_rows;
    limits.min_filter_ratio = pga_hotspot_min_filter_pct / 100.0;
    for (auto &[relid, list] : scans) {
        double rows = 0;
        try {
            pga_pg_subxact([&] {
                PgaTableFacts f;
                pga_read_table_facts(relid, &f);
                rows = f.reltuples;
            });
        } catch (const PgError &) {
            continue;  // dropped since it was captured
        }
        Hotspot h;
        if (compute_hotspot(relid, rows, list, limits, &h)) out.push_back(std::move(h));
    }
}
