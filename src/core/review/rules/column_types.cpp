// Column data types the catalogue advises against: SCH-07 timestamp_without_tz, SCH-08
// money_as_money_or_float, SCH-09 char_varchar_n, SCH-10 json_not_jsonb, SCH-11
// serial_not_identity, SCH-16 reg_or_blob_types. Columns of user tables only (partitions
// inherit theirs from the partitioned table, which is where the fix goes).
#include <cctype>
#include <unordered_map>

#include "core/review/rules/table_facts.h"
#include "core/review/rules/schema_rules.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::rules {

namespace {

using catalog::Column;
using catalog::Table;

// Type oids (pg_type.h; stable across releases).
constexpr uint32_t kJson = 114, kOid = 26, kFloat4 = 700, kFloat8 = 701, kMoney = 790,
                   kBpchar = 1042, kVarchar = 1043, kTimestamp = 1114, kTimetz = 1266;

using ViewMap = std::unordered_map<uint32_t, std::vector<const Table *>>;

template <typename Fn>
void for_each_designed_column(const catalog::CatalogSnapshot &cat, Fn fn) {
    for (const Table &t : cat.tables)
        if (facts::is_designed_table(t))
            for (const Column &c : t.columns)
                fn(t, c);
}

std::string alter_type(const Table &t, const Column &c, const std::string &type,
                       const std::string &using_expr) {
    return "ALTER TABLE " + t.qualified() + " ALTER COLUMN " + catalog::quote_ident(c.name) +
           " TYPE " + type + (using_expr.empty() ? "" : " USING " + using_expr) + ";";
}

// A finding on one column whose fix is a type change.
struct TypeChange {
    Severity severity;
    std::string title;
    std::string recommendation;
    std::string why;
    std::string fix_sql;
    std::string undo_sql;
    bool rewrites = true;
};

void report_column(RuleContext &cx, const Table &t, const Column &c, TypeChange ch,
                   const ViewMap &views) {
    double rows = facts::table_rows(t);
    auto v = views.find(t.oid);
    std::vector<const Table *> readers =
        v == views.end() ? std::vector<const Table *>{} : v->second;
    std::vector<std::string> reader_names;
    for (const Table *r : readers)
        reader_names.push_back(r->qualified());
    Finding f = cx.make("column", facts::column_object(t, c), "");
    f.severity = ch.severity;
    f.title = ch.title;
    f.evidence.add("table", t.qualified())
        .add("column", c.name)
        .add("type", c.type)
        .add("table_rows", rows)
        .add("table_bytes", facts::table_bytes(t, facts::block_size(cx.catalog())))
        .add("views_reading_table", reader_names);
    f.recommendation = ch.recommendation;
    f.why = ch.why;
    f.fix_sql = ch.fix_sql;
    f.undo_sql = ch.undo_sql;
    f.impact = rows;
    f.impact_unit = "rows";
    f.current_state = c.name + " " + c.type;
    if (!ch.fix_sql.empty()) {
        if (ch.rewrites)
            f.steps = rewrite_steps(t, rows, readers);
        else if (!readers.empty())
            f.steps = {"Views read the table (" + reader_names.front() +
                       (readers.size() > 1 ? ", ..." : "") +
                       "): ALTER COLUMN TYPE fails while they depend on the column; drop and "
                       "recreate them in the same transaction."};
    }
    f.verify = "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = " +
               catalog::quote_literal(t.qualified()) +
               "::regclass AND attname = " + catalog::quote_literal(c.name) +
               "; shows the new type.";
    cx.add(std::move(f));
}

std::string replace_all(std::string s, const std::string &from, const std::string &to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

}  // namespace

std::vector<std::string> rewrite_steps(const Table &t, double rows,
                                       const std::vector<const Table *> &views) {
    std::vector<std::string> steps = {
        "ALTER COLUMN ... TYPE rewrites " + t.qualified() + " (" + facts::human_count(rows) +
        " rows) and rebuilds its indexes under an ACCESS EXCLUSIVE lock: on a small table "
        "run it with a short lock_timeout; on a large one add a new column, backfill it in "
        "batches, switch the application, then drop the old column."};
    if (!views.empty())
        steps.push_back("Views read the table (" + views.front()->qualified() +
                        (views.size() > 1 ? ", ..." : "") +
                        "): drop and recreate them around the change, in one transaction.");
    return steps;
}

void timestamp_without_tz(RuleContext &cx) {
    ViewMap views = facts::views_reading(cx.catalog());
    for_each_designed_column(cx.catalog(), [&](const Table &t, const Column &c) {
        if (c.type_oid != kTimestamp && c.type_oid != kTimetz) return;
        std::string col = catalog::quote_ident(c.name);
        TypeChange ch{Severity::Low, "", "", "", "", "", true};
        if (c.type_oid == kTimestamp) {
            std::string tz = replace_all(c.type, "without time zone", "with time zone");
            ch.title = "Column " + c.name + " of " + t.qualified() + " is " + c.type;
            ch.recommendation =
                "Use timestamptz, converting the stored values from the time zone "
                "they were written in (UTC below; change it if not).";
            ch.why =
                "timestamp without time zone drops the offset: the same instant written "
                "from sessions in different time zones is stored as different values, and "
                "DST changes make local times ambiguous.";
            ch.fix_sql = alter_type(t, c, tz, col + " AT TIME ZONE 'UTC'");
            ch.undo_sql = alter_type(t, c, c.type, col + " AT TIME ZONE 'UTC'");
        } else {
            ch.title = "Column " + c.name + " of " + t.qualified() + " is time with time zone";
            ch.recommendation =
                "Use timestamptz (an instant) or time without time zone (a wall "
                "clock time): timetz cannot handle DST.";
            ch.why =
                "A time of day with a fixed offset has no date, so it cannot follow daylight "
                "saving changes; the PostgreSQL documentation discourages it.";
        }
        report_column(cx, t, c, ch, views);
    });
}

namespace {

// Column name words that mean money: price, unit_price, totalAmount, ...
bool monetary_name(const std::string &name) {
    static const char *const words[] = {"price",   "amount", "cost",     "balance",  "total",
                                        "fee",     "fees",   "salary",   "tax",      "payment",
                                        "revenue", "charge", "subtotal", "discount", "wage",
                                        "budget",  "refund", "credit",   "debit",    "money"};
    std::vector<std::string> tokens(1);
    for (size_t i = 0; i < name.size(); i++) {
        unsigned char ch = static_cast<unsigned char>(name[i]);
        bool upper =
            std::isupper(ch) && i > 0 && std::islower(static_cast<unsigned char>(name[i - 1]));
        if (!std::isalpha(ch) || upper) tokens.emplace_back();
        if (std::isalpha(ch)) tokens.back() += static_cast<char>(std::tolower(ch));
    }
    for (const std::string &tok : tokens)
        for (const char *w : words)
            if (tok == w) return true;
    return false;
}

}  // namespace

void money_as_money_or_float(RuleContext &cx) {
    ViewMap views = facts::views_reading(cx.catalog());
    for_each_designed_column(cx.catalog(), [&](const Table &t, const Column &c) {
        bool money = c.type_oid == kMoney;
        bool float_money =
            (c.type_oid == kFloat4 || c.type_oid == kFloat8) && monetary_name(c.name);
        if (!money && !float_money) return;
        std::string col = catalog::quote_ident(c.name);
        TypeChange ch{money ? Severity::Low : Severity::Medium, "", "", "", "", "", true};
        ch.title = "Column " + c.name + " of " + t.qualified() + " stores money as " + c.type;
        if (money) {
            ch.recommendation =
                "Use numeric with the precision the amounts need (numeric(19,2) "
                "below) and keep the currency in its own column.";
            ch.why =
                "money's input and output depend on lc_monetary, it has a fixed fraction "
                "size and no currency, and casting it loses precision in arithmetic.";
            ch.fix_sql = alter_type(t, c, "numeric(19,2)", col + "::numeric");
            ch.undo_sql = alter_type(t, c, "money", col + "::numeric::money");
        } else {
            ch.recommendation =
                "Use numeric for amounts: binary floating point cannot represent "
                "most decimal fractions exactly.";
            ch.why = "0.1 + 0.2 is not 0.3 in " + c.type +
                     ": sums of amounts drift, and equality comparisons fail.";
            ch.fix_sql = alter_type(t, c, "numeric", col + "::numeric");
            ch.undo_sql = alter_type(t, c, c.type, col + "::" + c.type);
        }
        report_column(cx, t, c, ch, views);
    });
}

void char_varchar_n(RuleContext &cx) {
    ViewMap views = facts::views_reading(cx.catalog());
    for_each_designed_column(cx.catalog(), [&](const Table &t, const Column &c) {
        bool fixed = c.type_oid == kBpchar;
        if (!fixed && !(c.type_oid == kVarchar && c.typmod >= 4)) return;
        int n = c.typmod >= 4 ? c.typmod - 4 : 1;
        std::string col = catalog::quote_ident(c.name);
        std::string check = t.name + "_" + c.name + "_length";
        if (check.size() > 63) check = check.substr(0, 63);
        std::string qcheck = catalog::quote_ident(check);
        TypeChange ch{fixed ? Severity::Low : Severity::Info, "", "", "", "", "", fixed};
        ch.title = "Column " + c.name + " of " + t.qualified() + " is " + c.type;
        ch.recommendation =
            "Use text with a CHECK constraint on the length: changing a CHECK "
            "later takes no long lock (NOT VALID, then VALIDATE).";
        ch.why = fixed ? "char(n) pads values with spaces, which comparisons, LIKE and "
                         "applications treat inconsistently, and it is never faster than text."
                       : "Changing the limit of varchar(n) needs ALTER COLUMN TYPE (ACCESS "
                         "EXCLUSIVE lock, and a rewrite when it shrinks); a CHECK constraint "
                         "can be swapped without blocking.";
        ch.fix_sql = alter_type(t, c, "text", "") + "\nALTER TABLE " + t.qualified() +
                     " ADD CONSTRAINT " + qcheck + " CHECK (char_length(" + col +
                     ") <= " + std::to_string(n) + ") NOT VALID;\nALTER TABLE " + t.qualified() +
                     " VALIDATE CONSTRAINT " + qcheck + ";";
        ch.undo_sql = "ALTER TABLE " + t.qualified() + " DROP CONSTRAINT " + qcheck + ";\n" +
                      alter_type(t, c, c.type, "");
        report_column(cx, t, c, ch, views);
    });
}

void json_not_jsonb(RuleContext &cx) {
    ViewMap views = facts::views_reading(cx.catalog());
    for_each_designed_column(cx.catalog(), [&](const Table &t, const Column &c) {
        if (c.type_oid != kJson) return;
        std::string col = catalog::quote_ident(c.name);
        TypeChange ch{Severity::Low, "", "", "", "", "", true};
        ch.title = "Column " + c.name + " of " + t.qualified() + " is json, not jsonb";
        ch.recommendation =
            "Use jsonb, unless the exact input text (key order, duplicate keys, "
            "whitespace) must be kept.";
        ch.why =
            "json is stored as text and parsed on every access; it has no equality operator "
            "(DISTINCT, GROUP BY, UNION fail) and cannot be indexed with GIN.";
        ch.fix_sql = alter_type(t, c, "jsonb", col + "::jsonb");
        ch.undo_sql = alter_type(t, c, "json", col + "::json");
        report_column(cx, t, c, ch, views);
    });
}

void reg_or_blob_types(RuleContext &cx) {
    // reg* types pg_upgrade refuses in user tables (they store OIDs it does not preserve).
    static const std::unordered_map<uint32_t, const char *> blocking = {
        {24, "regproc"},         {2202, "regprocedure"}, {2203, "regoper"},
        {2204, "regoperator"},   {4191, "regcollation"}, {3734, "regconfig"},
        {3769, "regdictionary"}, {4089, "regnamespace"}};
    ViewMap views = facts::views_reading(cx.catalog());
    for_each_designed_column(cx.catalog(), [&](const Table &t, const Column &c) {
        auto reg = blocking.find(c.type_oid);
        bool blob = c.type_oid == kOid || c.type == "lo";
        if (reg == blocking.end() && !blob) return;
        std::string col = catalog::quote_ident(c.name);
        TypeChange ch{blob ? Severity::Low : Severity::Medium, "", "", "", "", "", true};
        if (!blob) {
            ch.title = "Column " + c.name + " of " + t.qualified() + " is " + reg->second +
                       ": pg_upgrade refuses it";
            ch.recommendation =
                "Store the object's name as text (or regclass, regtype, regrole, "
                "which pg_upgrade accepts).";
            ch.why = std::string(reg->second) +
                     " stores an OID that pg_upgrade does not "
                     "preserve, so pg_upgrade stops with an error while this column exists.";
            ch.fix_sql = alter_type(t, c, "text", col + "::text");
            ch.undo_sql = alter_type(t, c, reg->second, col + "::" + reg->second);
        } else {
            ch.title = "Column " + c.name + " of " + t.qualified() + " holds " + c.type +
                       " values (large objects?)";
            ch.recommendation =
                "Store the content in a bytea column (or in object storage with "
                "its key here) instead of large objects.";
            ch.why =
                "Large objects live outside the table: deleting the row leaves them behind "
                "(vacuumlo / the lo trigger), they have their own permissions, and dumps "
                "and logical replication handle them separately.";
            ch.rewrites = false;
        }
        report_column(cx, t, c, ch, views);
    });
}

// ---- serial_not_identity

void serial_not_identity(RuleContext &cx) {
    const catalog::CatalogSnapshot &cat = cx.catalog();
    std::unordered_map<uint64_t, const catalog::Sequence *> owned;  // table << 16 | attnum
    for (const catalog::Sequence &s : cat.sequences)
        if (s.owned_by_table)
            owned[uint64_t{s.owned_by_table} << 16 | static_cast<uint16_t>(s.owned_by_column)] = &s;
    for_each_designed_column(cat, [&](const Table &t, const Column &c) {
        auto it = owned.find(uint64_t{t.oid} << 16 | static_cast<uint16_t>(c.attnum));
        if (it == owned.end() || c.identity != '\0' || !c.has_default) return;
        if (!c.default_expr.empty() && c.default_expr.find("nextval(") == std::string::npos) return;
        const catalog::Sequence &s = *it->second;
        std::string tab = t.qualified(), col = catalog::quote_ident(c.name), seq = s.qualified();
        Finding f = cx.make("column", facts::column_object(t, c), "");
        f.title = "Column " + c.name + " of " + tab +
                  " is a serial (sequence default), not an "
                  "identity column";
        f.evidence.add("table", tab).add("column", c.name).add("type", c.type).add("sequence", seq);
        f.recommendation =
            "Convert it to GENERATED BY DEFAULT AS IDENTITY: the sequence then "
            "belongs to the column (permissions, dumps, copies of the table).";
        f.why =
            "A serial is a plain sequence plus a default: roles need separate USAGE on the "
            "sequence, CREATE TABLE ... LIKE copies share it, and nothing stops inserts from "
            "bypassing it. Identity columns are the SQL-standard form.";
        f.fix_sql =
            "BEGIN;\nALTER TABLE " + tab + " ALTER COLUMN " + col + " DROP DEFAULT;\n" +
            "DROP SEQUENCE " + seq + ";\nALTER TABLE " + tab + " ALTER COLUMN " + col +
            " ADD GENERATED BY DEFAULT AS IDENTITY;\nSELECT setval(pg_get_serial_sequence(" +
            catalog::quote_literal(tab) + ", " + catalog::quote_literal(c.name) +
            "), coalesce(max(" + col + "), 0) + 1, false) FROM " + tab + ";\nCOMMIT;";
        f.undo_sql = "BEGIN;\nALTER TABLE " + tab + " ALTER COLUMN " + col + " DROP IDENTITY;\n" +
                     "CREATE SEQUENCE " + seq + " AS " + s.type + " OWNED BY " + tab + "." + col +
                     ";\nSELECT setval(" + catalog::quote_literal(seq) + ", coalesce(max(" + col +
                     "), 0) + 1, false) FROM " + tab + ";\nALTER TABLE " + tab + " ALTER COLUMN " +
                     col + " SET DEFAULT nextval(" + catalog::quote_literal(seq) +
                     "::regclass);\nCOMMIT;";
        f.current_state = c.name + " " + c.type + " DEFAULT " +
                          (c.default_expr.empty() ? "nextval(...)" : c.default_expr);
        f.steps = {"Run the statements in one transaction: it holds an ACCESS EXCLUSIVE lock on " +
                       tab + " for a moment (no rewrite).",
                   "Re-grant nothing: identity sequences follow the table's privileges; revoke "
                   "grants that named the old sequence if your migrations track them."};
        f.verify =
            "SELECT attidentity FROM pg_attribute WHERE attrelid = " + catalog::quote_literal(tab) +
            "::regclass AND attname = " + catalog::quote_literal(c.name) + "; returns 'd'.";
        cx.add(std::move(f));
    });
}

}  // namespace pg_advisor::review::rules
