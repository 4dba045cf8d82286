// log_line_prefix compiled into a matcher: every escape PostgreSQL writes (%m %t %n %p %c %l
// %u %d %a %h %r %v %x %e %q %% and the rarer %b %i %s %Q) is matched without regular
// expressions, the fields the analyser needs (time, process, session, user, database,
// application) are captured.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cli/log/log_record.h"

namespace pg_advisor::cli::log {

class PrefixMatcher {
  public:
    // Compiles a log_line_prefix value; false (with why) on a malformed one.
    bool compile(std::string_view prefix, std::string *why = nullptr);
    const std::string &source() const { return source_; }
    bool logs_session_id() const;
    // Matches the prefix at the start of line; fills the record's prefix fields and returns the
    // bytes consumed, or npos. Lines of processes without a session stop at %q: both forms are
    // tried (the full one first).
    size_t match(std::string_view line, LogRecord &rec) const;

  private:
    struct Item {
        char escape = 0;  // 0: a literal
        std::string literal;
    };
    size_t match_items(std::string_view line, size_t nitems, LogRecord &rec) const;
    size_t match_field(char escape, std::string_view line, size_t pos, std::string_view next,
                       LogRecord &rec) const;
    std::vector<Item> items_;
    size_t q_index_ = std::string::npos;  // item index of %q
    std::string source_;
};

// After the prefix: "SEVERITY:  message". Returns false if the text does not start so.
bool split_severity(std::string_view text, std::string_view &severity, std::string_view &message);

// The prefixes tried when none is given, most specific first: Debian's default, pgBadger's
// recommended one, and the plain default.
const std::vector<std::string> &common_prefixes();

}  // namespace pg_advisor::cli::log
