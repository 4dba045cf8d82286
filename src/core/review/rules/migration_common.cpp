// Helpers shared by the migration rules (see migration_rules.h).
#include "core/review/rules/migration_rules.h"

#include <cstdio>

#include "core/common/no_postgres.h"

namespace pg_advisor::review::migration {

namespace {

std::string human_bytes(int64_t bytes) {
    static const char *const kUnits[] = {"bytes", "kB", "MB", "GB", "TB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    char buf[32];
    if (u == 0)
        std::snprintf(buf, sizeof buf, "%lld bytes", static_cast<long long>(bytes));
    else
        std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[u]);
    return buf;
}

std::string grouped(double rows) {
    std::string digits = std::to_string(static_cast<long long>(rows < 0 ? 0 : rows));
    std::string out;
    for (size_t i = 0; i < digits.size(); i++) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace

std::optional<ddl::TableFacts> table_facts(const ddl::DdlRuleContext &cx, const ddl::Name &table) {
    if (table.empty()) return std::nullopt;
    return cx.facts().table(table);
}

bool no_risk(const ddl::DdlRuleContext &cx, const ddl::Name &table) {
    return cx.state().created(table);
}

void describe_impact(review::Finding &f, const ddl::DdlRuleContext &cx, const ddl::Name &table,
                     const Impact &impact) {
    std::optional<ddl::TableFacts> facts = table_facts(cx, table);
    std::string lock(ddl::lock_mode_name(impact.lock));
    f.evidence.add("lock", lock)
        .add("blocks", std::string(ddl::lock_blocks(impact.lock)))
        .add("rewrite", impact.rewrite)
        .add("scan", impact.scan);
    std::string sentence = "Takes " + lock + " on " + table.sql() + " (blocks " +
                           std::string(ddl::lock_blocks(impact.lock)) + ")";
    if (impact.rewrite)
        sentence += " and rewrites the table and its indexes";
    else if (impact.scan)
        sentence += " and reads the whole table while holding it";
    if (facts && facts->bytes >= 0) {
        f.evidence.add("table_bytes", facts->bytes).add("table_rows", facts->rows);
        sentence += " (" + human_bytes(facts->bytes) + ", about " + grouped(facts->rows) + " rows)";
        f.impact = static_cast<double>(facts->bytes);
        f.impact_unit = "bytes";
        if (facts->bytes < cx.threshold("migration_small_table_bytes")) {
            f.severity = Severity::Info;
        } else if (facts->bytes >= cx.threshold("migration_large_table_bytes")) {
            f.severity = review::raise(f.severity);
        }
    } else if (!cx.facts().live()) {
        sentence += " (table size unknown offline: pass --dsn to weigh it)";
    }
    sentence += ".";
    f.why = f.why.empty() ? sentence : sentence + " " + f.why;
}

}  // namespace pg_advisor::review::migration
