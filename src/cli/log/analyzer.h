// The log analyser: log records in, loop findings out. Statements are grouped by session (the
// %c session id where logged, else the process id), stamped by the core SessionTracker
// (transactions, idle-gap bursts) and fed to the core LoopDetector, the same code the
// extension runs per backend. A statement tagged with a trace-id goes to a detector shared by
// all sessions: a trace that fans out over several pooled connections is one unit of work.
// Memory is bounded: sessions idle for long, or beyond kMaxSessions, are dropped; the pattern
// cache is cleared when it reaches kMaxPatterns.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli/log/log_record.h"
#include "cli/log/statement_info.h"
#include "core/loops/loop_finding.h"
#include "core/loops/n_plus_one_detector.h"
#include "core/sql/query_tags.h"
#include "core/workload/session_tracker.h"

namespace pg_advisor::cli::log {

struct AnalyzerOptions {
    uint32_t min_repeats = 5;                          // pg_advisor.n_plus_one_min_repeats
    int64_t idle_gap_us = 500000;                      // pg_advisor.idle_gap_ms
    int64_t session_timeout_us = 30LL * 60 * 1000000;  // a session silent this long is dropped
};

// One pattern: the statement text normalised like the extension's (literals as $n, tag
// comments removed) and its facts.
struct Pattern {
    uint64_t queryid = 0;
    std::string text;
    StatementInfo info;
    uint32_t relid = 0;
};

// A finding with the texts and names the view shows.
struct Finding {
    FindingEntry entry{};
    std::string parent_text, child_text, tags, framework;
    std::string child_relation, parent_relation;
    std::string child_key_column;
    bool child_aggregate = false;
    std::vector<std::string> parent_id_columns;
    std::string user, database;
};

class Analyzer {
  public:
    static constexpr size_t kMaxSessions = 1024;  // ~110 kB each (tracker + detector)
    static constexpr size_t kMaxPatterns = 50000;
    static constexpr size_t kTraceDetectors = 64;

    explicit Analyzer(const AnalyzerOptions &opts = {});
    ~Analyzer();
    void add(const LogRecord &rec);
    // Ends the input: pending statements are processed.
    void finish();

    uint64_t statements() const { return statements_; }
    uint64_t sessions() const { return sessions_seen_; }
    const AnalyzerOptions &options() const { return opts_; }
    // Findings in a stable order (kind, child relation, child text, parent text).
    std::vector<const Finding *> findings() const;

  private:
    struct Session;
    struct Pending;
    static uint64_t session_key(const LogRecord &rec);
    Session &session_for(const LogRecord &rec);
    void drop_idle_sessions(int64_t now_us);
    void flush(Session &s);
    void run_query_string(Session &s, const Pending &p);
    void run_statement(Session &s, const Pending &p, std::string_view text, bool implicit);
    const Pattern *pattern_for(std::string_view text, uint64_t shape);
    void apply(Session &s, const LoopVerdict *v, size_t n, int64_t now_us);
    std::string describe_scope(const Session &s, const LoopVerdict &v) const;
    static ShapeFacts shape_facts(void *self, uint64_t queryid);

    AnalyzerOptions opts_;
    std::unordered_map<uint64_t, std::unique_ptr<Session>> sessions_;
    std::unordered_map<uint64_t, uint64_t> shape_to_query_;
    std::unordered_map<uint64_t, Pattern> patterns_;
    std::unordered_map<uint64_t, Finding> findings_;
    std::vector<std::unique_ptr<LoopDetector>> trace_detectors_;
    std::vector<std::string_view> pieces_;
    Session *pending_ = nullptr;  // the session whose statement is held
    uint64_t statements_ = 0;
    uint64_t sessions_seen_ = 0;
    int64_t last_sweep_us_ = 0;
    // Scope of the statement being run (tags), read when its verdicts are applied.
    QueryTags tags_;
    char serialized_tags_[1024];
    size_t serialized_len_ = 0;
    std::string framework_;
};

}  // namespace pg_advisor::cli::log
