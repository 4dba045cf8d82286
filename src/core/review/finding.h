// A review finding: one defect on one object, with the evidence that justifies it and the fix.
// Rules (review/rules/*.cpp) produce them; the engine (review/engine.h) gives each its stable
// key, applies suppressions and ranks them; the report (report/) renders them.
//
// "Finding" always means a review finding; the N+1 detector's records are loop findings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pg_advisor::review {

enum class Severity : uint8_t { Critical = 0, High = 1, Medium = 2, Low = 3, Info = 4 };
enum class Category : uint8_t { Indexing, Schema, Query, Migration, Operations, Security };

std::string_view severity_name(Severity s);  // "critical", "high", ...
std::string_view category_name(Category c);  // "indexing", "schema", ...
// Parses the names above; false when unknown.
bool parse_severity(std::string_view name, Severity *out);
bool parse_category(std::string_view name, Category *out);
// One step more or less severe (bounded).
Severity raise(Severity s, int steps = 1);
Severity lower(Severity s, int steps = 1);

// Evidence as a flat list of named values, rendered as a JSON object (numbers stay numbers).
class Evidence {
  public:
    Evidence &add(std::string name, double value);
    Evidence &add(std::string name, int64_t value);
    Evidence &add(std::string name, int value) { return add(std::move(name), int64_t{value}); }
    Evidence &add(std::string name, std::string value);
    Evidence &add(std::string name, const char *value) {
        return add(std::move(name), std::string(value));
    }
    Evidence &add(std::string name, bool value);
    Evidence &add(std::string name, const std::vector<std::string> &values);
    // A value that is already JSON (an object or array built elsewhere).
    Evidence &add_json(std::string name, std::string json);
    std::string json() const;  // {"name": value, ...} in insertion order
    bool empty() const { return items_.empty(); }
    // The text of a value as it appears in the JSON (for tests and reports), "" when absent.
    std::string get(std::string_view name) const;

  private:
    std::vector<std::pair<std::string, std::string>> items_;  // name -> JSON text
};

struct Finding {
    // Filled by the rule.
    std::string rule;  // registry id, e.g. "fk_missing_index" (the engine fills it when empty)
    Category category = Category::Schema;  // the engine copies the registry's
    Severity severity = Severity::Info;
    std::string object_type;  // "table", "index", "column", "constraint", "function", "sequence",
                              // "schema", "role", "statement", "database", "policy", "view"
    std::string object;       // qualified and quoted: "public"."orders", "public"."orders"."status"
    // What makes this defect this defect on this object, by names (never OIDs), so the key
    // survives restarts, dump/restore and renames of other objects: e.g. the constraint name
    // for fk_missing_index. The engine hashes rule + object + identity into finding_key.
    std::string identity;
    std::string title;  // one line: "Foreign key orders_customer_id_fkey has no index"
    Evidence evidence;
    std::string recommendation;      // what to do, in plain words
    std::string fix_sql;             // identifiers quoted, CONCURRENTLY where it applies; may be ""
    std::string undo_sql;            // how to revert the fix; may be ""
    double impact = 0;               // to rank by within a severity (bytes, ms, cost units)
    std::string impact_unit;         // "bytes", "ms", "cost", "rows", "calls", ""
    std::vector<uint64_t> queryids;  // captured statements involved
    // What the fix does, normalised ("index public.orders (customer_id)"), when several rules
    // can propose the same fix for one defect: findings with the same fix_key are one finding
    // (the engine keeps the most severe and lists the others in its evidence). "" = never merged.
    std::string fix_key;

    // For the report (optional; the renderer falls back to generic text).
    std::string current_state;       // the problematic definition or statement
    std::string why;                 // why the fix helps, with the expected effect
    std::vector<std::string> steps;  // implementation steps, in a safe order
    std::string verify;              // how to verify the fix
    std::string query;               // normalised statement text, when a statement is involved
    std::vector<std::pair<std::string, std::string>> tags;  // application tags that locate it
    std::string orm_fix;                                    // the ORM's spelling of the fix (loops)

    // Filled by the engine.
    std::string finding_key;  // "<rule>:<16 hex digits>"
    int64_t first_seen = 0;   // microseconds since the epoch
    int64_t last_seen = 0;
};

// The fix_key of creating a btree index: table, key columns (as SQL, in order) and predicate.
std::string index_fix_key(const std::string &table, const std::vector<std::string> &keys,
                          const std::string &predicate);

// The fix_key of dropping an existing index, by its qualified name ("drop index public.a_idx").
std::string drop_index_fix_key(const std::string &index);
// The fix_key of widening an integer column to bigint (KeyWidening), by the column's object.
std::string widen_column_fix_key(const std::string &column);

// "<rule>:<16 hex digits of a hash of rule, object and identity>".
std::string finding_key(std::string_view rule, std::string_view object, std::string_view identity);

// Ranking: severity first, then impact (descending), then rule and object for a stable order.
bool ranks_before(const Finding &a, const Finding &b);

}  // namespace pg_advisor::review
