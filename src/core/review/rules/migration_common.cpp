// Helpers shared by the migration rules (see migration_rules.h).
#include "core/review/rules/migration_rules.h"

#include "core/common/text_format.h"
#include "core/sql/sql_tokens.h"

#include <cstdio>

#include "core/catalog/catalog_snapshot.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::migration {

bool find_keyword(std::string_view sql, std::string_view word, bool last, size_t *begin,
                  size_t *end) {
    bool found = false;
    for (const sql::Token &t : sql::tokenize(sql)) {
        if (!t.is_word(word)) continue;
        *begin = t.begin;
        *end = t.end;
        found = true;
        if (!last) break;
    }
    return found;
}

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
    f.evidence.add("lock", lock).add("blocks", std::string(ddl::lock_blocks(impact.lock)));
    if (impact.maybe_rewrite)
        f.evidence.add("rewrite", "unknown");
    else
        f.evidence.add("rewrite", impact.rewrite);
    f.evidence.add("scan", impact.scan);
    std::string target = table.empty() ? std::string("its table") : table.sql();
    std::string sentence = "Takes " + lock + " on " + target + " (blocks " +
                           std::string(ddl::lock_blocks(impact.lock)) + ")";
    if (impact.rewrite)
        sentence += " and rewrites the table and its indexes";
    else if (impact.maybe_rewrite)
        sentence += " and may rewrite the table and its indexes";
    else if (impact.scan)
        sentence += " and reads the whole table while holding it";
    if (facts && facts->bytes >= 0) {
        f.evidence.add("table_bytes", facts->bytes).add("table_rows", facts->rows);
        sentence += " (" + common::bytes(static_cast<double>(facts->bytes)) + ", about " +
                    common::thousands(static_cast<int64_t>(facts->rows < 0 ? 0 : facts->rows)) +
                    " rows)";
        f.impact = static_cast<double>(facts->bytes);
        f.impact_unit = "bytes";
        double bytes = static_cast<double>(facts->bytes);
        if (!impact.by_size) {
            // the lock's duration is not the risk
        } else if (bytes < cx.threshold("migration_small_table_bytes")) {
            f.severity = Severity::Info;
        } else if (bytes >= cx.threshold("migration_large_table_bytes")) {
            f.severity = review::raise(f.severity);
        }
    } else if (!cx.facts().live()) {
        sentence += " (table size unknown offline: pass --dsn to weigh it)";
    }
    sentence += ".";
    f.why = f.why.empty() ? sentence : sentence + " " + f.why;
}

ddl::Name change_table(const ddl::DdlRuleContext &cx, const ddl::Change &c) {
    using ddl::Action;
    if (c.action == Action::CreateIndex) return c.index.table;
    bool index_target =
        c.action == Action::DropIndex || (c.action == Action::Reindex && c.reindex_kind == "index");
    if (!index_target) return c.target;
    for (size_t i = 0; i < cx.state().created_index_names.size(); i++)
        if (ddl::same_table(cx.state().created_index_names[i], c.target))
            return cx.state().created_indexes[i].table;
    std::optional<ddl::IndexFacts> ix = cx.facts().index(c.target);
    return ix ? ix->table : ddl::Name{};
}

ddl::LockMode change_lock(const ddl::Change &c) {
    return ddl::lock_taken(c);
}

std::string quoted(const std::string &identifier) {
    return catalog::quote_ident(identifier);
}

std::string quoted_list(const std::vector<std::string> &columns) {
    std::string out;
    for (const std::string &c : columns)
        out += (out.empty() ? "" : ", ") + quoted(c);
    return out;
}

std::string column_object(const ddl::Name &table, const std::string &column) {
    return table.sql() + "." + quoted(column);
}

std::string constraint_name(const ddl::Name &table, const ddl::Constraint &c) {
    if (!c.name.empty()) return c.name;
    std::string cols;
    for (const std::string &col : c.columns)
        cols += "_" + col;
    switch (c.kind) {
        case ddl::ConstraintKind::PrimaryKey:
            return table.name + "_pkey";
        case ddl::ConstraintKind::Unique:
            return table.name + cols + "_key";
        case ddl::ConstraintKind::ForeignKey:
            return table.name + cols + "_fkey";
        case ddl::ConstraintKind::Exclusion:
            return table.name + cols + "_excl";
        case ddl::ConstraintKind::NotNull:
            return table.name + cols + "_not_null";
        default:
            return table.name + cols + "_check";
    }
}

size_t add_queries(review::Finding &f, const ddl::DdlRuleContext &cx, const ddl::Name &table,
                   const std::string &column) {
    std::vector<ddl::QueryUse> uses = cx.facts().queries_using(table, column);
    if (uses.empty()) return 0;
    std::vector<std::string> texts;
    for (const ddl::QueryUse &u : uses) {
        f.queryids.push_back(u.queryid);
        texts.push_back(u.text);
    }
    f.evidence.add("query_count", static_cast<int64_t>(uses.size())).add("queries", texts);
    return uses.size();
}

}  // namespace pg_advisor::review::migration
