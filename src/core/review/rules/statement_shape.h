// What the query rules need to know about a normalised statement text, read with the token
// stream (sql/sql_tokens.h): its main command, the select list, FROM, ORDER BY, and a shape that
// ignores literals, parameter numbers and the length of IN-lists and VALUES lists.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace pg_advisor::review::statement {

struct Shape {
    std::string command;  // "select", "insert", "update", "delete", ... (lower case), "" unknown
    bool select_star = false;  // the main select list has * or x.*
    bool count_only = false;   // the main select list is one count(...) (not DISTINCT)
    bool group_by = false;
    bool order_by = false;
    bool limit = false;                      // LIMIT or FETCH at the top level
    bool set_operation = false;              // UNION, INTERSECT, EXCEPT at the top level
    std::string from_schema, from_relation;  // first relation after the main FROM (unquoted)
    size_t from_pos = std::string::npos;     // byte offset of the main FROM
    std::vector<std::string> order_items;    // ORDER BY items as written
};

Shape analyze(std::string_view text);

// The statement's shape: words lower-cased, every literal and $n as "$?", an IN-list or ARRAY[]
// of only such values as "($...)", a VALUES list of several rows as its first row plus ", ...",
// tokens separated by one space. Two texts that differ only in constants and list lengths have
// the same shape.
std::string collapsed_shape(std::string_view text);

// "SELECT EXISTS (SELECT 1 FROM ...)" for a count-only select (from its FROM on); "" otherwise.
std::string exists_rewrite(std::string_view text, const Shape &shape);

// A function call in an expression that runs once per row: not inside a scalar sub-select.
struct RowCall {
    std::string name;           // as written, schema-qualified when it was: "auth.uid"
    size_t begin = 0, end = 0;  // byte range of the call, name to closing parenthesis
};
// Calls of the functions named in `names` (unqualified, lower case) outside any "(SELECT ...)"
// group, in text order.
std::vector<RowCall> per_row_calls(std::string_view expr,
                                   const std::unordered_set<std::string> &names);
// The expression with each call wrapped as "(SELECT call)", evaluated once per statement.
std::string wrap_calls(std::string_view expr, const std::vector<RowCall> &calls);

}  // namespace pg_advisor::review::statement
