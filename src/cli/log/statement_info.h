// What the analyser needs to know about a statement read from a log, from its text alone (the
// extension reads the same facts from the plan): command, transaction boundary, main
// relation, the plan facts the loop detector uses (locking, LIMIT/OFFSET, multi-row INSERT,
// IN lists, keyset pagination) and the facts behind the fix (the varying key column).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/workload/scan_shape.h"
#include "core/workload/session_tracker.h"

namespace pg_advisor::cli::log {

struct StatementInfo {
    CommandKind command = CommandKind::Unknown;
    Boundary boundary = Boundary::None;
    std::string relation;  // main relation as regclass prints it ("books", "app.orders")
    uint16_t flags = 0;    // EventFlags read from the text (locking, LIMIT, OFFSET, multi-row)
    uint32_t in_list = 0;  // largest IN (...) list of values
    bool keyset = false;   // range on the leading ORDER BY column
    bool aggregate = false;
    bool single_row = false;  // an aggregate without GROUP BY: one row
    std::string key_column;   // first "<column> = value" of the WHERE clause, unquoted
    int any_param = 0;        // n of "= ANY($n)" (its array's length makes a batched load)
    int limit_param = 0;      // n of "LIMIT $n"
    int max_param = 0;        // largest $n
};

StatementInfo classify_statement(std::string_view sql);

// Splits a simple-protocol query string at its top-level semicolons (quotes, comments and
// dollar quotes respected); empty pieces are dropped.
void split_statements(std::string_view text, std::vector<std::string_view> &out);

// The value of $n in a "parameters: $1 = '5', $2 = NULL" detail, unquoted; false if absent.
bool parameter_value(std::string_view params, int n, std::string &value);

// Identifiers of text ending in "_id" (a parent's foreign-key columns), unquoted.
void id_columns(std::string_view text, std::vector<std::string> &out);

// A name as regclass / quote_ident prints it: bare when it is a lower-case identifier.
std::string display_name(std::string_view unquoted);

}  // namespace pg_advisor::cli::log
