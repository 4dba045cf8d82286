// A small JSON reader (RFC 8259): parses a text into a tree that keeps object members in their
// order. The report uses it to list a finding's evidence and to re-emit it as valid JSON; the
// unit tests use it to read the JSON report and its schema.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pg_advisor::report {

struct JsonValue {
    enum class Type { Null, Bool, Number, String, Array, Object };

    Type type = Type::Null;
    bool boolean = false;
    std::string text;              // Number: the literal as written; String: the decoded UTF-8 text
    std::vector<JsonValue> items;  // Array
    std::vector<std::pair<std::string, JsonValue>> members;  // Object, in document order

    bool is(Type t) const { return type == t; }
    // The first member with this name, or nullptr (also when this is not an object).
    const JsonValue *find(std::string_view name) const;
    // The number's value (0 when this is not a number).
    double number() const;
};

// Parses exactly one JSON value (surrounding white space allowed). Returns false and sets
// *error (when given) to a message with the byte offset on malformed input, on nesting deeper
// than max_depth levels (64 by default; libpg_query's parse trees of deep expressions need more),
// and on strings that are not valid UTF-8.
bool parse_json(std::string_view text, JsonValue *out, std::string *error = nullptr,
                int max_depth = 64);

// Compact JSON text of a value (numbers as written, strings escaped).
std::string to_json(const JsonValue &value);

}  // namespace pg_advisor::report
