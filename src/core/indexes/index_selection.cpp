#include "core/indexes/index_selection.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/common/no_postgres.h"

namespace pg_advisor {

namespace {

std::string fmt_cost(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

std::string fmt_pct(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", v);
    return buf;
}

// One decimal, rounded down: a saving just below a threshold never prints as the threshold.
std::string fmt_pct_below(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", std::floor(v * 10) / 10);
    return buf;
}

std::string qid(uint64_t q) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(q));
    return buf;
}

const TableInfo *table_of(const std::vector<TableInfo> &tables, uint32_t relid) {
    for (const TableInfo &t : tables)
        if (t.relid == relid) return &t;
    return nullptr;
}

struct Served {
    uint64_t queryid;
    double before, after;
};

}  // namespace

std::vector<IndexDecision> select_indexes(const std::vector<TableInfo> &tables,
                                          const std::vector<Candidate> &candidates,
                                          const std::vector<WhatIfCost> &costs,
                                          const std::vector<StatementCalls> &calls,
                                          const std::vector<TableWrites> &writes,
                                          const AdvisorSettings &settings,
                                          const std::vector<WhatIfCombo> &combos) {
    std::map<uint64_t, double> calls_of;
    for (const StatementCalls &c : calls)
        calls_of[c.queryid] += c.calls;
    std::vector<IndexDecision> decisions(candidates.size());
    std::vector<std::vector<Served>> served(candidates.size());

    // 1. Per statement: does the candidate serve it?
    for (size_t i = 0; i < candidates.size(); i++) {
        decisions[i].candidate = i;
        const TableInfo *t = table_of(tables, candidates[i].relid);
        if (t) decisions[i].size_bytes = estimate_index_bytes(*t, candidates[i]);
    }
    // What each candidate did for the statements it was planned with, served or not (shown for
    // candidates that are not chosen).
    struct Tried {
        double calls = 0, before = 0, after = 0, gross = 0;
    };
    std::vector<Tried> tried(candidates.size());
    for (const WhatIfCost &w : costs) {
        if (w.candidate >= candidates.size()) continue;
        IndexDecision &d = decisions[w.candidate];
        if (w.error.empty()) {
            Tried &t = tried[w.candidate];
            double c = calls_of[w.queryid];
            t.calls += c;
            t.before += c * w.cost_before;
            t.after += c * (w.used ? w.cost_after : w.cost_before);
            if (w.used) t.gross += c * std::max(0.0, w.cost_before - w.cost_after);
        }
        std::string q = "statement " + qid(w.queryid) + ": ";
        if (!w.error.empty()) {
            d.notes.push_back(q + "could not be planned (" + w.error + ")");
        } else if (w.cost_before < settings.min_initial_cost) {
            d.notes.push_back(q + "low initial cost (" + fmt_cost(w.cost_before) + " < " +
                              fmt_cost(settings.min_initial_cost) + ")");
        } else if (!w.used) {
            d.notes.push_back(q + "the planner does not use the index (cost stays " +
                              fmt_cost(w.cost_before) + ")");
        } else {
            double saving = 100.0 * (1.0 - w.cost_after / w.cost_before);
            if (saving < settings.min_saving_pct) {
                d.notes.push_back(q + "saving " + fmt_pct_below(saving) + " below " +
                                  fmt_pct(settings.min_saving_pct) + " (cost " +
                                  fmt_cost(w.cost_before) + " -> " + fmt_cost(w.cost_after) + ")");
            } else {
                served[w.candidate].push_back({w.queryid, w.cost_before, w.cost_after});
                d.notes.push_back(q + "cost " + fmt_cost(w.cost_before) + " -> " +
                                  fmt_cost(w.cost_after) + " (" + fmt_pct(-saving) + ")");
            }
        }
    }

    // Every statement each candidate serves, before steps 2 and 2b give some up (step 6).
    const std::vector<std::vector<Served>> all_served = served;

    // 2. A wider index keeps a statement only if clearly better than a narrower candidate;
    //    when it is, the narrower one gives the statement up (one index per need, not both).
    std::vector<std::string> dropped(candidates.size());  // why a statement was given up
    auto form_of = [&](size_t i) {
        const TableInfo *t = table_of(tables, candidates[i].relid);
        return t ? candidate_form(*t, candidates[i]) : std::string("?");
    };
    auto find_served = [&](size_t i, uint64_t queryid) -> Served * {
        for (Served &s : served[i])
            if (s.queryid == queryid) return &s;
        return nullptr;
    };
    auto remove = [&](size_t i, const std::vector<uint64_t> &ids) {
        auto &list = served[i];
        for (uint64_t q : ids)
            for (size_t k = 0; k < list.size(); k++)
                if (list[k].queryid == q) {
                    list.erase(list.begin() + static_cast<long>(k));
                    break;
                }
    };
    for (size_t w = 0; w < candidates.size(); w++) {
        for (size_t n = 0; n < candidates.size(); n++) {
            if (w == n || !candidates[w].extends(candidates[n])) continue;
            std::vector<uint64_t> wider_loses, narrower_loses;
            for (const Served &ws : served[w]) {
                const Served *narrow = find_served(n, ws.queryid);
                if (narrow == nullptr) continue;
                if (ws.after > narrow->after * (1.0 - settings.wider_margin_pct / 100.0)) {
                    wider_loses.push_back(ws.queryid);
                    std::string note = "statement " + qid(ws.queryid) + ": the narrower index " +
                                       form_of(n) + " serves it almost as well (" +
                                       fmt_cost(ws.after) + " vs " + fmt_cost(narrow->after) +
                                       ", needs " + fmt_pct(settings.wider_margin_pct) + " better)";
                    decisions[w].notes.push_back(note);
                    dropped[w] = note;
                } else {
                    narrower_loses.push_back(ws.queryid);
                    std::string note = "statement " + qid(ws.queryid) + ": the wider index " +
                                       form_of(w) + " serves it clearly better (" +
                                       fmt_cost(ws.after) + " vs " + fmt_cost(narrow->after) + ")";
                    decisions[n].notes.push_back(note);
                    dropped[n] = note;
                }
            }
            remove(w, wider_loses);
            remove(n, narrower_loses);
        }
    }

    // 2b. A partial index keeps a statement only if it beats the best full index still serving
    //     it (one that serves every value the workload looks up) by the same margin; when it
    //     does, that full one gives the statement up.
    std::vector<std::string> partial_gain(candidates.size());  // said when chosen
    for (size_t p = 0; p < candidates.size(); p++) {
        if (candidates[p].predicate.empty()) continue;
        std::vector<uint64_t> partial_loses;
        for (const Served &ps : served[p]) {
            size_t f = candidates.size();
            double full_after = 0;
            for (size_t j = 0; j < candidates.size(); j++) {
                if (!candidates[j].predicate.empty() || candidates[j].relid != candidates[p].relid)
                    continue;
                const Served *o = find_served(j, ps.queryid);
                if (o != nullptr && (f == candidates.size() || o->after < full_after))
                    f = j, full_after = o->after;
            }
            if (f == candidates.size()) continue;
            std::string compared = fmt_cost(ps.after) + " vs " + fmt_cost(full_after);
            if (ps.after > full_after * (1.0 - settings.wider_margin_pct / 100.0)) {
                partial_loses.push_back(ps.queryid);
                dropped[p] = "statement " + qid(ps.queryid) + ": the full index " + form_of(f) +
                             " serves every value " +
                             (ps.after >= full_after ? "as well or better" : "almost as well") +
                             " (" + compared + ", a partial index needs " +
                             fmt_pct(settings.wider_margin_pct) + " better)";
                decisions[p].notes.push_back(dropped[p]);
            } else {
                dropped[f] = "statement " + qid(ps.queryid) + ": the partial index " + form_of(p) +
                             " serves it clearly better (" + compared + ")";
                decisions[f].notes.push_back(dropped[f]);
                remove(f, {ps.queryid});
                partial_gain[p] =
                    "partial: " + fmt_pct(100.0 * (1.0 - ps.after / std::max(full_after, 1e-9))) +
                    " cheaper than the full index " + form_of(f) + " (" + compared + ", needs " +
                    fmt_pct(settings.wider_margin_pct) + ")";
            }
        }
        remove(p, partial_loses);
    }

    // 3. Benefit and write overhead.
    for (size_t i = 0; i < candidates.size(); i++) {
        IndexDecision &d = decisions[i];
        double write_cost = 0;
        for (const TableWrites &tw : writes)
            if (tw.relid == candidates[i].relid)
                write_cost += tw.rows_written *
                              (tw.cost_per_row > 0 ? tw.cost_per_row : settings.write_cost_per_row);
        d.write_overhead = write_cost * candidates[i].predicate_fraction;
        double gross = 0;
        for (const Served &s : served[i])
            gross += calls_of[s.queryid] * (s.before - s.after);
        d.benefit = gross - d.write_overhead;
        if (served[i].empty()) {
            if (!dropped[i].empty())
                d.reason = "not chosen: " + dropped[i];
            else
                d.reason = d.notes.empty() ? "no captured statement could use it"
                                           : "not chosen: " + d.notes.front();
        } else if (d.benefit <= 0) {
            d.reason = "not chosen: write overhead (" + fmt_cost(d.write_overhead) +
                       ") exceeds the benefit (" + fmt_cost(gross) + ")";
            served[i].clear();
        }
    }

    // A chosen index's figures over the statements it serves, and its reason.
    auto describe_chosen = [&](size_t i) {
        IndexDecision &d = decisions[i];
        double weight = 0, before = 0, after = 0;
        for (const ServedStatement &s : d.served) {
            weight += s.calls;
            before += s.calls * s.cost_before;
            after += s.calls * s.cost_after;
        }
        d.calls = weight;
        d.cost_before = weight > 0 ? before / weight : 0;
        d.cost_after = weight > 0 ? after / weight : 0;
        d.saving_pct = d.cost_before > 0 ? 100.0 * (1.0 - d.cost_after / d.cost_before) : 0;
        d.reason = "serves " + std::to_string(d.served.size()) +
                   (d.served.size() == 1 ? " statement" : " statements") + " (" +
                   fmt_cost(d.calls) + " calls): cost per execution " + fmt_cost(d.cost_before) +
                   " -> " + fmt_cost(d.cost_after) + " (-" + fmt_pct(d.saving_pct) +
                   "); rule: " + candidate_rule_name(candidates[i].rule);
        if (!partial_gain[i].empty()) d.reason += "; " + partial_gain[i];
        // INCLUDE pays through index-only scans, which skip only the all-visible pages.
        const TableInfo *t = table_of(tables, candidates[i].relid);
        if (!candidates[i].include.empty() && t != nullptr)
            d.reason += "; index-only scans: " + fmt_pct(100.0 * t->allvisible) +
                        " of the table's pages are all-visible (VACUUM keeps them so)";
    };

    // 4. Greedy by marginal benefit per byte, with a per-table cap.
    std::map<uint64_t, double> current;  // best cost so far per statement
    for (const auto &list : served)
        for (const Served &s : list)
            if (!current.count(s.queryid)) current[s.queryid] = s.before;
    std::map<uint32_t, size_t> per_table;
    std::vector<bool> open(candidates.size());
    for (size_t i = 0; i < candidates.size(); i++)
        open[i] = !served[i].empty();
    for (;;) {
        size_t best = candidates.size();
        double best_ratio = 0, best_marginal = 0;
        for (size_t i = 0; i < candidates.size(); i++) {
            if (!open[i]) continue;
            // A statement counts only if this index still cuts its current cost (with the
            // indexes chosen so far) by the minimum saving.
            double marginal = -decisions[i].write_overhead;
            for (const Served &s : served[i]) {
                double now = current[s.queryid];
                if (s.after <= now * (1.0 - settings.min_saving_pct / 100.0))
                    marginal += calls_of[s.queryid] * (now - s.after);
            }
            double ratio = marginal / std::max(decisions[i].size_bytes, 8192.0);
            if (marginal > 0 && (best == candidates.size() || ratio > best_ratio)) {
                best = i;
                best_ratio = ratio;
                best_marginal = marginal;
            }
        }
        if (best == candidates.size()) break;
        open[best] = false;
        IndexDecision &d = decisions[best];
        uint32_t relid = candidates[best].relid;
        if (per_table[relid] >= settings.max_per_table) {
            d.reason = "not chosen: the per-table cap of " +
                       std::to_string(settings.max_per_table) +
                       (settings.max_per_table == 1 ? " new index" : " new indexes") +
                       " is reached (pg_advisor.max_indexes_per_table)";
            continue;
        }
        per_table[relid]++;
        d.chosen = true;
        d.benefit = best_marginal;
        for (const Served &s : served[best]) {
            if (s.after > current[s.queryid] * (1.0 - settings.min_saving_pct / 100.0)) continue;
            d.served.push_back({s.queryid, calls_of[s.queryid], s.before, s.after});
            current[s.queryid] = std::min(current[s.queryid], s.after);
        }
        describe_chosen(best);
    }
    // 5. Indexes that serve a statement only together.
    std::vector<bool> in_combo(candidates.size());
    for (const WhatIfCombo &combo : combos) {
        if (combo.used.size() < 2) continue;
        double now = current.count(combo.queryid) ? current[combo.queryid] : combo.cost_before;
        if (combo.cost_before < settings.min_initial_cost ||
            combo.cost_after > now * (1.0 - settings.min_saving_pct / 100.0))
            continue;
        std::vector<size_t> fresh;
        std::map<uint32_t, size_t> needed;
        bool fits = true;
        for (size_t c : combo.used) {
            if (c >= candidates.size()) fits = false;
            if (!fits || decisions[c].chosen) continue;
            fresh.push_back(c);
            needed[candidates[c].relid]++;
        }
        for (const auto &[relid, n] : needed)
            fits = fits && per_table[relid] + n <= settings.max_per_table;
        if (!fits || fresh.empty()) continue;
        double ncalls = calls_of[combo.queryid];
        double overhead = 0;
        for (size_t c : fresh)
            overhead += decisions[c].write_overhead;
        double marginal = ncalls * (now - combo.cost_after) - overhead;
        if (marginal <= 0) continue;
        current[combo.queryid] = combo.cost_after;
        for (size_t c : fresh) {
            in_combo[c] = true;
            IndexDecision &d = decisions[c];
            per_table[candidates[c].relid]++;
            d.chosen = true;
            d.served = {{combo.queryid, ncalls, combo.cost_before, combo.cost_after}};
            d.calls = ncalls;
            d.cost_before = combo.cost_before;
            d.cost_after = combo.cost_after;
            d.saving_pct = 100.0 * (1.0 - combo.cost_after / combo.cost_before);
            d.benefit = marginal / static_cast<double>(fresh.size());
            std::string others;
            for (size_t o : combo.used) {
                if (o == c) continue;
                others += (others.empty() ? "" : " and ") + form_of(o);
                if (const TableInfo *t = table_of(tables, candidates[o].relid))
                    others += " on " + t->name;
            }
            d.reason = "serves statement " + qid(combo.queryid) + " (" + fmt_cost(ncalls) +
                       " calls) together with " + others + ": cost per execution " +
                       fmt_cost(combo.cost_before) + " -> " + fmt_cost(combo.cost_after) + " (-" +
                       fmt_pct(d.saving_pct) +
                       "); rule: " + candidate_rule_name(candidates[c].rule);
            d.notes.push_back("statement " + qid(combo.queryid) + ": with " + others + ", cost " +
                              fmt_cost(combo.cost_before) + " -> " + fmt_cost(combo.cost_after));
        }
    }

    // 6. An index chosen early can be made redundant by one chosen later (a partial index, then
    //    a covering one for the same statements; (a) then (a, b) for a statement on a alone):
    //    keep only those that still matter, that is, better than the others by the margin a
    //    wider index needs.
    std::vector<size_t> order;
    for (size_t i = 0; i < candidates.size(); i++)
        if (decisions[i].chosen) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return decisions[a].benefit < decisions[b].benefit;
    });
    // What a chosen index j costs statement q, whether or not the greedy step counted q for
    // it (an index chosen later serves a statement an earlier one already served), and even
    // if step 2 gave q to a narrower index: once the wider one is chosen anyway, the narrower
    // one is a second index for the same need; -1: it does not serve q.
    auto cost_with = [&](size_t j, uint64_t q) {
        for (const ServedStatement &o : decisions[j].served)
            if (o.queryid == q) return o.cost_after;
        for (const Served &o : all_served[j])
            if (o.queryid == q) return o.after;
        return -1.0;
    };
    for (size_t i : order) {
        if (in_combo[i]) continue;  // its partners serve the statement only with it
        IndexDecision &d = decisions[i];
        size_t better = candidates.size();
        bool needed = d.served.empty();
        std::vector<size_t> takers;  // per served statement: the index that serves it instead
        for (const ServedStatement &s : d.served) {
            size_t best = candidates.size();
            double best_after = 0;
            for (size_t j = 0; j < candidates.size(); j++) {
                if (j == i || !decisions[j].chosen) continue;
                double after = cost_with(j, s.queryid);
                if (after >= 0 && (best == candidates.size() || after < best_after)) {
                    best = j;
                    best_after = after;
                }
            }
            if (best == candidates.size() ||
                s.cost_after < best_after * (1.0 - settings.wider_margin_pct / 100.0)) {
                needed = true;
                break;
            }
            better = best;
            takers.push_back(best);
        }
        if (needed) continue;
        // Its statements move to the indexes that serve them instead.
        for (size_t k = 0; k < d.served.size(); k++) {
            size_t j = takers[k];
            const ServedStatement &s = d.served[k];
            bool listed = false;
            for (const ServedStatement &o : decisions[j].served)
                listed = listed || o.queryid == s.queryid;
            if (listed) continue;
            double after = cost_with(j, s.queryid);
            decisions[j].served.push_back({s.queryid, s.calls, s.cost_before, after});
            decisions[j].benefit += s.calls * (s.cost_before - after);
            if (!in_combo[j]) describe_chosen(j);  // a set's reason names its statement
        }
        d.chosen = false;
        d.served.clear();
        d.reason = "not chosen: " + form_of(better) + " serves its statements as well, or almost " +
                   "(within " + fmt_pct(settings.wider_margin_pct) + ")";
    }

    for (size_t i = 0; i < candidates.size(); i++) {
        IndexDecision &d = decisions[i];
        if (d.chosen) continue;
        if (d.reason.empty())
            d.reason = "not chosen: the indexes already chosen serve its statements as well";
        const Tried &t = tried[i];
        d.calls = t.calls;
        d.cost_before = t.calls > 0 ? t.before / t.calls : 0;
        d.cost_after = t.calls > 0 ? t.after / t.calls : 0;
        d.saving_pct = d.cost_before > 0 ? 100.0 * (1.0 - d.cost_after / d.cost_before) : 0;
        d.benefit = t.gross - d.write_overhead;
    }
    return decisions;
}

}  // namespace pg_advisor
