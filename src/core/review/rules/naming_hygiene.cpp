// SCH-14 naming_hygiene: names that must be quoted (upper case, spaces, symbols), names that
// are SQL keywords, names of exactly 63 bytes (PostgreSQL truncated a longer one), and schemas
// named after an environment. Columns are reported per table (one finding lists them all).
#include <cctype>
#include <map>
#include <set>

#include "core/review/rules/table_facts.h"
#include "core/review/rules/schema_rules.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::rules {

namespace {

using catalog::Table;

constexpr size_t kMaxIdentifierBytes = 63;

enum class NameIssue { None, Quotes, Keyword, Truncated };

bool plain_chars(const std::string &name) {
    if (name.empty() || !(std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_'))
        return false;
    for (char ch : name)
        if (!(std::islower(static_cast<unsigned char>(ch)) ||
              std::isdigit(static_cast<unsigned char>(ch)) || ch == '_'))
            return false;
    return true;
}

NameIssue issue_of(const std::string &name) {
    if (name.size() == kMaxIdentifierBytes) return NameIssue::Truncated;
    if (catalog::quote_ident(name) == name) return NameIssue::None;
    return plain_chars(name) ? NameIssue::Keyword : NameIssue::Quotes;
}

// "OrderItems" -> "order_items", "Created At" -> "created_at"; "" when nothing usable is left.
std::string snake_case(const std::string &name) {
    std::string out;
    for (size_t i = 0; i < name.size(); i++) {
        unsigned char ch = static_cast<unsigned char>(name[i]);
        bool boundary = std::isupper(ch) && i > 0 &&
                        (std::islower(static_cast<unsigned char>(name[i - 1])) ||
                         std::isdigit(static_cast<unsigned char>(name[i - 1])));
        if (boundary && !out.empty() && out.back() != '_') out += '_';
        if (std::isalnum(ch))
            out += static_cast<char>(std::tolower(ch));
        else if (!out.empty() && out.back() != '_')
            out += '_';
    }
    while (!out.empty() && out.back() == '_')
        out.pop_back();
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) return "";
    return catalog::quote_ident(out) == out ? out : "";
}

const char *issue_code(NameIssue i) {
    switch (i) {
        case NameIssue::Quotes:
            return "needs_quotes";
        case NameIssue::Keyword:
            return "keyword";
        case NameIssue::Truncated:
            return "maybe_truncated";
        default:
            return "";
    }
}

std::string issue_text(NameIssue i) {
    switch (i) {
        case NameIssue::Quotes:
            return "must be written in double quotes (upper case or symbols)";
        case NameIssue::Keyword:
            return "is an SQL keyword and must be written in double quotes";
        case NameIssue::Truncated:
            return "is 63 bytes long: PostgreSQL may have truncated it";
        default:
            return "";
    }
}

const char *kWhy =
    "Names that need double quotes must be quoted, with the exact case, in every query, "
    "migration and tool; forgetting once gives \"relation does not exist\" or silently "
    "targets another object. Names cut at 63 bytes make two long names collide.";

// `alter` ("ALTER TABLE") and `schema` ("" for a schema) build the RENAME statements.
void report_name(RuleContext &cx, const std::string &type, const std::string &object,
                 const std::string &name, NameIssue issue, const std::string &alter,
                 const std::string &schema) {
    Finding f = cx.make(type, object, issue_code(issue));
    f.severity = Severity::Low;
    f.title = "The " + type + " name \"" + name + "\" " + issue_text(issue);
    f.evidence.add("name", name)
        .add("issue", issue_code(issue))
        .add("bytes", static_cast<int64_t>(name.size()));
    std::string better = issue == NameIssue::Quotes ? snake_case(name) : "";
    f.recommendation = better.empty() ? "Rename it to a lower-case name without quotes that is "
                                        "not a keyword, together with the code that uses it."
                                      : "Rename it to " + better +
                                            ", together with the code that uses it (a view with "
                                            "the old name can bridge the deploy).";
    f.why = kWhy;
    if (!better.empty()) {
        f.fix_sql =
            alter + " " + catalog::qualified_name(schema, name) + " RENAME TO " + better + ";";
        f.undo_sql = alter + " " + catalog::qualified_name(schema, better) + " RENAME TO " +
                     catalog::quote_ident(name) + ";";
    }
    cx.add(std::move(f));
}

const char *alter_kind(char relkind) {
    switch (relkind) {
        case 'v':
            return "ALTER VIEW";
        case 'm':
            return "ALTER MATERIALIZED VIEW";
        case 'f':
            return "ALTER FOREIGN TABLE";
        default:
            return "ALTER TABLE";
    }
}

bool environment_name(const std::string &schema) {
    static const std::set<std::string> words = {"dev",     "development", "test",    "testing",
                                                "staging", "stage",       "qa",      "uat",
                                                "prod",    "production",  "preprod", "sandbox"};
    std::string token;
    for (size_t i = 0; i <= schema.size(); i++) {
        if (i == schema.size() || schema[i] == '_') {
            if (words.count(token)) return true;
            token.clear();
        } else {
            token += static_cast<char>(std::tolower(static_cast<unsigned char>(schema[i])));
        }
    }
    return false;
}

void check_columns(RuleContext &cx, const Table &t) {
    std::vector<std::string> bad, fixes, undos;
    bool keyword = false;
    for (const catalog::Column &c : t.columns) {
        NameIssue i = issue_of(c.name);
        if (i == NameIssue::None) continue;
        bad.push_back(c.name);
        keyword = keyword || i == NameIssue::Keyword;
        std::string better = i == NameIssue::Quotes ? snake_case(c.name) : "";
        if (better.empty() || t.column(better)) continue;
        fixes.push_back(std::string(alter_kind(t.relkind)) + " " + t.qualified() +
                        " RENAME COLUMN " + catalog::quote_ident(c.name) + " TO " + better + ";");
        undos.push_back(std::string(alter_kind(t.relkind)) + " " + t.qualified() +
                        " RENAME COLUMN " + better + " TO " + catalog::quote_ident(c.name) + ";");
    }
    if (bad.empty()) return;
    Finding f = cx.make("table", t.qualified(), "column_names");
    f.severity = Severity::Low;
    f.title = std::to_string(bad.size()) + " column name" + (bad.size() > 1 ? "s" : "") + " of " +
              t.qualified() + " need double quotes (" + bad.front() +
              (bad.size() > 1 ? ", ..." : "") + ")";
    f.evidence.add("columns", bad);
    f.recommendation = "Rename the columns to lower-case names without quotes" +
                       std::string(keyword ? " that are not keywords" : "") +
                       ", together with the code that uses them.";
    f.why = kWhy;
    for (const std::string &s : fixes)
        f.fix_sql += (f.fix_sql.empty() ? "" : "\n") + s;
    for (const std::string &s : undos)
        f.undo_sql += (f.undo_sql.empty() ? "" : "\n") + s;
    cx.add(std::move(f));
}

}  // namespace

void naming_hygiene(RuleContext &cx) {
    std::set<std::string> schemas;
    for (const Table &t : cx.catalog().tables) {
        if (t.extension_member) continue;
        schemas.insert(t.schema);
        NameIssue i = issue_of(t.name);
        if (i != NameIssue::None)
            report_name(cx, t.relkind == 'v' || t.relkind == 'm' ? "view" : "table", t.qualified(),
                        t.name, i, alter_kind(t.relkind), t.schema);
        if (!t.is_partition) check_columns(cx, t);
        for (const catalog::Index &ix : t.indexes) {
            NameIssue ii = issue_of(ix.name);
            if (ii != NameIssue::None && ix.parent_index == 0)
                report_name(cx, "index", facts::index_object(t, ix), ix.name, ii, "ALTER INDEX",
                            t.schema);
        }
    }
    for (const std::string &s : schemas) {
        NameIssue i = issue_of(s);
        if (i != NameIssue::None)
            report_name(cx, "schema", catalog::quote_ident(s), s, i, "ALTER SCHEMA", "");
        if (!environment_name(s)) continue;
        Finding f = cx.make("schema", catalog::quote_ident(s), "environment_name");
        f.severity = Severity::Low;
        f.title = "Schema " + s + " is named after an environment";
        f.evidence.add("schema", s);
        f.recommendation =
            "Keep environments in separate databases or clusters, not schemas: "
            "name schemas after what they hold.";
        f.why =
            "Environment schemas in one database share roles, extensions, resources and "
            "backups, so a test workload or a mistaken search_path reaches production data.";
        cx.add(std::move(f));
    }
}

}  // namespace pg_advisor::review::rules
