// The index advisor run: captured workload (or one ad-hoc statement) -> scans per table ->
// catalog facts -> candidates (core) -> what-if costs (each statement analysed once, planned
// once without and once with each of its candidates) -> selection (core).
//
// Whose privileges: each captured statement is analysed and planned as the role that ran it,
// a hypothetical index is built and a table sampled as the table's owner, each inside a
// security-restricted operation (boundary/run_as.h); only tables the reader may SELECT from
// are advised on (their statistics shape the advice). Locks: the whole run is inside
// pga_with_released_locks(), so the locks planning takes end with the call. Memory: every
// planning runs in a context that is reset after it; the work is bounded by
// pg_advisor.max_relations_per_statement, max_candidates and advisor_memory_mb.
//
// C++ containers live across PostgreSQL calls here, so every PostgreSQL call goes through
// pga_pg_subxact(), which turns an ERROR into a C++ PgError instead of a longjmp.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/hash.h"
#include "core/indexes/index_candidates.h"
#include "core/indexes/index_selection.h"
#include "core/indexes/key_distinct.h"
#include "core/indexes/whatif_cache.h"
#include "core/sql/query_normalizer.h"
#include "core/workload/query_pattern.h"
#include "core/workload/scan_shape.h"

extern "C" {
#include "postgres.h"

#include "catalog/pg_authid.h"
#include "miscadmin.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "utils/acl.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
}

#include "pg/boundary/lock_scope.h"
#include "pg/boundary/pg_guard.h"
#include "pg/boundary/run_as.h"
#include "pg/capture/query_id.h"
#include "pg/capture/shape_extract.h"
#include "pg/catalog/catalog_facts.h"
#include "pg/compat.h"
#include "pg/guc.h"
#include "pg/indexes/captured_workload.h"
#include "pg/indexes/index_advisor.h"
#include "pg/indexes/whatif_planner.h"

using namespace pg_advisor;

namespace {

constexpr uint64_t kAdhocQueryId = 1;

WhatIfCache whatif_cache;
PgaIndexAdvice last_advice;

void depend_on(uint32_t relid) {
    whatif_cache.depend_on(relid);
}

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
    t.allvisible = f.allvisible;
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
        ci.type_category = c.type_category;
        ci.foreign_key = c.foreign_key;
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

// Rows a key sample collects (of those a partial index keeps): enough for the size of an index
// (key_distinct.h), which depends on the distinct count only where it is close to the number
// of rows, where the sample's singletons show it.
constexpr double kKeySampleRows = 5000;

// A statement analysed once for what-if planning.
// How long the advisor waits for a lock on a table while it reads the captured workload
// (pga_index_advice): a table someone holds a conflicting lock on (DDL) is left out.
constexpr const char *kCapturedLockTimeout = "10ms";

// Why a step failed, as the notes say it.
std::string reason_of(const PgError &e) {
    if (e.sqlerrcode == ERRCODE_LOCK_NOT_AVAILABLE)
        return "a table it reads is locked by another session (left out rather than waited for)";
    return e.message;
}

struct Base {
    bool done = false;
    std::string error;
    double cost = 0;
    Oid role = InvalidOid;  // planned as this role
    // with this search_path (the role's own; NULL for the caller's ad-hoc statement: its
    // session's)
    const char *search_path = nullptr;
    PgaAnalyzed analyzed{};
};

class AdvisorRun {
  public:
    // The captured workload is the caller's when given (already read), else read here.
    AdvisorRun(PgaIndexAdvice &out, MemoryContext run, MemoryContext planning,
               PgaCapturedWorkload *workload)
        : out_(out),
          run_(run),
          planning_(planning),
          settings_hash_(cost_settings_hash()),
          given_(workload != nullptr),
          w_(workload != nullptr ? *workload : own_) {
        w_.depend_on = depend_on;
    }

    void captured();
    void adhoc(const char *sql);
    void finish();

  private:
    void build_candidates();
    bool readable(Oid relid, std::string *why);
    void sample_key_distinct(const TableInfo &t, std::vector<Candidate> &candidates);
    Base &base_of(uint64_t q);
    void plan_base(uint64_t q, Base &b);
    PgaHypotheticalIndex *hypo_of(size_t i);
    void verify_candidates();
    std::vector<size_t> combo_members(uint64_t q, const std::vector<size_t> &list) const;
    void verify_combos();
    bool plan_combo(uint64_t q, const std::vector<size_t> &members, WhatIfCombo &combo);
    void select();
    template <class Fn>
    void planning(Fn &&fn);
    bool over_memory_limit() const;
    void note_unplannable(uint64_t q, const std::string &error);
    uint64_t statement_key(uint64_t q);

    PgaIndexAdvice &out_;
    MemoryContext run_;       // analysed statements and hypothetical indexes
    MemoryContext planning_;  // one planning at a time, reset after each
    uint64_t settings_hash_;
    bool given_;
    PgaCapturedWorkload own_;
    PgaCapturedWorkload &w_;
    std::map<uint32_t, std::vector<ScanUse>> uses_;
    std::map<uint64_t, Base> bases_;
    std::vector<WhatIfCost> costs_;
    std::vector<WhatIfCombo> combos_;
    std::map<uint64_t, std::vector<size_t>> candidates_of_;  // per statement
    std::vector<PgaHypotheticalIndex *> hypos_;
    std::vector<std::string> invalids_;
    std::set<uint64_t> unplannable_;
};

// What-if cache key of statement q's own plan: its text, the planner settings and the role
// it is planned as (another role may not read the same tables: its plan is checked again).
uint64_t AdvisorRun::statement_key(uint64_t q) {
    const PgaStatement &s = w_.statements[q];
    return hash_combine(hash_string(s.text) ^ settings_hash_, static_cast<uint64_t>(s.role));
}

void AdvisorRun::note_unplannable(uint64_t q, const std::string &error) {
    if (unplannable_.insert(q).second) out_.unplannable.emplace_back(q, error);
}

// Runs one planning step in a subtransaction, in the planning context, which is reset after.
template <class Fn>
void AdvisorRun::planning(Fn &&fn) {
    try {
        pga_pg_subxact([&] {
            MemoryContext old = MemoryContextSwitchTo(planning_);
            fn();
            MemoryContextSwitchTo(old);
        });
    } catch (...) {
        MemoryContextReset(planning_);
        throw;
    }
    MemoryContextReset(planning_);
    out_.planner_calls++;
}

bool AdvisorRun::over_memory_limit() const {
    return MemoryContextMemAllocated(run_, true) > (Size)pga_advisor_memory_mb * 1024 * 1024;
}

void AdvisorRun::captured() {
    if (!given_) w_.read();
    uses_ = w_.scans_per_table();
    out_.statements = w_.statements.size();
}

// One statement: analyse and plan it as the caller, check the caller may run it, and take its
// shape from the plan.
void AdvisorRun::adhoc(const char *sql) {
    std::string text = plannable_text(sql);
    uint64_t queryid = kAdhocQueryId;
    Base b;
    b.done = true;
    b.role = GetUserId();
    ShapeBuilder builder;
    int max_relations = pga_max_relations_per_statement;
    try {
        pga_pg_subxact([&] {
            char *copy = pstrdup(text.c_str());
            pga_run_as(b.role, b.search_path,
                       [&] { pga_analyze_statement(copy, max_relations, &b.analyzed); });
            Query *first = (Query *)linitial(b.analyzed.queries);
            if (first->queryId == 0 && first->utilityStmt == NULL) pga_jumble(first, copy);
            if (first->queryId != 0) queryid = first->queryId;
        });
        planning([&] {
            pga_run_as(b.role, b.search_path, [&] {
                PgaPlanned planned;
                pga_plan_analyzed(&b.analyzed, NULL, 0, &planned);
                // The permission error a plain execution gets, before anything is shown.
                pga_check_planned_permissions(&planned, true);
                b.cost = planned.cost;
                if (planned.query != NULL && planned.plans != NIL)
                    pga_extract_shape(planned.query, (PlannedStmt *)linitial(planned.plans), NULL,
                                      &builder);
            });
        });
    } catch (PgError &e) {
        // A permission error reads exactly as a plain execution's would.
        if (e.sqlerrcode == ERRCODE_INSUFFICIENT_PRIVILEGE) throw;
        char message[sizeof e.message];
        snprintf(message, sizeof message, "advisor.recommend_indexes: %s", e.message);
        pga_copy_message(e.message, sizeof e.message, message);
        throw;
    }
    PgaStatement &s = w_.statements[queryid];
    s.text = text;
    s.calls = 1;
    s.role = b.role;
    bases_[queryid] = b;
    std::string blob(builder.encoded_size(), '\0');
    blob.resize(builder.encode(blob.data(), blob.size()));
    w_.add_scans(blob, queryid, 1, uses_, nullptr, nullptr);
    out_.statements = 1;
}

// Whether the reader may see the table's statistics (SELECT on it): the advice shows values
// and sizes derived from them. Checked before anything locks the table.
bool AdvisorRun::readable(Oid relid, std::string *why) {
    bool ok = false;
    char *name = nullptr;
    pga_pg_subxact([&] {
        ok = pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) == ACLCHECK_OK;
        if (!ok) name = get_rel_name(relid);
    });
    if (!ok)
        *why = std::string("the reading role may not SELECT from ") + (name ? name : "it") +
               ": its statistics are not shown";
    return ok;
}

void AdvisorRun::build_candidates() {
    size_t budget = static_cast<size_t>(pga_max_candidates);
    for (auto &[relid, list] : uses_) {
        std::string why;
        if (!readable(relid, &why)) {
            out_.skipped.emplace_back(relid, why);
            continue;
        }
        if (out_.candidates.size() + out_.rejected.size() >= budget) {
            out_.skipped.emplace_back(relid,
                                      "not considered: the run reached "
                                      "pg_advisor.max_candidates (" +
                                          std::to_string(budget) + ")");
            continue;
        }
        PgaTableFacts facts;
        try {
            pga_pg_subxact([&] { pga_read_table_facts(relid, &facts); });
        } catch (const PgError &e) {
            out_.skipped.emplace_back(
                relid, e.sqlerrcode == ERRCODE_LOCK_NOT_AVAILABLE
                           ? std::string("the table is locked by another session (left out "
                                         "rather than waited for)")
                           : std::string("could not read the table: ") + e.message);
            continue;
        }
        TableInfo t = to_table_info(facts);
        CandidateLimits limits;
        limits.min_table_rows = pga_min_table_rows;
        CandidateSet set = generate_candidates(t, list, limits);
        sample_key_distinct(t, set.candidates);
        if (!set.table_skipped.empty()) out_.skipped.emplace_back(relid, set.table_skipped);
        for (RejectedCandidate &r : set.rejected)
            out_.rejected.push_back(std::move(r));
        for (Candidate &c : set.candidates)
            out_.candidates.push_back(std::move(c));
        out_.tables.push_back(std::move(t));
    }
    hypos_.assign(out_.candidates.size(), nullptr);
    invalids_.assign(out_.candidates.size(), "");
}

// Multi-column candidates whose size depends on how often key combinations repeat
// (key_distinct.h): one sample of the table per predicate counts the combinations of all of
// them, as the table's owner. Estimates are cached like what-if costs; a sample that fails
// leaves the upper bound.
void AdvisorRun::sample_key_distinct(const TableInfo &t, std::vector<Candidate> &candidates) {
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
        out_.key_samples++;
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
                pga_run_as(pga_relation_owner(t.relid), kPgaSafeSearchPath,
                           [&] { sampled = pga_sample_key_groups(&sample, &groups); });
            });
        } catch (const PgError &) {
            sampled = false;
        }
        out_.key_sample_ms +=
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

Base &AdvisorRun::base_of(uint64_t q) {
    Base &b = bases_[q];
    if (b.done) return b;
    b.done = true;
    if (over_memory_limit()) {
        b.error =
            "not planned: the advisor reached its memory limit "
            "(pg_advisor.advisor_memory_mb = " +
            std::to_string(pga_advisor_memory_mb) + ")";
    } else {
        try {
            plan_base(q, b);
        } catch (const PgError &e) {
            b.error = reason_of(e);
        }
    }
    if (!b.error.empty()) note_unplannable(q, b.error);
    return b;
}

// Analyses a captured statement as the role that ran it (after checking that role may touch
// every relation it names, before any lock), binds its example constants, plans it, and checks
// that the text still reads the relations it read when captured (a different search_path
// could make it name other tables).
void AdvisorRun::plan_base(uint64_t q, Base &b) {
    const PgaStatement &s = w_.statements[q];
    std::string plannable = plannable_text(s.text);
    const PgaExamples &ex = w_.examples[q];
    int nvalues = static_cast<int>(ex.values.size());
    int64 limit = ex.limit;
    int max_relations = pga_max_relations_per_statement;
    PgaExampleValue *values = nullptr;
    b.role = s.role;
    pga_pg_subxact([&] {
        if (!SearchSysCacheExists1(AUTHOID, ObjectIdGetDatum(b.role)))
            ereport(ERROR, (errmsg("the role that ran it (OID %u) no longer exists", b.role)));
        b.search_path = pga_role_search_path(b.role);
        for (uint32_t rel : s.relations)
            pga_lock_for_reading(rel, b.role);
        values = static_cast<PgaExampleValue *>(palloc0(sizeof(PgaExampleValue) * (nvalues + 1)));
        char *sql = pstrdup(plannable.c_str());
        pga_run_as(b.role, b.search_path,
                   [&] { pga_analyze_statement(sql, max_relations, &b.analyzed); });
    });
    for (int k = 0; k < nvalues; k++)
        values[k] = {ex.values[k].relid, ex.values[k].attnum, ex.values[k].opno,
                     ex.values[k].value.c_str()};
    if (nvalues > 0 || limit >= 0) {
        try {
            pga_pg_subxact([&] {
                pga_run_as(b.role, b.search_path,
                           [&] { pga_bind_examples(&b.analyzed, values, nvalues, limit); });
            });
        } catch (const PgError &) {
            b.analyzed.params = NULL;  // an example did not convert: generic plan
            b.analyzed.nbound = 0;
        }
    }
    Oid *relids = nullptr;
    int nrelids = 0;
    bool permitted = true;
    MemoryContext run = run_;
    planning([&] {
        pga_run_as(b.role, b.search_path, [&] {
            PgaPlanned planned;
            pga_plan_analyzed(&b.analyzed, NULL, 0, &planned);
            b.cost = planned.cost;
            permitted = pga_check_planned_permissions(&planned, false);
            nrelids = list_length(planned.relids);
            relids = static_cast<Oid *>(MemoryContextAlloc(run, sizeof(Oid) * (nrelids + 1)));
            for (int k = 0; k < nrelids; k++)
                relids[k] = list_nth_oid(planned.relids, k);
        });
    });
    if (!permitted)
        throw PgError::make(0, "the role that ran it may no longer read every table it reads");
    for (uint32_t rel : s.relations)
        if (std::find(relids, relids + nrelids, rel) == relids + nrelids)
            throw PgError::make(0,
                                "its text now names other relations than when it ran (another "
                                "search_path, or a table created or dropped since)");
}

PgaHypotheticalIndex *AdvisorRun::hypo_of(size_t i) {
    if (hypos_[i] != nullptr || !invalids_[i].empty()) return hypos_[i];
    const Candidate &c = out_.candidates[i];
    const TableInfo *t = out_.table(c.relid);
    std::string ddl = candidate_ddl(*t, c, false);
    SizeModel model = static_cast<SizeModel>(pga_index_size_model);
    double width = index_data_width(*t, c, model);
    double distinct = index_distinct_keys(*t, c);
    PgaHypotheticalIndex *h = nullptr;
    try {
        // In the run's context: it is planned with again and again.
        pga_pg_subxact([&] {
            char *text = pstrdup(ddl.c_str());
            Oid owner = pga_relation_owner(c.relid);
            pga_run_as(owner, pga_role_search_path(owner), [&] {
                h = pga_hypothetical_index(c.relid, text, (int)model, width, distinct);
            });
        });
    } catch (const PgError &e) {
        invalids_[i] = std::string("invalid index: ") + e.message;
    }
    hypos_[i] = h;
    return h;
}

void AdvisorRun::verify_candidates() {
    for (size_t i = 0; i < out_.candidates.size(); i++) {
        const Candidate &c = out_.candidates[i];
        std::string signature = c.signature();
        for (uint64_t q : c.queryids)
            candidates_of_[q].push_back(i);
        for (uint64_t q : c.queryids) {
            uint64_t text_hash = statement_key(q);
            uint64_t key = hash_combine(text_hash, hash_string(signature));
            CachedCost before, after;
            if (whatif_cache.find(text_hash, before) && whatif_cache.find(key, after)) {
                out_.cache_hits++;
                if (!before.error.empty()) note_unplannable(q, before.error);
                if (!before.error.empty() || !after.error.empty()) {
                    costs_.push_back(
                        {i, q, 0, 0, false, before.error.empty() ? after.error : before.error});
                    continue;
                }
                costs_.push_back({i, q, before.cost, after.cost, after.used, ""});
                continue;
            }
            Base &b = base_of(q);
            if (!b.error.empty()) {
                whatif_cache.store(text_hash, {0, false, b.error});
                costs_.push_back({i, q, 0, 0, false, b.error});
                continue;
            }
            whatif_cache.store(text_hash, {b.cost, false, ""});
            PgaHypotheticalIndex *h = hypo_of(i);
            if (h == nullptr) {
                costs_.push_back({i, q, 0, 0, false, invalids_[i]});
                continue;
            }
            Oid oid = pga_hypothetical_oid(h);
            WhatIfCost wc{i, q, b.cost, b.cost, false, ""};
            try {
                planning([&] {
                    pga_run_as(b.role, b.search_path, [&] {
                        PgaPlanned planned;
                        pga_plan_analyzed(&b.analyzed, &h, 1, &planned);
                        wc.cost_after = planned.cost;
                        wc.used = pga_planned_uses(&planned, oid);
                    });
                });
            } catch (const PgError &e) {
                wc.error = e.message;
            }
            whatif_cache.store(key, {wc.cost_after, wc.used, wc.error});
            costs_.push_back(wc);
        }
    }
}

// Statements reading several tables with candidates on more than one: planned once with all
// their candidates, for indexes that pay off only together.
// The candidates statement q is planned with at once (list: all of its candidates): the
// indexes of the arms of its OR over several columns (a BitmapOr needs them all), else, when it
// reads several tables, the narrowest full form of each index (a wider one would win the plan
// by a hair; a partial one is speculative here). Fewer than two: none.
std::vector<size_t> AdvisorRun::combo_members(uint64_t q, const std::vector<size_t> &list) const {
    std::vector<size_t> arms;
    for (size_t i : list) {
        const std::vector<uint64_t> &of = out_.candidates[i].or_arm_of;
        if (std::find(of.begin(), of.end(), q) != of.end()) arms.push_back(i);
    }
    if (arms.size() >= 2) return arms;
    std::set<uint32_t> tables;
    for (size_t i : list)
        tables.insert(out_.candidates[i].relid);
    if (tables.size() < 2) return {};
    std::vector<size_t> members;
    for (size_t i : list) {
        if (!out_.candidates[i].predicate.empty()) continue;
        bool wider = false;
        for (size_t j : list)
            wider = wider || (j != i && out_.candidates[j].predicate.empty() &&
                              out_.candidates[i].extends(out_.candidates[j]));
        if (!wider) members.push_back(i);
    }
    return members.size() >= 2 ? members : std::vector<size_t>();
}

void AdvisorRun::verify_combos() {
    for (const auto &[q, list] : candidates_of_) {
        std::vector<size_t> members = combo_members(q, list);
        if (members.empty()) continue;
        WhatIfCombo full;
        if (!plan_combo(q, members, full)) continue;
        // The same set with the partial form of a member where the statement has one (an inner
        // join key under a recurring IS NULL, the keys starting with the member's): kept if it
        // beats the full set by the margin a partial index needs.
        std::vector<size_t> partial = members;
        bool any = false;
        for (size_t &m : partial) {
            size_t best = m;
            for (size_t j : list) {
                const Candidate &c = out_.candidates[j], &full_member = out_.candidates[m];
                bool starts =
                    c.keys.size() >= full_member.keys.size() &&
                    std::equal(full_member.keys.begin(), full_member.keys.end(), c.keys.begin());
                if (!c.predicate.empty() && c.relid == full_member.relid && starts &&
                    c.include.empty() &&
                    (best == m || c.keys.size() < out_.candidates[best].keys.size()))
                    best = j;
            }
            any = any || best != m;
            m = best;
        }
        WhatIfCombo with_partial;
        if (any && plan_combo(q, partial, with_partial) && with_partial.used.size() >= 2 &&
            with_partial.cost_after <= full.cost_after * (1.0 - pga_index_wider_margin_pct / 100.0))
            full = std::move(with_partial);
        combos_.push_back(std::move(full));
    }
}

// Plans statement q with the members at once (cached like single candidates): the cost and
// the members the plan used. False when it could not be planned.
bool AdvisorRun::plan_combo(uint64_t q, const std::vector<size_t> &members, WhatIfCombo &combo) {
    uint64_t text_hash = statement_key(q);
    uint64_t combo_key = hash_combine(text_hash, hash_string("combo"));
    for (size_t i : members)
        combo_key = hash_combine(combo_key, hash_string(out_.candidates[i].signature()));
    CachedCost before, after;
    if (whatif_cache.find(text_hash, before) && whatif_cache.find(combo_key, after)) {
        out_.cache_hits++;
        if (!before.error.empty() || !after.error.empty()) return false;
        combo = WhatIfCombo{q, before.cost, after.cost, {}};
        for (size_t i : members) {
            CachedCost member;
            uint64_t key = hash_combine(combo_key, hash_string(out_.candidates[i].signature()));
            if (whatif_cache.find(key, member) && member.used) combo.used.push_back(i);
        }
        return true;
    }
    Base &b = base_of(q);
    if (!b.error.empty()) return false;
    std::vector<PgaHypotheticalIndex *> set;
    std::vector<size_t> planned_members;
    for (size_t i : members) {
        if (PgaHypotheticalIndex *h = hypo_of(i)) {
            set.push_back(h);
            planned_members.push_back(i);
        }
    }
    combo = WhatIfCombo{q, b.cost, b.cost, {}};
    std::vector<bool> used(planned_members.size(), false);
    try {
        planning([&] {
            pga_run_as(b.role, b.search_path, [&] {
                PgaPlanned planned;
                pga_plan_analyzed(&b.analyzed, set.data(), static_cast<int>(set.size()), &planned);
                combo.cost_after = planned.cost;
                for (size_t k = 0; k < planned_members.size(); k++)
                    used[k] = pga_planned_uses(&planned, pga_hypothetical_oid(set[k]));
            });
        });
    } catch (const PgError &e) {
        whatif_cache.store(combo_key, {0, false, e.message});
        return false;
    }
    whatif_cache.store(combo_key, {combo.cost_after, false, ""});
    for (size_t k = 0; k < planned_members.size(); k++) {
        size_t i = planned_members[k];
        whatif_cache.store(hash_combine(combo_key, hash_string(out_.candidates[i].signature())),
                           {0, static_cast<bool>(used[k]), ""});
        if (used[k]) combo.used.push_back(i);
    }
    return true;
}

void AdvisorRun::select() {
    std::vector<StatementCalls> calls;
    for (const auto &[q, s] : w_.statements)
        if (!s.stale) calls.push_back({q, s.calls});
    // Rows the captured workload wrote per table (over the same period as the calls): what
    // each new index on it must be maintained for.
    std::vector<TableWrites> writes;
    for (const auto &[relid, rows] : w_.rows_written) {
        // One index insertion: cpu_index_tuple_cost plus the comparisons of a descent.
        const TableInfo *t = out_.table(relid);
        double tuples = t ? std::max(t->reltuples, 2.0) : 2.0;
        writes.push_back(
            {relid, rows, cpu_index_tuple_cost + std::log2(tuples) * cpu_operator_cost});
    }
    out_.decisions = select_indexes(out_.tables, out_.candidates, costs_, calls, writes,
                                    settings_from_gucs(), combos_);
    out_.costs = std::move(costs_);
    out_.combos = std::move(combos_);
}

void AdvisorRun::finish() {
    build_candidates();
    verify_candidates();
    verify_combos();
    select();
}

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

void pga_index_advice(const char *adhoc, PgaIndexAdvice &out, PgaCapturedWorkload *workload) {
    auto started = std::chrono::steady_clock::now();
    MemoryContext caller = CurrentMemoryContext;
    MemoryContext run = nullptr, planning = nullptr;
    pga_pg_subxact([&] {
        run = AllocSetContextCreate(caller, "pg_advisor index advisor", ALLOCSET_DEFAULT_SIZES);
        planning =
            AllocSetContextCreate(run, "pg_advisor what-if planning", ALLOCSET_DEFAULT_SIZES);
    });
    // Built aside and handed over at the end: nothing of the session changes while a run walks
    // it (the previous result stays valid until this one is complete).
    PgaIndexAdvice result;
    try {
        pga_with_released_locks([&] {
            // Reading the captured workload never queues behind someone's DDL (reverted with
            // the subtransaction; the caller's own ad-hoc statement waits as EXPLAIN would).
            if (adhoc == nullptr)
                pga_pg_subxact([&] {
                    (void)set_config_option("lock_timeout", kCapturedLockTimeout, PGC_USERSET,
                                            PGC_S_SESSION, GUC_ACTION_LOCAL, true, 0, false);
                });
            MemoryContextSwitchTo(run);
            AdvisorRun r(result, run, planning, workload);
            if (adhoc == nullptr)
                r.captured();
            else
                r.adhoc(adhoc);
            r.finish();
            MemoryContextSwitchTo(caller);
        });
    } catch (...) {
        MemoryContextSwitchTo(caller);
        MemoryContextDelete(run);
        throw;
    }
    MemoryContextDelete(run);
    result.elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    last_advice.statements = result.statements;
    last_advice.ntables = result.tables.size();
    last_advice.ncandidates = result.candidates.size() + result.rejected.size();
    last_advice.planner_calls = result.planner_calls;
    last_advice.cache_hits = result.cache_hits;
    last_advice.key_samples = result.key_samples;
    last_advice.key_sample_ms = result.key_sample_ms;
    last_advice.elapsed_ms = result.elapsed_ms;
    out = std::move(result);
}
