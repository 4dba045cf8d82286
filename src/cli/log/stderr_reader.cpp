// The stderr log format: "<prefix>SEVERITY:  message", continuation lines starting with a tab.
#include <algorithm>

#include "cli/log/readers.h"

namespace pg_advisor::cli::log {

namespace {

constexpr size_t kDetectLines = 1000;
constexpr size_t kDetectBytes = 8 << 20;

}  // namespace

StderrReader::StderrReader(LineSource &src, const std::string &prefix) : src_(src) {
    if (!prefix.empty()) {
        prefix_ok_ = matcher_.compile(prefix);
        return;
    }
    detect();
}

// Reads the first lines ahead and keeps the common prefix that matches the most of them.
void StderrReader::detect() {
    std::string_view line;
    size_t bytes = 0;
    while (ahead_.size() < kDetectLines && bytes < kDetectBytes && src_.next(line)) {
        ahead_.emplace_back(line);
        bytes += line.size();
    }
    size_t best = 0, best_score = 0;
    const auto &candidates = common_prefixes();
    for (size_t c = 0; c < candidates.size(); c++) {
        PrefixMatcher m;
        m.compile(candidates[c]);
        size_t score = 0;
        for (const std::string &l : ahead_) {
            LogRecord rec;
            if (!l.empty() && l[0] != '\t' && m.match(l, rec) != std::string::npos) score++;
        }
        if (score > best_score) best = c, best_score = score;
    }
    matcher_.compile(candidates[best]);
    prefix_ok_ = best_score > 0 || ahead_.empty();
}

bool StderrReader::next_line(std::string_view &line) {
    if (ahead_pos_ < ahead_.size()) {
        line = ahead_[ahead_pos_++];
        return true;
    }
    if (!ahead_.empty()) {
        ahead_.clear();
        ahead_.shrink_to_fit();
    }
    return src_.next(line);
}

// Starts a record from a line that carries the prefix; false if it does not.
bool StderrReader::start(std::string_view line, Buffers &b) {
    LogRecord rec;
    size_t n = matcher_.match(line, rec);
    if (n == std::string::npos) return false;
    std::string_view sev, msg;
    split_severity(line.substr(n), sev, msg);
    b.session.assign(rec.session_id);
    b.user.assign(rec.user);
    b.db.assign(rec.database);
    b.app.assign(rec.application);
    b.severity.assign(sev);
    b.message.assign(msg);
    b.rec = rec;
    b.rec.session_id = b.session;
    b.rec.user = b.user;
    b.rec.database = b.db;
    b.rec.application = b.app;
    b.rec.severity = b.severity;
    b.rec.detail = {};
    return true;
}

bool StderrReader::next(LogRecord &rec) {
    if (have_next_) {
        cur_ ^= 1;
        have_next_ = false;
        have_current_ = true;
    }
    std::string_view line;
    while (next_line(line)) {
        Buffers &b = bufs_[cur_];
        if (!line.empty() && line[0] == '\t' && have_current_) {
            if (b.message.size() < kMaxRecord) {
                b.message.push_back('\n');
                b.message.append(line.substr(1, kMaxRecord - b.message.size()));
            }
            continue;
        }
        if (!have_current_) {
            have_current_ = start(line, b);
            if (!have_current_) skipped_++;
            continue;
        }
        if (!start(line, bufs_[cur_ ^ 1])) {
            skipped_++;
            continue;
        }
        have_next_ = true;
        break;
    }
    if (!have_current_) return false;
    rec = bufs_[cur_].rec;
    rec.message = bufs_[cur_].message;
    have_current_ = false;
    return true;
}

}  // namespace pg_advisor::cli::log
