// Normalised query text (constants replaced by $n, as pg_stat_statements shows it). The
// fingerprint of a statement's constant values is statement_fingerprint.h's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/sql/sql_lexer.h"

namespace pg_advisor {

// One statement's bytes inside a (possibly multi-statement) source string.
struct StatementSpan {
    size_t begin = 0;
    size_t end = 0;
    size_t size() const { return end - begin; }
};

// The statement at (location, length) as PostgreSQL reports it: location < 0 means the whole
// string, length <= 0 means "to the end of the string". Leading/trailing whitespace and a
// trailing semicolon are excluded.
StatementSpan statement_span(std::string_view source, int location, int length);

// Upper bound of the output size of normalize_constants for a span with n constants.
inline size_t normalized_capacity(const StatementSpan &span, size_t nconstants) {
    return span.size() + nconstants * 12 + 1;
}

// Writes the statement with every constant replaced by $k (k counting up from first_param),
// like pg_stat_statements. `locations` are byte offsets into `source` as recorded by the query
// jumble; they are sorted in place and duplicates or out-of-span entries are ignored.
// Returns the number of bytes written (out is NUL-terminated; out_cap must be >= 1).
size_t normalize_constants(std::string_view source, StatementSpan span, int *locations,
                           size_t nlocations, int first_param, char *out, size_t out_cap,
                           const sql::LexOptions &opts = {});

// Replaces every literal (numbers and strings; not keywords like TRUE or NULL) of the span by
// $k, counting from first_param. Used when the server's constant locations are not available
// (a pattern first seen at execution time, or a statement read from a log): no value is kept.
size_t normalize_literals(std::string_view source, StatementSpan span, int first_param, char *out,
                          size_t out_cap, const sql::LexOptions &opts = {});

// Normalised text that can be parsed again: a typed literal normalised to "<type> $n"
// (date '2024-01-01' -> date $3) becomes "$n::<type>". Other text is unchanged.
std::string plannable_text(std::string_view normalized);

}  // namespace pg_advisor
