// Query-pattern rules over captured statements (QRY-01, 02, 05, 06, 07, 12 of the catalogue).
// Statements are judged per group of one role and one collapsed shape (query_rules.h).
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/review/rules/query_rules.h"
#include "core/review/rules/rule_text.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::review::queries {

using workload::StatementEvidence;

namespace {

std::vector<StatementGroup> group_statements(const workload::WorkloadSnapshot &w,
                                             bool toplevel_only) {
    std::vector<StatementGroup> groups;
    std::unordered_map<std::string, size_t> index;
    for (const StatementEvidence &s : w.statements) {
        if (toplevel_only && !s.toplevel) continue;
        std::string shape = statement::collapsed_shape(s.query);
        auto [it, fresh] = index.emplace(s.role + "\n" + shape, groups.size());
        if (fresh) {
            groups.emplace_back();
            groups.back().role = s.role;
            groups.back().shape = shape;
        }
        StatementGroup &g = groups[it->second];
        g.members.push_back(&s);
        if (g.top == nullptr || s.total_ms > g.top->total_ms) g.top = &s;
        g.calls += s.calls;
        g.total_ms += s.total_ms;
        g.rows += s.rows;
        if (s.literal_calls >= 0)
            g.literal_calls = std::max(g.literal_calls, 0.0) + s.literal_calls;
        if (s.has_offset) g.max_offset = std::max(g.max_offset, s.offset);
        g.queryids.push_back(s.queryid);
    }
    for (StatementGroup &g : groups)
        g.parsed = statement::analyze(g.top->query);
    return groups;
}

}  // namespace

const std::vector<StatementGroup> &statement_groups(const RuleContext &cx, bool toplevel_only) {
    return cx.derived<std::vector<StatementGroup>>(
        toplevel_only ? "statement groups (top level)" : "statement groups (all)",
        [&] { return group_statements(cx.workload(), toplevel_only); });
}

Finding statement_finding(const RuleContext &cx, const StatementGroup &g) {
    Finding f = cx.make("statement", text::shorten(g.top->query, 80), g.identity());
    f.query = g.top->query;
    f.queryids = g.queryids;
    f.tags = g.top->tags;
    f.evidence.add("role", g.role)
        .add("calls", g.calls)
        .add("total_ms", g.total_ms)
        .add("mean_ms", g.mean_ms())
        .add("rows", g.rows);
    if (!g.top->application_name.empty())
        f.evidence.add("application_name", g.top->application_name);
    f.first_seen = g.top->first_seen;
    f.last_seen = g.top->last_seen;
    return f;
}

namespace {

using AdviceByQuery = std::unordered_map<uint64_t, const workload::IndexAdviceEvidence *>;

// The verified index recommendations by the statements they serve (built once per review).
AdviceByQuery advice_by_query(const workload::WorkloadSnapshot &w) {
    AdviceByQuery out;
    for (const workload::IndexAdviceEvidence &a : w.index_advice)
        for (uint64_t q : a.queryids)
            out.emplace(q, &a);
    return out;
}

// The verified index the advisor recommends for one of the statements, if any.
const workload::IndexAdviceEvidence *advice_for(const AdviceByQuery &advice,
                                                const StatementGroup &g) {
    for (uint64_t q : g.queryids) {
        auto it = advice.find(q);
        if (it != advice.end()) return it->second;
    }
    return nullptr;
}

double workload_total_ms(const std::vector<StatementGroup> &groups) {
    double total = 0;
    for (const StatementGroup &g : groups)
        total += g.total_ms;
    return total;
}

}  // namespace

// QRY-01: statements with at least the minimum calls and mean time (PgHero's 100 calls and
// 20 ms); high from the second mean threshold (1 s). When the index advisor verified an index
// for the statement, that index is the fix.
void slow_statement(RuleContext &cx) {
    if (!workload_available(cx)) return;
    double min_calls = cx.threshold("slow_statement_min_calls");
    double min_mean = cx.threshold("slow_statement_min_mean_ms");
    double high_mean = cx.threshold("slow_statement_high_mean_ms");
    AdviceByQuery advice = advice_by_query(cx.workload());
    for (const StatementGroup &g : statement_groups(cx, true)) {
        if (g.calls < min_calls || g.mean_ms() < min_mean) continue;
        Finding f = statement_finding(cx, g);
        if (g.mean_ms() >= high_mean) f.severity = raise(f.severity);
        f.title = fmt::format("Statement takes {} on average over {} calls",
                              text::millis(g.mean_ms()), text::count(g.calls));
        f.evidence.add("min_calls", min_calls).add("min_mean_ms", min_mean);
        f.current_state = f.query;
        f.recommendation =
            "EXPLAIN (ANALYZE, BUFFERS) the statement and remove what dominates "
            "its plan (a scan an index would avoid, a sort that spills).";
        if (const workload::IndexAdviceEvidence *a = advice_for(advice, g)) {
            f.fix_sql = a->ddl;
            f.why = fmt::format(
                "The index advisor verified this index for the statement: "
                "planned cost {} -> {} ({:.0f}% less).",
                text::count(a->cost_before), text::count(a->cost_after), a->saving_pct);
        }
        f.steps = {"Run EXPLAIN (ANALYZE, BUFFERS) with typical parameters.",
                   "Fix the dominant node; re-measure the mean time."};
        f.impact = g.total_ms;
        f.impact_unit = "ms";
        cx.add(std::move(f));
    }
}

// QRY-02: one statement group taking at least the threshold share of all top-level execution
// time (pg-extras' 33 %), with at least the minimum total time; high from the second share.
void workload_outlier(RuleContext &cx) {
    if (!workload_available(cx)) return;
    double min_pct = cx.threshold("workload_outlier_min_pct");
    double high_pct = cx.threshold("workload_outlier_high_pct");
    double min_ms = cx.threshold("workload_outlier_min_total_ms");
    const std::vector<StatementGroup> &groups = statement_groups(cx, true);
    double total = workload_total_ms(groups);
    if (total <= 0) return;
    for (const StatementGroup &g : groups) {
        double pct = 100 * g.total_ms / total;
        if (pct < min_pct || g.total_ms < min_ms) continue;
        Finding f = statement_finding(cx, g);
        if (pct >= high_pct) f.severity = raise(f.severity);
        f.title = fmt::format("Statement takes {:.0f}% of all execution time", pct);
        f.evidence.add("share_pct", pct).add("workload_total_ms", total).add("min_pct", min_pct);
        f.current_state = f.query;
        f.recommendation =
            "Start tuning here: make each call cheaper (plan, index) or call it "
            "less often (cache, batch).";
        f.why = fmt::format(
            "Halving this statement's time saves {:.0f}% of the database's "
            "execution time.",
            pct / 2);
        f.impact = g.total_ms;
        f.impact_unit = "ms";
        cx.add(std::move(f));
    }
}

// QRY-05: an ordered statement whose captured OFFSET constant is at least the threshold (1,000):
// every page reads and discards all rows before it. High from the second threshold.
void large_offset_pagination(RuleContext &cx) {
    if (!workload_available(cx)) return;
    double min_offset = cx.threshold("large_offset_pagination_min_offset");
    double high_offset = cx.threshold("large_offset_pagination_high_offset");
    for (const StatementGroup &g : statement_groups(cx, false)) {
        if (g.max_offset < 0 || static_cast<double>(g.max_offset) < min_offset) continue;
        if (g.parsed.command != "select" || !g.parsed.order_by) continue;
        Finding f = statement_finding(cx, g);
        if (static_cast<double>(g.max_offset) >= high_offset) f.severity = raise(f.severity);
        f.title = fmt::format("Pagination skips {} rows with OFFSET",
                              text::count(static_cast<double>(g.max_offset)));
        f.evidence.add("offset", g.max_offset)
            .add("order_by", g.parsed.order_items)
            .add("min_offset", min_offset);
        std::vector<std::string> keys;
        bool desc = false;
        for (std::string item : g.parsed.order_items) {
            for (const char *dir : {" DESC", " desc", " ASC", " asc"}) {
                size_t at = item.rfind(dir);
                if (at != std::string::npos && at + std::string(dir).size() == item.size()) {
                    desc = desc || dir[1] == 'D' || dir[1] == 'd';
                    item.erase(at);
                }
            }
            keys.push_back(item);
        }
        std::string cols = text::comma(keys);
        std::vector<std::string> last;
        for (size_t i = 0; i < keys.size(); i++)
            last.push_back(fmt::format("$last_{}", i + 1));
        f.fix_sql = fmt::format(
            "-- keyset pagination: remember the last row of a page and continue after it\n"
            "-- ... WHERE ({}) {} ({}) ORDER BY {} LIMIT <page size>",
            cols, desc ? "<" : ">", text::comma(last), text::comma(g.parsed.order_items));
        f.recommendation =
            "Paginate by key: filter on the ORDER BY columns of the last row "
            "seen instead of OFFSET (include a unique column for ties).";
        f.why =
            "OFFSET n reads and throws away n rows on every page, so late pages cost as much "
            "as reading everything before them; a keyset condition starts at the page.";
        f.steps = {"Make the ORDER BY unique (add the primary key).",
                   "Pass the last row's key values to the next page request.",
                   "Index the ORDER BY columns if no index serves them."};
        f.impact = static_cast<double>(g.max_offset) * g.calls;
        f.impact_unit = "rows";
        cx.add(std::move(f));
    }
}

namespace {

// Tables by "schema.name" and, when unique, by name alone.
struct TableNames {
    std::unordered_map<std::string, const catalog::Table *> qualified, bare;
    explicit TableNames(const catalog::CatalogSnapshot &snap) {
        std::unordered_map<std::string, int> count;
        for (const catalog::Table &t : snap.tables) {
            qualified[t.schema + "." + t.name] = &t;
            if (count[t.name]++ == 0)
                bare[t.name] = &t;
            else
                bare[t.name] = nullptr;
        }
    }
    const catalog::Table *find(const std::string &schema, const std::string &name) const {
        auto &m = schema.empty() ? bare : qualified;
        auto it = m.find(schema.empty() ? name : schema + "." + name);
        return it == m.end() ? nullptr : it->second;
    }
};

// The table the statement's main FROM reads: its captured scans first, the text's FROM second.
const catalog::Table *star_table(const catalog::CatalogSnapshot &snap, const TableNames &names,
                                 const StatementGroup &g) {
    for (const workload::ScanEvidence &s : g.top->scans)
        if (const catalog::Table *t = snap.table(s.relid)) return t;
    if (g.parsed.from_relation.empty()) return nullptr;
    return names.find(g.parsed.from_schema, g.parsed.from_relation);
}

}  // namespace

// QRY-06: SELECT * (or t.*) with at least the minimum calls, from a table with at least the
// threshold columns or average row width (pg_stats avg_width summed). Medium when rows are that
// wide or values are TOASTed: every call fetches and ships them.
void select_star_wide(RuleContext &cx) {
    if (!workload_available(cx)) return;
    double min_columns = cx.threshold("select_star_wide_min_columns");
    double min_bytes = cx.threshold("select_star_wide_min_row_bytes");
    double min_calls = cx.threshold("select_star_wide_min_calls");
    TableNames names(cx.catalog());
    for (const StatementGroup &g : statement_groups(cx, false)) {
        if (!g.parsed.select_star || g.calls < min_calls) continue;
        const catalog::Table *t = star_table(cx.catalog(), names, g);
        if (t == nullptr) continue;
        double width = 0;
        for (const catalog::Column &c : t->columns)
            width += c.stats.present ? c.stats.avg_width : 0;
        double cols = static_cast<double>(t->columns.size());
        bool wide_rows = width >= min_bytes;
        if (cols < min_columns && !wide_rows) continue;
        Finding f = statement_finding(cx, g);
        if (wide_rows || t->toast_pages > 0) f.severity = raise(f.severity);
        f.title = fmt::format("SELECT * reads all {} columns (about {} per row) of {}",
                              t->columns.size(), text::bytes(width), t->qualified());
        f.evidence.add("table", t->qualified())
            .add("columns", cols)
            .add("avg_row_bytes", width)
            .add("toast_pages", t->toast_pages)
            .add("min_columns", min_columns)
            .add("min_row_bytes", min_bytes);
        std::vector<std::string> first;
        for (size_t i = 0; i < t->columns.size() && i < 4; i++)
            first.push_back(catalog::quote_ident(t->columns[i].name));
        f.fix_sql = fmt::format(
            "-- name the columns the code uses, e.g.\n-- SELECT {}, ... FROM "
            "{} ...",
            text::comma(first), t->qualified());
        f.recommendation =
            "Select only the columns the code uses (the ORM's only()/select()/"
            "defer()).";
        f.why =
            "Every column is read, de-TOASTed and sent on every call; a narrow select list "
            "can also be served by an index-only scan.";
        f.impact = width * g.rows;
        f.impact_unit = "bytes";
        cx.add(std::move(f));
    }
}

// QRY-07: SELECT count(...) returning one row per call with at least the minimum calls, while
// each call scans at least the threshold rows (sampled per-node counts, else the planner's
// estimate): when only "is there one?" matters, EXISTS stops at the first row. Medium from the
// high threshold of rows scanned.
void count_for_existence(RuleContext &cx) {
    if (!workload_available(cx)) return;
    double min_calls = cx.threshold("count_for_existence_min_calls");
    double min_scanned = cx.threshold("count_for_existence_min_rows_scanned");
    double high_scanned = cx.threshold("count_for_existence_high_rows_scanned");
    for (const StatementGroup &g : statement_groups(cx, false)) {
        const statement::Shape &s = g.parsed;
        if (!s.count_only || s.group_by || s.set_operation || g.calls < min_calls) continue;
        if (g.rows > g.calls * 1.0001) continue;  // more than one row per call
        double scanned = 0;
        bool measured = false;
        for (const workload::ScanEvidence &sc : g.top->scans) {
            measured = measured || sc.rows_scanned >= 0;
            scanned += sc.rows_scanned >= 0 ? sc.rows_scanned : sc.est_rows;
        }
        if (scanned < min_scanned) continue;
        Finding f = statement_finding(cx, g);
        if (scanned >= high_scanned) f.severity = raise(f.severity);
        f.title = fmt::format("count() scans about {} rows per call, {} calls",
                              text::count(scanned), text::count(g.calls));
        f.evidence.add("rows_scanned_per_call", scanned)
            .add("measured", measured)
            .add("min_calls", min_calls)
            .add("min_rows_scanned", min_scanned);
        f.fix_sql = statement::exists_rewrite(g.top->query, s);
        f.recommendation =
            "If the code only checks whether the count is above zero, ask "
            "EXISTS instead: it stops at the first matching row.";
        f.why = "count() must visit every matching row; EXISTS visits one.";
        f.impact = scanned * g.calls;
        f.impact_unit = "rows";
        cx.add(std::move(f));
    }
}

// QRY-12: statements that differ only by inlined literals or IN-list / VALUES lengths — at
// least the threshold of captured variants of one shape — and shapes whose executions arrive
// with literals instead of bind parameters for at least the threshold share of their calls
// (when the capture tracks it). Both defeat plan caching, fill pg_stat_statements, and literal
// SQL is how injection happens.
void unparameterized_or_shape_explosion(RuleContext &cx) {
    if (!workload_available(cx)) return;
    double min_variants = cx.threshold("unparameterized_or_shape_explosion_min_variants");
    double min_pct = cx.threshold("unparameterized_or_shape_explosion_min_literal_pct");
    double min_calls = cx.threshold("unparameterized_or_shape_explosion_min_calls");
    for (const StatementGroup &g : statement_groups(cx, false)) {
        double variants = static_cast<double>(g.members.size());
        if (variants >= min_variants) {
            Finding f = statement_finding(cx, g);
            f.identity = "variants\n" + f.identity;
            f.title = fmt::format(
                "{} variants of one statement differ only in constants or "
                "list lengths",
                g.members.size());
            std::vector<std::string> examples;
            for (size_t i = 0; i < g.members.size() && i < 3; i++)
                examples.push_back(text::shorten(g.members[i]->query, 120));
            f.evidence.add("variants", variants)
                .add("shape", g.shape)
                .add("examples", examples)
                .add("min_variants", min_variants);
            f.fix_sql = "-- pass lists as one array parameter: WHERE id = ANY($1)";
            f.recommendation =
                "Pass values as bind parameters and lists as one array "
                "(= ANY($1)); insert many rows with one multi-row statement of a "
                "fixed size or COPY.";
            f.impact = variants;
            f.impact_unit = "statements";
            cx.add(std::move(f));
        }
        if (g.literal_calls < 0 || g.calls < min_calls) continue;
        double pct = 100 * g.literal_calls / g.calls;
        if (pct < min_pct) continue;
        Finding f = statement_finding(cx, g);
        f.identity = "literals\n" + f.identity;
        f.title = fmt::format("{:.0f}% of {} calls inline their values instead of binding them",
                              pct, text::count(g.calls));
        f.evidence.add("literal_calls", g.literal_calls)
            .add("literal_pct", pct)
            .add("min_literal_pct", min_pct);
        f.recommendation =
            "Use the driver's bind parameters (or prepared statements); never "
            "format values into SQL text.";
        f.why = "Inlined values are re-planned on every call and are the path of SQL injection.";
        f.impact = g.literal_calls;
        f.impact_unit = "calls";
        cx.add(std::move(f));
    }
}

// QRY-11: a SELECT without LIMIT that returns at least the threshold rows per call on average,
// with at least the minimum calls: the application receives (and usually pages through or
// drops) large results. Medium from the high threshold.
void unbounded_result(RuleContext &cx) {
    if (!workload_available(cx)) return;
    double min_rows = cx.threshold("unbounded_result_min_rows_per_call");
    double high_rows = cx.threshold("unbounded_result_high_rows_per_call");
    double min_calls = cx.threshold("unbounded_result_min_calls");
    for (const StatementGroup &g : statement_groups(cx, false)) {
        if (g.parsed.command != "select" || g.parsed.limit || g.calls < min_calls) continue;
        double per_call = g.rows / g.calls;
        if (per_call < min_rows) continue;
        Finding f = statement_finding(cx, g);
        if (per_call >= high_rows) f.severity = raise(f.severity);
        f.title = fmt::format("Statement returns {} rows per call without a LIMIT",
                              text::count(per_call));
        f.evidence.add("rows_per_call", per_call)
            .add("min_rows_per_call", min_rows)
            .add("min_calls", min_calls);
        f.recommendation =
            "Return one page (LIMIT with keyset pagination), aggregate in the "
            "database, or stream with a cursor if every row is really needed.";
        f.why = "Every row is read, sent and materialised by the client on every call.";
        f.impact = g.rows;
        f.impact_unit = "rows";
        cx.add(std::move(f));
    }
}

}  // namespace pg_advisor::review::queries
