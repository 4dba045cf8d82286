// One message of a server log (stderr, csvlog or jsonlog), as the readers hand it to the
// analyser. Views point into the reader's buffers: valid until the reader's next call.
#pragma once

#include <cstdint>
#include <string_view>

namespace pg_advisor::cli::log {

struct LogRecord {
    int64_t ts_us = 0;  // microseconds since 1970-01-01 in the log's own time zone; 0: unknown
    int64_t pid = 0;
    std::string_view session_id;  // %c / session_id when logged
    std::string_view user;
    std::string_view database;
    std::string_view application;
    std::string_view severity;  // LOG, DETAIL, ERROR, STATEMENT, ...
    std::string_view message;   // the text after "SEVERITY:  " (may span lines)
    std::string_view detail;    // csvlog / jsonlog detail column (stderr: a DETAIL record)
};

// "2026-12-07 02:10:11.123" or "2026-12-07 02:10:11" (a time zone name may follow) at the
// start of text: microseconds since the epoch and the bytes used; false if not a timestamp.
bool parse_timestamp(std::string_view text, int64_t &us, size_t &used);

}  // namespace pg_advisor::cli::log
