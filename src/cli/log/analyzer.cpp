#include "cli/log/analyzer.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/common/hash.h"
#include "core/sql/query_normalizer.h"
#include "core/sql/statement_fingerprint.h"

namespace pg_advisor::cli::log {

namespace {

bool starts_with(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

// "duration: 0.123 ms" at the start of msg: the milliseconds and what follows.
bool parse_duration(std::string_view msg, double &ms, std::string_view &rest) {
    if (!starts_with(msg, "duration: ")) return false;
    size_t i = 10, digits = 0;
    double whole = 0, frac = 0, scale = 1;
    for (; i < msg.size() && msg[i] >= '0' && msg[i] <= '9'; i++, digits++)
        whole = whole * 10 + (msg[i] - '0');
    if (i < msg.size() && msg[i] == '.')
        for (i++; i < msg.size() && msg[i] >= '0' && msg[i] <= '9'; i++, digits++)
            frac += (msg[i] - '0') * (scale /= 10);
    ms = whole + frac;
    size_t used = i;
    // A duration no server writes (beyond a year, found by the fuzzer) is not a duration.
    constexpr double kMaxMs = 365.0 * 86400 * 1000;
    if (digits == 0 || ms > kMaxMs || !starts_with(msg.substr(used), " ms")) return false;
    rest = msg.substr(used + 3);
    while (!rest.empty() && rest.front() == ' ')
        rest.remove_prefix(1);
    return true;
}

// Number of elements of an array literal "{1,2,3}" (0 when it is not one).
uint32_t array_items(std::string_view v) {
    if (v.size() < 2 || v.front() != '{' || v.back() != '}') return 0;
    if (v.size() == 2) return 0;
    uint32_t n = 1;
    bool quoted = false;
    for (size_t i = 1; i + 1 < v.size(); i++) {
        if (v[i] == '"' && v[i - 1] != '\\') quoted = !quoted;
        if (v[i] == ',' && !quoted) n++;
    }
    return n;
}

// The literal after the last "LIMIT" of text, or -1.
long literal_limit(std::string_view text) {
    for (size_t i = text.size(); i >= 5; i--) {
        size_t at = i - 5;
        if ((text[at] | 0x20) != 'l') continue;
        bool match = true;
        for (size_t k = 1; k < 5 && match; k++)
            match = (text[at + k] | 0x20) == "limit"[k];
        if (!match) continue;
        size_t j = at + 5;
        while (j < text.size() && (text[j] == ' ' || text[j] == '\n' || text[j] == '\t'))
            j++;
        if (j >= text.size() || text[j] < '0' || text[j] > '9') return -1;
        return std::strtol(std::string(text.substr(j, 20)).c_str(), nullptr, 10);
    }
    return -1;
}

uint32_t name_id(std::string_view name) {
    return name.empty() ? 0 : static_cast<uint32_t>(hash_string(name)) | 1;
}

}  // namespace

struct Analyzer::Pending {
    bool active = false;
    bool logged_at_end = false;  // the text came on a duration line: ts is the end
    bool has_duration = false;
    double duration_ms = 0;
    int64_t ts_us = 0;
    std::string text;
    std::string params;
};

struct Analyzer::Session {
    SessionTracker tracker;
    LoopDetector detector;
    Pending pending;
    bool in_block = false;
    int64_t last_us = 0;
    uint64_t key = 0;
    std::string label;  // "session pid 4711"
    std::string user, database;
};

Analyzer::Analyzer(const AnalyzerOptions &opts) : opts_(opts) {}
Analyzer::~Analyzer() = default;

Analyzer::Session &Analyzer::session_for(const LogRecord &rec) {
    uint64_t key = session_key(rec);
    auto it = sessions_.find(key);
    if (it != sessions_.end()) return *it->second;
    if (sessions_.size() >= kMaxSessions) drop_idle_sessions(INT64_MAX);
    auto s = std::make_unique<Session>();
    DetectorConfig c;
    c.min_repeats = opts_.min_repeats;
    s->detector.configure(c);
    s->tracker.set_idle_gap_us(opts_.idle_gap_us);
    s->key = key;
    s->label = "session pid " + std::to_string(rec.pid);
    s->user.assign(rec.user);
    s->database.assign(rec.database);
    sessions_seen_++;
    return *sessions_.emplace(key, std::move(s)).first->second;
}

// Drops sessions silent for session_timeout; now_us == INT64_MAX (too many sessions) drops
// the least recently active half.
void Analyzer::drop_idle_sessions(int64_t now_us) {
    int64_t cutoff = now_us - opts_.session_timeout_us;
    if (now_us == INT64_MAX) {
        std::vector<int64_t> times;
        for (auto &kv : sessions_)
            times.push_back(kv.second->last_us);
        std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
        cutoff = times[times.size() / 2];
    }
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (it->second->last_us <= cutoff) {
            flush(*it->second);
            if (pending_ == it->second.get()) pending_ = nullptr;
            it = sessions_.erase(it);
        } else {
            ++it;
        }
    }
}

uint64_t Analyzer::session_key(const LogRecord &rec) {
    return rec.session_id.empty() ? mix64(static_cast<uint64_t>(rec.pid) + 1)
                                  : hash_string(rec.session_id);
}

// A statement is held until the next record: a DETAIL with its parameters, a duration, or an
// ERROR saying it failed (the extension never sees a failed statement) may follow it. Any other
// record releases it, so statements reach the detectors in log order across sessions.
void Analyzer::add(const LogRecord &rec) {
    if (rec.ts_us > last_sweep_us_ + 60 * 1000000LL) {
        if (last_sweep_us_ != 0) drop_idle_sessions(rec.ts_us);
        last_sweep_us_ = rec.ts_us;
    }
    std::string_view sev = rec.severity;
    std::string_view msg = rec.message;
    Session *held = pending_;
    bool same = held != nullptr && held->key == session_key(rec);
    if (sev == "DETAIL") {
        if (same && starts_with(msg, "parameters: ")) held->pending.params.assign(msg.substr(12));
        return;
    }
    if (same && (sev == "ERROR" || sev == "FATAL")) {
        held->pending.active = false;  // it failed
        pending_ = nullptr;
        return;
    }
    double ms = 0;
    std::string_view rest = msg;
    bool timed = sev == "LOG" && parse_duration(msg, ms, rest);
    if (same && timed && rest.empty() && !held->pending.has_duration) {
        held->pending.has_duration = true;
        held->pending.duration_ms = ms;
    }
    if (held) {
        flush(*held);
        pending_ = nullptr;
    }
    if (sev != "LOG") return;
    std::string_view text;
    if (starts_with(rest, "statement: ")) {
        text = rest.substr(11);
    } else if (starts_with(rest, "execute ")) {
        size_t colon = rest.find(": ");
        if (colon == std::string_view::npos) return;
        text = rest.substr(colon + 2);
    } else {
        if (starts_with(rest, "disconnection: ")) sessions_.erase(session_key(rec));
        return;
    }
    Session &s = session_for(rec);
    s.last_us = rec.ts_us;
    Pending &p = s.pending;
    p.active = true;
    p.logged_at_end = timed;
    p.has_duration = timed;
    p.duration_ms = ms;
    p.ts_us = rec.ts_us;
    p.text.assign(text);
    p.params.clear();
    if (starts_with(rec.detail, "parameters: ")) p.params.assign(rec.detail.substr(12));
    pending_ = &s;
}

void Analyzer::finish() {
    if (pending_) flush(*pending_);
    pending_ = nullptr;
}

void Analyzer::flush(Session &s) {
    if (!s.pending.active) return;
    s.pending.active = false;
    run_query_string(s, s.pending);
}

void Analyzer::run_query_string(Session &s, const Pending &p) {
    std::string_view text = p.text;
    if (std::memchr(text.data(), ';', text.size()) == nullptr) {
        run_statement(s, p, text, true);
    } else {
        split_statements(text, pieces_);
        std::vector<std::string_view> pieces = pieces_;
        for (std::string_view piece : pieces)
            run_statement(s, p, piece, pieces.size() == 1);
    }
    if (!s.in_block) s.tracker.transaction_ended();
}

const Pattern *Analyzer::pattern_for(std::string_view text, uint64_t shape) {
    auto it = shape_to_query_.find(shape);
    if (it != shape_to_query_.end()) {
        auto p = patterns_.find(it->second);
        if (p != patterns_.end()) return &p->second;
    }
    if (patterns_.size() >= kMaxPatterns) {
        patterns_.clear();
        shape_to_query_.clear();
    }
    Pattern pat;
    pat.info = classify_statement(text);
    StatementSpan span = statement_span(text, -1, 0);
    size_t cap = normalized_capacity(span, span.size());
    std::string normalized(cap, '\0'), stripped(cap, '\0');
    size_t n = normalize_literals(text, span, pat.info.max_param + 1, &normalized[0], cap);
    n = strip_tag_comments(std::string_view(normalized.data(), n), &stripped[0], cap);
    pat.text.assign(stripped.data(), n);
    pat.queryid = hash_string(pat.text) | 1;
    pat.relid = name_id(pat.info.relation);
    shape_to_query_[shape] = pat.queryid;
    return &patterns_.emplace(pat.queryid, std::move(pat)).first->second;
}

ShapeFacts Analyzer::shape_facts(void *self, uint64_t queryid) {
    ShapeFacts f{};
    auto *a = static_cast<Analyzer *>(self);
    auto it = a->patterns_.find(queryid);
    if (it != a->patterns_.end()) {
        f.in_list_values = it->second.info.in_list;
        f.keyset = it->second.info.keyset;
    }
    return f;
}

void Analyzer::run_statement(Session &s, const Pending &p, std::string_view text, bool) {
    statements_++;
    StatementSpan span = statement_span(text, -1, 0);
    StatementFingerprint fp = fingerprint_statement(text, span);
    const Pattern &pat = *pattern_for(text, fp.shape);
    const StatementInfo &info = pat.info;
    int64_t dur_us = static_cast<int64_t>(p.duration_ms * 1000.0);
    int64_t start = p.logged_at_end ? p.ts_us - dur_us : p.ts_us;
    LoopVerdict out[LoopDetector::kMaxVerdicts * 2];
    if (info.boundary != Boundary::None) {
        Boundary b = info.boundary;
        s.tracker.record_boundary(b, start, s.in_block || b == Boundary::Begin);
        if (b == Boundary::Begin) s.in_block = true;
        if (b == Boundary::Commit || b == Boundary::Rollback || b == Boundary::Prepare) {
            size_t n = s.detector.transaction_ended(s.tracker.xact_seq(), out, shape_facts, this);
            apply(s, out, n, p.ts_us);
            s.tracker.transaction_ended();
            s.in_block = false;
        }
        return;
    }
    if (info.command == CommandKind::Utility || info.command == CommandKind::Unknown) return;

    serialized_len_ = 0;
    framework_.clear();
    TraceId trace;
    uint64_t request = 0, tags_fp = 0;
    if (fp.has_block_comment) {
        tags_.clear();
        if (extract_statement_tags(text, span.begin, span.end, tags_)) {
            trace = parse_traceparent(tags_.find("traceparent"));
            request = request_key(tags_);
            tags_fp = tags_fingerprint(tags_);
            serialized_len_ = serialize_tags(tags_, serialized_tags_, sizeof serialized_tags_);
            framework_.assign(tags_framework(tags_));
        }
    }

    StatementEvent ev{};
    ev.queryid = pat.queryid;
    uint64_t params_fp = p.params.empty() ? 0 : hash_string(p.params);
    ev.param_fp = params_fp == 0   ? fp.values
                  : fp.values == 0 ? params_fp
                                   : hash_combine(params_fp, fp.values);
    ev.elapsed_ns = static_cast<uint64_t>(p.duration_ms * 1e6);
    ev.start_us = start;
    ev.end_us = start + dur_us;
    ev.trace = trace;
    ev.request_key = request;
    ev.tags_fp = tags_fp;
    ev.relid = pat.relid;
    ev.nvalues = info.in_list;
    ev.flags = info.flags;
    ev.command = static_cast<uint8_t>(info.command);
    if (s.in_block) ev.flags |= kEventExplicitXact;
    std::string value;
    if (info.any_param && parameter_value(p.params, info.any_param, value))
        ev.nvalues = std::max(ev.nvalues, array_items(value));
    bool one_row = info.single_row;
    if (!one_row && (info.flags & kEventHasLimit) && info.command == CommandKind::Select) {
        long limit = info.limit_param ? (parameter_value(p.params, info.limit_param, value)
                                             ? std::strtol(value.c_str(), nullptr, 10)
                                             : -1)
                                      : literal_limit(text);
        one_row = limit == 1;
    }
    if (one_row)
        ev.rows = 1;
    else
        ev.flags |= kEventRowsUnknown;
    s.tracker.record_stamped(ev);
    LoopDetector *det = &s.detector;
    if (trace.valid()) {
        if (trace_detectors_.empty()) {
            DetectorConfig c;
            c.min_repeats = opts_.min_repeats;
            for (size_t i = 0; i < kTraceDetectors; i++) {
                trace_detectors_.push_back(std::make_unique<LoopDetector>());
                trace_detectors_.back()->configure(c);
            }
        }
        det = trace_detectors_[hash_combine(trace.hi, trace.lo) % kTraceDetectors].get();
    }
    size_t n = det->observe(ev, out, shape_facts, this);
    apply(s, out, n, p.ts_us);
}

// Which unit of work it was, as the extension says it: "trace-id 4bf9...", the request tags,
// "session pid 4711".
std::string Analyzer::describe_scope(const Session &s, const LoopVerdict &v) const {
    std::string scope;
    if (v.scope_kind == ScopeKind::Trace) {
        char hex[64];
        std::snprintf(hex, sizeof hex, "trace-id %016" PRIx64 "%016" PRIx64, v.trace.hi,
                      v.trace.lo);
        return hex;
    }
    size_t pos = 0;
    std::string_view k, val;
    std::string_view tags(serialized_tags_, serialized_len_);
    while (next_serialized_tag(tags, pos, k, val)) {
        if (k == "traceparent" || k == "tracestate" || k == "framework" || k == "db_driver" ||
            k == "db_framework" || k == "application")
            continue;
        if (!scope.empty()) scope += ' ';
        scope.append(k).append("=").append(val.substr(0, 40));
    }
    if (v.scope_kind != ScopeKind::Request) scope.append(scope.empty() ? "" : ", ").append(s.label);
    return scope;
}

void Analyzer::apply(Session &s, const LoopVerdict *verdicts, size_t n, int64_t now_us) {
    for (size_t i = 0; i < n; i++) {
        const LoopVerdict &v = verdicts[i];
        char app[1024];
        size_t app_len =
            application_tags(std::string_view(serialized_tags_, serialized_len_), app, sizeof app);
        uint64_t app_fp = app_len ? hash_bytes(app, app_len) : 0;
        FindingKey key = make_finding_key(v.kind, name_id(s.database), name_id(s.user),
                                          v.parent_queryid, v.child_queryid, app_fp);
        uint64_t h = FindingEntry::hash_key(key);
        // The example scope: only a first verdict records it.
        std::string scope = v.first ? describe_scope(s, v) : std::string();
        auto it = findings_.find(h);
        if (it == findings_.end()) {
            if (!v.first) continue;
            Finding f;
            f.entry.key = key;
            f.entry.first_seen = f.entry.last_seen = now_us;
            f.entry.child_relid = v.child_relid;
            f.entry.parent_relid = v.parent_relid;
            f.entry.child_command = v.child_command;
            f.entry.parent_choice = static_cast<uint8_t>(v.parent_choice);
            f.framework = framework_;
            f.tags.assign(app, app_len);
            f.user = s.user;
            f.database = s.database;
            auto child = patterns_.find(v.child_queryid);
            if (child != patterns_.end()) {
                f.child_text = child->second.text;
                f.child_relation = child->second.info.relation;
                f.child_key_column = child->second.info.key_column;
                f.child_aggregate = child->second.info.aggregate;
            }
            auto parent = patterns_.find(v.parent_queryid);
            if (v.parent_queryid != 0 && parent != patterns_.end()) {
                f.parent_text = parent->second.text;
                f.parent_relation = parent->second.info.relation;
                id_columns(f.parent_text, f.parent_id_columns);
            }
            it = findings_.emplace(h, std::move(f)).first;
        }
        record_verdict(it->second.entry, v, now_us, scope);
    }
}

std::vector<const Finding *> Analyzer::findings() const {
    std::vector<const Finding *> out;
    for (const auto &kv : findings_)
        out.push_back(&kv.second);
    std::sort(out.begin(), out.end(), [](const Finding *a, const Finding *b) {
        if (a->entry.key.kind != b->entry.key.kind) return a->entry.key.kind < b->entry.key.kind;
        if (a->child_relation != b->child_relation) return a->child_relation < b->child_relation;
        if (a->child_text != b->child_text) return a->child_text < b->child_text;
        return a->parent_text < b->parent_text;
    });
    return out;
}

}  // namespace pg_advisor::cli::log
