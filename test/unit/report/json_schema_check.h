// A JSON Schema (draft 2020-12) checker for the subset docs/report.schema.json uses: type,
// required, properties, additionalProperties, items, enum, minimum, $ref to "#/$defs/...".
// Annotations ($schema, $id, title, description, format, $comment, examples) are ignored;
// any other keyword is reported as unsupported so the checker never skips a rule silently.
#pragma once

#include <string>
#include <vector>

#include "core/report/json_reader.h"

namespace pg_advisor::report::testing {

// Problems of `instance` against `schema` (empty when it conforms), e.g.
// "$.findings[0]: required member \"rule\" is missing".
std::vector<std::string> check_schema(const JsonValue &instance, const JsonValue &schema);

// Keywords of the schema outside the supported subset.
std::vector<std::string> unsupported_keywords(const JsonValue &schema);

}  // namespace pg_advisor::report::testing
