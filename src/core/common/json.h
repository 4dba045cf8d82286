// Minimal JSON text helpers shared by the review evidence and the report renderer: strings are
// escaped per RFC 8259 (control characters as \u00XX, invalid UTF-8 replaced by U+FFFD so the
// output always parses), numbers written so that they read back the same.
#pragma once

#include <string>
#include <string_view>

namespace pg_advisor::json {

// "text" with quotes, escaped.
std::string quote(std::string_view text);
// Appends the quoted, escaped text.
void append_quoted(std::string &out, std::string_view text);
// A finite number in the shortest form that reads back the same ("12", "0.5", "1e+20");
// NaN and infinities become null.
std::string number(double value);

}  // namespace pg_advisor::json
