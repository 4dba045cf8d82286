// Runs the session's statements through the loop detector (src/core/n_plus_one_detector),
// aggregates its verdicts into the shared findings store, and applies
// pg_advisor.n_plus_one_action: log, warn, or fail the statement that completes a loop.
#include <exception>
#include <string_view>

#include "core/common/hash.h"
#include "core/loops/loop_finding.h"
#include "core/loops/loop_fixes.h"
#include "core/loops/n_plus_one_detector.h"
#include "core/workload/query_pattern.h"
#include "core/sql/query_tags.h"
#include "core/workload/scan_shape.h"
#include "core/workload/session_tracker.h"
#include "core/workload/shape_cache.h"
#include "core/common/text_buffer.h"

extern "C" {
#include "postgres.h"

#include "miscadmin.h"
#include "storage/lwlock.h"
#include "utils/timestamp.h"
}

#include "pg/compat.h"
#include "pg/capture/capture.h"
#include "pg/loops/detect_loops.h"
#include "pg/guc.h"
#include "pg/loops/loop_description.h"
#include "pg/boundary/protect.h"
#include "pg/shmem/shared_state.h"

using namespace pg_advisor;

static LoopDetector detector;

// The guard's error, raised once the executor (or the COMMIT) is out of pg_advisor's hands.
static bool guard_pending = false;
static char guard_message[1024];
static char guard_detail[1024];
static char guard_hint[4096];

// ---- Facts only the planner knows, for candidate children.

static ShapeFacts shape_facts_locked(uint64_t queryid) {
    ShapeFacts f{};
    ShapeStore store = pga_shape_store();
    LWLockAcquire(pga_shared->shapes_lock, LW_SHARED);
    if (ShapeEntry *e = store.find(make_shape_key(MyDatabaseId, queryid))) {
        ShapeView view(store.blob(e));
        for (size_t i = 0; i < view.nscans(); i++) {
            ScanRecord scan = view.scan(i);
            OrderColumn lead{};
            bool ordered = false;
            for (size_t o = 0; o < view.norder() && !ordered; o++) {
                OrderColumn oc = view.order(o);
                if (oc.relid == scan.relid) lead = oc, ordered = true;
            }
            for (size_t j = 0; j < scan.nquals; j++) {
                Qual q = view.qual(scan, j);
                auto kind = static_cast<QualKind>(q.kind);
                if (kind == QualKind::InList && q.nvalues > f.in_list_values)
                    f.in_list_values = q.nvalues;
                if (kind == QualKind::Range && ordered && q.attnum == lead.attnum &&
                    static_cast<QualSource>(q.source) != QualSource::JoinParam)
                    f.keyset = true;
            }
        }
    }
    LWLockRelease(pga_shared->shapes_lock);
    return f;
}

// The detector asks for a candidate child's facts from the executor's path, which calls nothing
// that can raise unprotected (executor.cpp, record_end).
static ShapeFacts shape_facts(void *, uint64_t queryid) {
    ShapeFacts f{};
    pga_run_protected("reading a scan shape", [&] { f = shape_facts_locked(queryid); });
    return f;
}

// ---- Verdicts into findings.

// Which unit of work it was: "4bf92f35..." (trace id), "controller=orders action=index"
// (request tags), "session pid 4711" (burst).
static void describe_scope(const LoopVerdict &v, TextBuffer &out) {
    if (v.scope_kind == ScopeKind::Trace) {
        char hex[64];
        snprintf(hex, sizeof hex, "trace-id %016llx%016llx", (unsigned long long)v.trace.hi,
                 (unsigned long long)v.trace.lo);
        out.add(hex);
        return;
    }
    std::string_view tags(pga_current_scope.tags, pga_current_scope.tags_len);
    size_t pos = 0;
    std::string_view k, val;
    while (next_serialized_tag(tags, pos, k, val)) {
        if (k == "traceparent" || k == "tracestate" || k == "framework" || k == "db_driver" ||
            k == "db_framework" || k == "application")
            continue;
        if (out.size() > 0) out.put(' ');
        out.add(k).put('=');
        out.add(val.substr(0, 40));
    }
    if (v.scope_kind != ScopeKind::Request) {
        if (out.size() > 0) out.add(", ");
        out.add("session pid ").add(static_cast<uint64_t>(MyProcPid));
    }
}

// Copies the text of a top-level pattern into out (at most cap bytes); returns its length.
static size_t copy_pattern_text(uint64 queryid, char *out, size_t cap) {
    if (queryid == 0) return 0;
    PatternStore store = pga_pattern_store();
    size_t len = 0;
    LWLockAcquire(pga_shared->patterns_lock, LW_SHARED);
    if (PatternEntry *e = store.find(make_pattern_key(GetUserId(), MyDatabaseId, queryid, true))) {
        std::string_view text = store.blob(e);
        len = Min(text.size(), cap);
        memcpy(out, text.data(), len);
    }
    LWLockRelease(pga_shared->patterns_lock);
    return len;
}

static void arm_guard(const LoopVerdict &v, std::string_view parent, std::string_view child,
                      std::string_view framework, std::string_view scope) {
    PgaLoopFacts facts{v.kind, v.child_command, v.child_queryid, v.child_relid, v.parent_queryid,
                       child,  parent,          framework,       v.repeats};
    LoopFixInput fix;
    pga_describe_loop(facts, &fix);

    TextBuffer msg(guard_message, sizeof guard_message);
    switch (v.kind) {
        case LoopKind::NPlusOne:
            msg.add("N+1 query detected: \"").add(child).add("\" ran ").add(uint64_t{v.repeats});
            msg.add(" times after \"").add(parent).add("\"");
            break;
        case LoopKind::WriteLoop:
            msg.add("row-by-row write loop detected: \"").add(child).add("\" ran ");
            msg.add(uint64_t{v.repeats}).add(" times, one row each");
            break;
        case LoopKind::Duplicate:
            msg.add("duplicate query detected: \"").add(child).add("\" ran ");
            msg.add(uint64_t{v.repeats}).add(" times with identical parameters");
            break;
    }
    TextBuffer detail(guard_detail, sizeof guard_detail);
    detail.add(uint64_t{v.repeats}).add(" executions with ").add(uint64_t{v.distinct_params});
    detail.add(" distinct parameter sets in one ").add(scope_kind_name(v.scope_kind));
    if (!scope.empty()) detail.add(" (").add(scope).add(")");
    if (v.kind == LoopKind::NPlusOne && v.parent_choice == ParentChoice::MultiRow)
        detail.add(", after the parent returned ").add(v.parent_rows).add(" rows");
    detail.add("; queries now and after the fix: ");
    write_expected_queries(fix, detail);
    detail.add(" (pg_advisor.n_plus_one_min_repeats = ");
    detail.add(static_cast<uint64_t>(pga_n_plus_one_min_repeats)).add(")");
    TextBuffer hint(guard_hint, sizeof guard_hint);
    write_orm_fix(fix, hint);
    hint.add(". Set-based SQL:\n");
    write_suggested_sql(fix, hint);

    switch (pga_n_plus_one_action) {
        case PGA_ACTION_LOG:
        case PGA_ACTION_WARNING:
            ereport(pga_n_plus_one_action == PGA_ACTION_LOG ? LOG : WARNING,
                    (errcode(ERRCODE_PGA_N_PLUS_ONE), errmsg("%s", guard_message),
                     errdetail("%s", guard_detail), errhint("%s", guard_hint)));
            break;
        case PGA_ACTION_ERROR:
            guard_pending = true;
            break;
        default:
            break;
    }
}

static void apply_verdict(const LoopVerdict &v, bool allow_guard) {
    TimestampTz now = GetCurrentTimestamp();
    std::string_view all_tags(pga_current_scope.tags, pga_current_scope.tags_len);
    char app[PatternEntry::kTagsSize];
    size_t app_len = application_tags(all_tags, app, sizeof app);
    uint64 app_fp = app_len ? hash_bytes(app, app_len) : 0;
    FindingKey key = make_finding_key(v.kind, MyDatabaseId, GetUserId(), v.parent_queryid,
                                      v.child_queryid, app_fp);
    FixedText<FindingEntry::kExampleSize> scope;
    describe_scope(v, scope);

    FindingStore store = pga_finding_store();
    LWLockAcquire(pga_shared->findings_lock, LW_SHARED);
    FindingEntry *e = store.find(key);
    if (e) record_verdict(*e, v, now, scope.view());
    LWLockRelease(pga_shared->findings_lock);
    if (!v.first) return;  // a later execution of a reported loop: counted above

    // The texts: the finding's (if it exists) or the patterns'.
    size_t cap = (size_t)pga_max_query_length + 1;
    char *parent = static_cast<char *>(palloc(cap));
    char *child = static_cast<char *>(palloc(cap));
    size_t plen = copy_pattern_text(v.parent_queryid, parent, cap);
    size_t clen = copy_pattern_text(v.child_queryid, child, cap);
    if (e == nullptr) {
        FindingTexts texts{std::string_view(parent, plen), std::string_view(child, clen),
                           std::string_view(app, app_len)};
        size_t blen = finding_texts_size(texts);
        char *blob = static_cast<char *>(palloc(blen));
        blen = encode_finding_texts(texts, blob, blen);
        LWLockAcquire(pga_shared->findings_lock, LW_EXCLUSIVE);
        e = insert_finding(store, key, std::string_view(blob, blen), v, now,
                           pga_current_scope.framework);
        if (e) record_verdict(*e, v, now, scope.view());
        LWLockRelease(pga_shared->findings_lock);
        if (e == nullptr) pga_capture_failed("storing a loop finding", "no room in shared memory");
    }
    if (allow_guard && pga_n_plus_one_action != PGA_ACTION_OFF)
        arm_guard(v, std::string_view(parent, plen), std::string_view(child, clen),
                  pga_current_scope.framework, scope.view());
}

static void apply_verdicts(const LoopVerdict *v, size_t n, bool allow_guard) {
    for (size_t i = 0; i < n; i++)
        apply_verdict(v[i], allow_guard);
}

static void configure_detector(void) {
    if (detector.config().min_repeats == (uint32_t)pga_n_plus_one_min_repeats) return;
    DetectorConfig c = detector.config();
    c.min_repeats = (uint32_t)pga_n_plus_one_min_repeats;
    detector.configure(c);
}

void pga_detect_statement(const StatementEvent &ev) {
    configure_detector();
    LoopVerdict out[LoopDetector::kMaxVerdicts];
    size_t n = detector.observe(ev, out, shape_facts, nullptr);
    if (n > 0) pga_run_protected("recording a loop", [&] { apply_verdicts(out, n, true); });
}

void pga_detect_transaction_end(uint64 xact_seq, bool allow_guard) {
    configure_detector();
    LoopVerdict out[LoopDetector::kMaxVerdicts];
    size_t n = detector.transaction_ended(xact_seq, out, shape_facts, nullptr);
    if (n > 0) pga_run_protected("recording a loop", [&] { apply_verdicts(out, n, allow_guard); });
}

void pga_reset_detector(void) {
    detector.clear();
    guard_pending = false;
}

void pga_raise_pending_guard(void) {
    if (!guard_pending) return;
    guard_pending = false;
    ereport(ERROR, (errcode(ERRCODE_PGA_N_PLUS_ONE), errmsg("%s", guard_message),
                    errdetail("%s", guard_detail), errhint("%s", guard_hint)));
}

bool pga_guard_armed(void) {
    return guard_pending;
}

void pga_discard_pending_guard(void) {
    guard_pending = false;
}
