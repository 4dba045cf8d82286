// Text formats shared by the review rules (review/rules/rule_text.h), the report and JSON:
// UTF-8 sequences, and numbers, percentages, durations and sizes as people read them. One
// implementation, so a finding's title and the report around it spell a quantity the same way.
// Deterministic: no locale.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pg_advisor::common {

// Length of the valid UTF-8 sequence that starts at s[i], 0 when it is not valid (truncated,
// overlong, a surrogate or above U+10FFFF).
size_t utf8_sequence(std::string_view s, size_t i);

// 1234567 -> "1,234,567".
std::string thousands(int64_t n);
// A number with at most `decimals` decimals, trailing zeros dropped, thousands separated:
// number(1234567) -> "1,234,567", number(1234.56, 1) -> "1,234.6", number(2.0, 1) -> "2",
// number(-0.04, 1) -> "0". NaN and infinities: "unknown".
std::string number(double value, int decimals = 0);
// From a ratio, one decimal: 0.3312 -> "33.1%", 0.5 -> "50.0%"; under 0.1 % three significant
// digits: 0.000123 -> "0.0123%". NaN and infinities: "unknown".
std::string percent(double ratio);
// A duration: below a second in milliseconds with three significant digits ("850 ms",
// "12.5 ms", "5.25 ms"), below ten seconds with one decimal ("9.5 s", "2 s"), then whole
// seconds in the two largest units: "33 s", "1 min 33 s", "2 h", "3 h 5 min", "1 d 3 h".
// Trailing zeros dropped. Negative, NaN and infinities: "unknown".
std::string duration(double seconds);
// The same from milliseconds: duration_ms(12.5) -> "12.5 ms", duration_ms(93000) -> "1 min 33 s".
std::string duration_ms(double ms);
// Bytes in pg_size_pretty's 1024-based units: "512 bytes", "1,023 bytes", "1.5 kB", "2 GB",
// "12 MB" (one decimal below 10 of a unit, trailing zero dropped; whole numbers from 10).
// Negative, NaN and infinities: "unknown".
std::string bytes(double value);

}  // namespace pg_advisor::common
