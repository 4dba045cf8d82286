// The advisor's candidates as rows (see advice_rows.h).
#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include "core/indexes/index_candidates.h"
#include "core/indexes/index_selection.h"

extern "C" {
#include "postgres.h"
}

#include "pg/indexes/advice_rows.h"

using namespace pg_advisor;

const char *const kPgaRecommended = "recommended";
const char *const kPgaNotChosen = "not chosen";
const char *const kPgaRejected = "rejected";

static PgaAdviceRow base_row(const TableInfo &t, const Candidate &c) {
    PgaAdviceRow r;
    r.key = pga_recommendation_key(t, c);
    r.relid = c.relid;
    r.relation = t.name_sql;
    r.keys = key_column_names(t, c);
    r.include = include_column_names(t, c);
    r.predicate = c.predicate;
    r.ddl = candidate_ddl(t, c, true);
    r.rule = candidate_rule_name(c.rule);
    r.size_bytes = estimate_index_bytes(t, c);
    for (uint64_t q : c.queryids)
        r.queryids.push_back(static_cast<int64>(q));
    return r;
}

// Rows of one advisor run: chosen first (by benefit), then verified but not chosen, then
// rejected before verification.
std::vector<PgaAdviceRow> pga_advice_rows(const PgaIndexAdvice &a, bool include_rejected) {
    std::vector<PgaAdviceRow> rows;
    for (const IndexDecision &d : a.decisions) {
        if (!d.chosen && !include_rejected) continue;
        const Candidate &c = a.candidates[d.candidate];
        const TableInfo *t = a.table(c.relid);
        if (t == nullptr) continue;
        PgaAdviceRow r = base_row(*t, c);
        r.status = d.chosen ? kPgaRecommended : kPgaNotChosen;
        r.reason = d.reason;
        r.verified = true;
        if (d.chosen) {
            r.queryids.clear();
            for (const ServedStatement &s : d.served)
                r.queryids.push_back((int64)s.queryid);
        }
        r.calls = d.calls;
        r.cost_before = d.cost_before;
        r.cost_after = d.cost_after;
        r.saving_pct = d.saving_pct;
        r.benefit = d.benefit;
        r.write_overhead = d.write_overhead;
        rows.push_back(std::move(r));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const PgaAdviceRow &x, const PgaAdviceRow &y) {
        bool xc = x.status == kPgaRecommended, yc = y.status == kPgaRecommended;
        if (xc != yc) return xc;
        return xc && x.benefit > y.benefit;
    });
    if (include_rejected) {
        for (const RejectedCandidate &rc : a.rejected) {
            const TableInfo *t = a.table(rc.candidate.relid);
            if (t == nullptr) continue;
            PgaAdviceRow r = base_row(*t, rc.candidate);
            r.status = kPgaRejected;
            r.reason = rc.reason;
            rows.push_back(std::move(r));
        }
    }
    return rows;
}
