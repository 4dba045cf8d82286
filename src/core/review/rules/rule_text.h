// Small text helpers the review rules share: numbers, durations and sizes as people read them,
// and the quoting shortcuts rules use to write fix SQL.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/text_format.h"

namespace pg_advisor::review::text {

// Numbers, durations and sizes: thin names over core/common/text_format.h, which the report
// uses too (so a finding's title and the report spell a quantity the same way).
// 1234567 -> "1,234,567"; fractions keep up to `decimals` digits ("0.25").
inline std::string count(double value, int decimals = 0) {
    return common::number(value, decimals);
}
// 0.3312 -> "33.1%" (from a ratio).
inline std::string percent(double ratio) {
    return common::percent(ratio);
}
// 93 -> "1 min 33 s", 7200 -> "2 h", 2.5 -> "2.5 s", 0.4 -> "400 ms".
inline std::string duration(double seconds) {
    return common::duration(seconds);
}
// 1536 -> "1.5 kB", 2 GiB -> "2 GB", in powers of 1024 (as pg_size_pretty does).
inline std::string bytes(double value) {
    return common::bytes(value);
}
// Milliseconds, as duration(): "12.5 ms", "850 ms", "3.2 s".
inline std::string millis(double ms) {
    return common::duration_ms(ms);
}
// "a, b, c".
std::string comma(const std::vector<std::string> &items);
// "a, b and c".
std::string join_words(const std::vector<std::string> &items, std::string_view last = "and");
// The text cut at max bytes (at a UTF-8 boundary) with "..." when it was longer; whitespace runs
// collapsed to one space.
std::string shorten(std::string_view text, size_t max);
// Whitespace runs collapsed to one space, trimmed.
std::string squash_space(std::string_view text);

}  // namespace pg_advisor::review::text
