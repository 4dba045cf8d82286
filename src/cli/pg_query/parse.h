// The command line's front end to the schema-change model: libpg_query (PostgreSQL 15's
// grammar) parses each statement of a script on its own, and its JSON parse tree is translated
// into ddl::Statement / ddl::Change by the conventions of core/ddl/schema_change.h, the same
// ones the server front end (src/pg/ddl) follows with the server's own raw parse trees. Only
// this folder includes pg_query.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/ddl/schema_change.h"
#include "core/report/json_reader.h"

namespace pg_advisor::cli {

// The statements of a script (ddl::script_statements), each parsed on its own: `changes` filled,
// or `parse_error` and `error_offset` (a byte offset in `script`) when it does not parse. A
// parse error never stops the statements after it.
std::vector<ddl::Statement> parse_script(std::string_view script);

// Parses one statement's text with libpg_query and fills its changes or its parse error
// (error_offset relative to st.offset, i.e. a byte offset in the script).
void parse_statement(ddl::Statement &st);

// Translates libpg_query's JSON for one raw statement (the value of "stmt": {"CreateStmt": ...})
// whose text is `text` into changes. Statements the model does not cover give one Other change.
std::vector<ddl::Change> translate(const report::JsonValue &stmt, std::string_view text);

}  // namespace pg_advisor::cli
