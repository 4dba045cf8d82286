// How many of a statement's first literals are followed one by one: the fingerprint hashes
// each (statement_fingerprint.h) and the pattern store remembers which kept their value
// between executions (PatternEntry::literal_varied, query_pattern.h).
#pragma once

#include <cstddef>

namespace pg_advisor {

constexpr size_t kTrackedLiterals = 8;

}  // namespace pg_advisor
