// Text helpers of the report: UTF-8 cleaning, escaping for Markdown and HTML, and the date
// formats every renderer shares. Numbers, sizes and durations are core/common/text_format.h's
// (the review rules' titles use the same). Everything is deterministic: no locale, times in UTC.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pg_advisor::report {

// The text with invalid UTF-8 and control characters other than tab and newline (carriage
// returns included) replaced by U+FFFD.
std::string clean_text(std::string_view s);

// HTML text or attribute value: & < > " ' escaped, cleaned as clean_text.
std::string html_escape(std::string_view s);

// Markdown inline text: one line (newlines become spaces), with the characters that could start
// markup or raw HTML backslash-escaped (\ ` * [ ] < > | and _ at a word boundary, # at the start).
std::string md_text(std::string_view s);
// A Markdown code span that shows the text literally, whatever backticks it contains.
std::string md_code(std::string_view s);
// A fenced code block (fence longer than any backtick run in the text), ending with a newline.
std::string md_block(std::string_view s, std::string_view language = "");

// "1 finding", "3 findings".
std::string count_of(size_t n, std::string_view singular, std::string_view plural);
// A statement's query id as pg_stat_statements shows it (a signed bigint).
std::string queryid_text(uint64_t queryid);

// Microseconds since the epoch, in UTC: "2025-01-15T10:00:00Z".
std::string utc_timestamp(int64_t us);
// "2025-01-15 10:00 UTC".
std::string utc_minute(int64_t us);
// "7 days", "5 hours", "20 minutes" (the largest unit that fits, rounded down).
std::string span_text(int64_t us);
// True for "YYYY-MM-DD" with a plausible month and day.
bool valid_date(std::string_view date);

}  // namespace pg_advisor::report
