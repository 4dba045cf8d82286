// SQL functions of the index advisor: advisor.index_recommendations and advisor.index_candidates
// (the captured workload), advisor.recommend_indexes(query) (one ad-hoc statement) and
// advisor.explain_recommendation(key) (why a candidate was chosen, or why not).
//
// The advice is computed in C++ (index_advisor.cpp), turned into plain rows of std::strings,
// and only then into Datums, inside one pga_pg_subxact() whose body keeps no C++ object alive.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <exception>
#include <string>
#include <vector>

#include "core/indexes/index_candidates.h"
#include "core/indexes/index_selection.h"

extern "C" {
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"
}

#include "pg/compat.h"
#include "pg/indexes/advice_rows.h"
#include "pg/indexes/index_advisor.h"
#include "pg/boundary/pg_guard.h"
#include "pg/boundary/protect.h"
#include "pg/boundary/sql_function.h"
#include "pg/shmem/shared_state.h"
#include "pg/sql/support.h"

using namespace pg_advisor;

namespace {

constexpr int kAdviceColumns = 17;

void put_rows(FunctionCallInfo fcinfo, const std::vector<PgaAdviceRow> &rows) {
    pga_pg_subxact([&] {
        ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
        for (const PgaAdviceRow &r : rows) {
            Datum values[kAdviceColumns];
            bool nulls[kAdviceColumns];
            memset(nulls, 0, sizeof nulls);
            int c = 0;
            values[c++] = CStringGetTextDatum(r.key.c_str());
            values[c++] = ObjectIdGetDatum(r.relid);
            Datum *keys = static_cast<Datum *>(palloc(sizeof(Datum) * (r.keys.size() + 1)));
            for (size_t i = 0; i < r.keys.size(); i++)
                keys[i] = CStringGetTextDatum(r.keys[i].c_str());
            values[c++] = pga_text_array_datums(keys, (int)r.keys.size());
            Datum *inc = static_cast<Datum *>(palloc(sizeof(Datum) * (r.include.size() + 1)));
            for (size_t i = 0; i < r.include.size(); i++)
                inc[i] = CStringGetTextDatum(r.include[i].c_str());
            values[c++] = pga_text_array_datums(inc, (int)r.include.size());
            if (r.predicate.empty())
                nulls[c++] = true;
            else
                values[c++] = CStringGetTextDatum(r.predicate.c_str());
            values[c++] = CStringGetTextDatum(r.ddl.c_str());
            values[c++] = Int64GetDatum((int64)std::llround(r.size_bytes));
            values[c++] = pga_int8_array(r.queryids.data(), (int)r.queryids.size());
            if (r.verified) {
                values[c++] = Int64GetDatum((int64)std::llround(r.calls));
                values[c++] = Float8GetDatum(r.cost_before);
                values[c++] = Float8GetDatum(r.cost_after);
                values[c++] = Float8GetDatum(r.saving_pct);
                values[c++] = Float8GetDatum(r.benefit);
                values[c++] = Float8GetDatum(r.write_overhead);
            } else {
                for (int i = 0; i < 6; i++)
                    nulls[c++] = true;
            }
            values[c++] = CStringGetTextDatum(r.rule.c_str());
            values[c++] = CStringGetTextDatum(r.status.c_str());
            values[c++] = CStringGetTextDatum(r.reason.c_str());
            Assert(c == kAdviceColumns);
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    });
}

PgaIndexAdvice workload_advice;  // the last workload run of this backend
PgaIndexAdvice adhoc_advice;     // the last recommend_indexes() run of this backend

}  // namespace

PGA_SQL_FUNCTION(pg_advisor_index_advice, "advisor.index_recommendations") {
    bool include_rejected = PG_GETARG_BOOL(0);
    pga_require_shared_state();
    pga_materialize(fcinfo, kAdviceColumns, "advisor.index_recommendations");
    pga_index_advice(nullptr, workload_advice);
    put_rows(fcinfo, pga_advice_rows(workload_advice, include_rejected));
    return (Datum)0;
}

PGA_SQL_FUNCTION(pg_advisor_recommend_indexes, "advisor.recommend_indexes") {
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("advisor.recommend_indexes: the query is NULL"),
                        errhint("Pass the text of one SELECT, INSERT, UPDATE, DELETE or MERGE "
                                "statement, with literals or $n parameters.")));
    bool include_rejected = !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
    char *query = text_to_cstring(PG_GETARG_TEXT_PP(0));
    pga_require_shared_state();
    pga_materialize(fcinfo, kAdviceColumns, "advisor.recommend_indexes");
    pga_index_advice(query, adhoc_advice);
    put_rows(fcinfo, pga_advice_rows(adhoc_advice, include_rejected));
    return (Datum)0;
}

namespace {

std::string format_bytes(double b) {
    char buf[64];
    if (b >= 1024.0 * 1024 * 1024)
        snprintf(buf, sizeof buf, "%.1f GB", b / (1024.0 * 1024 * 1024));
    else if (b >= 1024.0 * 1024)
        snprintf(buf, sizeof buf, "%.1f MB", b / (1024.0 * 1024));
    else
        snprintf(buf, sizeof buf, "%.0f kB", b / 1024.0);
    return buf;
}

std::string format_number(double v) {
    char buf[64];
    snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

// "(a, b DESC) INCLUDE (c) WHERE p" of a candidate.
std::string form_of(const PgaIndexAdvice &a, size_t i) {
    const Candidate &c = a.candidates[i];
    const TableInfo *t = a.table(c.relid);
    return t ? candidate_form(*t, c) : "?";
}

// The competing forms costed for each statement candidate `self` was planned with: every
// candidate planned with the statement (full or partial, narrower or wider, with or without
// INCLUDE) and the sets planned together, with the cost per execution each gave.
std::string competing_forms(const PgaIndexAdvice &a, size_t self) {
    std::string out;
    for (const WhatIfCost &mine : a.costs) {
        if (mine.candidate != self || !mine.error.empty()) continue;
        out += "forms costed for statement " + std::to_string((int64)mine.queryid) +
               " (cost without: " + format_number(mine.cost_before) + "):\n";
        std::vector<const WhatIfCost *> forms;
        for (const WhatIfCost &w : a.costs)
            if (w.queryid == mine.queryid && w.error.empty()) forms.push_back(&w);
        std::stable_sort(forms.begin(), forms.end(), [](const WhatIfCost *x, const WhatIfCost *y) {
            return (x->used ? x->cost_after : x->cost_before) <
                   (y->used ? y->cost_after : y->cost_before);
        });
        for (const WhatIfCost *w : forms) {
            out += "  " + form_of(a, w->candidate) + ": ";
            out += w->used ? format_number(w->cost_after) : "not used by the planner";
            if (w->candidate == self) out += "  <- this one";
            out += "\n";
        }
        for (const WhatIfCombo &combo : a.combos) {
            if (combo.queryid != mine.queryid || combo.used.size() < 2) continue;
            std::string set;
            for (size_t i : combo.used)
                set += (set.empty() ? "" : " + ") + form_of(a, i);
            out += "  together " + set + ": " + format_number(combo.cost_after) + "\n";
        }
    }
    return out;
}

// The explanation of one candidate of a run, or "" when the key is not in it.
std::string explain_in(const PgaIndexAdvice &a, const std::string &key, const char *source) {
    for (const PgaAdviceRow &r : pga_advice_rows(a, true)) {
        if (r.key != key) continue;
        std::string out = r.key + " (" + source + ")\n";
        out += r.ddl + "\n";
        out += "status: " + r.status + " (rule: " + r.rule + ")\n";
        out += (r.status == kPgaRecommended ? "why: " : "why not: ") + r.reason + "\n";
        out += "estimated size: " + format_bytes(r.size_bytes);
        if (r.verified) out += "; write overhead: " + format_number(r.write_overhead);
        out += "\n";
        if (r.verified)
            out += "cost per execution: " + format_number(r.cost_before) + " -> " +
                   format_number(r.cost_after) + "; benefit: " + format_number(r.benefit) + "\n";
        // Per-statement notes of the verification, then the forms it competed with.
        for (const IndexDecision &d : a.decisions) {
            const Candidate &c = a.candidates[d.candidate];
            const TableInfo *t = a.table(c.relid);
            if (t == nullptr || pga_recommendation_key(*t, c) != key) continue;
            for (const std::string &n : d.notes)
                out += "  " + n + "\n";
            out += competing_forms(a, d.candidate);
        }
        if (!r.queryids.empty()) {
            out += "statements:";
            for (int64 q : r.queryids)
                out += " " + std::to_string(q);
            out += "\n";
        }
        while (!out.empty() && out.back() == '\n')
            out.pop_back();
        return out;
    }
    return "";
}

bool valid_key(const std::string &k) {
    if (k.size() != 20 || k.compare(0, 4, "idx:") != 0) return false;
    for (size_t i = 4; i < k.size(); i++)
        if (!isxdigit(static_cast<unsigned char>(k[i]))) return false;
    return true;
}

}  // namespace

PGA_SQL_FUNCTION(pg_advisor_explain_recommendation, "advisor.explain_recommendation") {
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("advisor.explain_recommendation: the key is NULL")));
    char *key_text = text_to_cstring(PG_GETARG_TEXT_PP(0));
    char *shown = pga_clip_input(key_text);  // before any C++ object exists: it pallocs
    pga_require_shared_state();
    text *result = nullptr;
    {
        std::string key(key_text);
        for (char &ch : key)
            ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
        if (!valid_key(key)) {
            PgError e;
            e.sqlerrcode = ERRCODE_INVALID_PARAMETER_VALUE;
            snprintf(e.message, sizeof e.message,
                     "invalid recommendation key \"%s\": expected \"idx:\" and 16 hex digits",
                     shown);
            throw e;
        }
        pga_index_advice(nullptr, workload_advice);
        std::string text = explain_in(workload_advice, key, "captured workload");
        if (text.empty()) text = explain_in(adhoc_advice, key, "last recommend_indexes() call");
        if (text.empty()) {
            PgError e;
            e.sqlerrcode = ERRCODE_UNDEFINED_OBJECT;
            snprintf(e.message, sizeof e.message,
                     "no index candidate with key \"%s\" in the captured workload or the last "
                     "recommend_indexes() call of this session",
                     shown);
            strlcpy(e.detail,
                    "Keys come from advisor.index_recommendations, advisor.index_candidates and "
                    "advisor.recommend_indexes(); the workload may have changed since.",
                    sizeof e.detail);
            throw e;
        }
        pga_pg_subxact([&] { result = cstring_to_text_with_len(text.data(), (int)text.size()); });
    }
    PG_RETURN_TEXT_P(result);
}

PGA_SQL_FUNCTION(pg_advisor_index_advice_stats, "advisor.index_advice_stats") {
    pga_require_shared_state();
    const PgaIndexAdvice *a = pga_last_index_advice();
    TupleDesc desc;
    if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("advisor.index_advice_stats: return type must be a row type")));
    desc = BlessTupleDesc(desc);
    Datum values[8];
    bool nulls[8] = {false, false, false, false, false, false, false, false};
    values[0] = Int64GetDatum((int64)a->statements);
    values[1] = Int64GetDatum((int64)a->ntables);
    values[2] = Int64GetDatum((int64)a->ncandidates);
    values[3] = Int64GetDatum((int64)a->planner_calls);
    values[4] = Int64GetDatum((int64)a->cache_hits);
    values[5] = Float8GetDatum(a->elapsed_ms);
    values[6] = Int64GetDatum((int64)a->key_samples);
    values[7] = Float8GetDatum(a->key_sample_ms);
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

PGA_SQL_FUNCTION(pg_advisor_index_advice_notes, "advisor.index_advice_notes") {
    pga_require_shared_state();
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, 3, "advisor.index_advice_notes");
    pga_index_advice(nullptr, workload_advice);
    pga_pg_subxact([&] {
        for (const auto &[relid, reason] : workload_advice.skipped) {
            Datum values[3] = {ObjectIdGetDatum(relid), (Datum)0,
                               CStringGetTextDatum(reason.c_str())};
            bool nulls[3] = {false, true, false};
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
        for (const auto &[queryid, reason] : workload_advice.unplannable) {
            Datum values[3] = {(Datum)0, Int64GetDatum((int64)queryid),
                               CStringGetTextDatum(reason.c_str())};
            bool nulls[3] = {true, false, false};
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    });
    return (Datum)0;
}
