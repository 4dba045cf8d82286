// Small text helpers the review rules share: numbers, durations and sizes as people read them,
// and the quoting shortcuts rules use to write fix SQL.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pg_advisor::review::text {

// 1234567 -> "1,234,567"; fractions keep up to `decimals` digits ("0.25").
std::string count(double value, int decimals = 0);
// 0.3312 -> "33.1%" (from a ratio).
std::string percent(double ratio);
// 93 s -> "1 min 33 s", 7200 -> "2 h", 0.4 -> "0.4 s".
std::string duration(double seconds);
// 1536 -> "1.5 kB", in powers of 1024 (as pg_size_pretty does).
std::string bytes(double value);
// Milliseconds as "12.5 ms" or "3.2 s".
std::string millis(double ms);
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
