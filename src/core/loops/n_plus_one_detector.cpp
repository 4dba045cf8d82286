#include "core/loops/n_plus_one_detector.h"

#include <cmath>
#include <cstddef>
#include <cstring>

#include "core/common/hash.h"
#include "core/workload/scan_shape.h"
#include "core/common/no_postgres.h"

namespace pg_advisor {

namespace {

constexpr uint8_t bit(LoopKind k) {
    return static_cast<uint8_t>(1u << static_cast<uint8_t>(k));
}

bool is_write(uint8_t command) {
    auto c = static_cast<CommandKind>(command);
    return c == CommandKind::Insert || c == CommandKind::Update || c == CommandKind::Delete ||
           c == CommandKind::Merge;
}

}  // namespace

const char *loop_kind_name(LoopKind k) {
    switch (k) {
        case LoopKind::NPlusOne:
            return "n_plus_one";
        case LoopKind::WriteLoop:
            return "bulk_write_loop";
        case LoopKind::Duplicate:
            return "duplicate_query";
    }
    return "unknown";
}

const char *scope_kind_name(ScopeKind k) {
    switch (k) {
        case ScopeKind::Trace:
            return "trace";
        case ScopeKind::Request:
            return "request";
        case ScopeKind::Transaction:
            return "transaction";
        case ScopeKind::Burst:
            return "burst";
    }
    return "unknown";
}

void LoopDetector::clear() {
    for (Scope &s : scopes_)
        s.in_use = false;
    held_ = false;
    multi_xact_ = 0;
}

size_t LoopDetector::active_scopes() const {
    size_t n = 0;
    for (const Scope &s : scopes_)
        n += s.in_use ? 1 : 0;
    return n;
}

size_t LoopDetector::observe(const StatementEvent &ev, LoopVerdict *out, ShapeFactsLookup facts,
                             void *facts_context) {
    if (ev.nesting != 0 || ev.boundary != 0 || ev.queryid == 0 ||
        static_cast<CommandKind>(ev.command) == CommandKind::Utility)
        return 0;
    if (ev.trace.valid())
        return feed(ev, ScopeKind::Trace, hash_combine(ev.trace.hi, ev.trace.lo), out, facts,
                    facts_context);
    if (ev.request_key != 0)
        return feed(ev, ScopeKind::Request, hash_combine(ev.request_key, ev.burst_seq), out, facts,
                    facts_context);
    if (ev.flags & kEventExplicitXact) {
        if (held_ && held_event_.xact_seq == ev.xact_seq) {
            // A second statement: this transaction is a unit of work of its own.
            held_ = false;
            multi_xact_ = ev.xact_seq;
            uint64_t key = mix64(ev.xact_seq);
            size_t n = feed(held_event_, ScopeKind::Transaction, key, out, facts, facts_context);
            return n + feed(ev, ScopeKind::Transaction, key, out + n, facts, facts_context);
        }
        if (multi_xact_ == ev.xact_seq)
            return feed(ev, ScopeKind::Transaction, mix64(ev.xact_seq), out, facts, facts_context);
        size_t n = 0;
        if (held_)  // its transaction ended without us being told: it stood alone
            n = feed(held_event_, ScopeKind::Burst, mix64(held_event_.burst_seq ^ 0xb5), out, facts,
                     facts_context);
        held_ = true;
        held_event_ = ev;
        return n;
    }
    if (ev.burst_seq != burst_seq_ || burst_key_ == 0) {
        burst_seq_ = ev.burst_seq;
        burst_key_ = mix64(ev.burst_seq ^ 0xb5);
    }
    return feed(ev, ScopeKind::Burst, burst_key_, out, facts, facts_context);
}

size_t LoopDetector::transaction_ended(uint64_t xact_seq, LoopVerdict *out, ShapeFactsLookup facts,
                                       void *facts_context) {
    if (!held_ || held_event_.xact_seq != xact_seq) return 0;
    held_ = false;
    // A transaction with a single statement is transparent: the statement joins its burst.
    return feed(held_event_, ScopeKind::Burst, mix64(held_event_.burst_seq ^ 0xb5), out, facts,
                facts_context);
}

// Inlined into feed(), their one caller.
__attribute__((always_inline)) inline LoopDetector::Scope &LoopDetector::scope_for(
    ScopeKind kind, uint64_t key, const StatementEvent &ev) {
    Scope &last = scopes_[last_scope_];  // consecutive statements mostly share their scope
    if (last.in_use && last.key == key && last.kind == kind) return last;
    Scope *victim = &scopes_[0];
    for (Scope &s : scopes_) {
        if (s.in_use && s.key == key && s.kind == kind) {
            last_scope_ = static_cast<size_t>(&s - scopes_);
            return s;
        }
        if (!s.in_use) {
            victim = &s;
        } else if (victim->in_use && s.last_used < victim->last_used) {
            victim = &s;
        }
    }
    Scope &s = *victim;
    last_scope_ = static_cast<size_t>(victim - scopes_);
    s.in_use = true;
    s.key = key;
    s.kind = kind;
    s.nstatements = 0;
    s.nrecent = 0;
    s.nshapes = 0;
    s.last_multi_row = kNoRecent;
    s.last_eligible = kNoRecent;
    s.trace = ev.trace;
    s.request_key = ev.request_key;
    return s;
}

__attribute__((always_inline)) inline LoopDetector::ShapeStat &LoopDetector::shape_for(
    Scope &s, uint64_t queryid) {
    // The ids sit together in one array: the common case (a shape already tracked) reads a few
    // cache lines instead of one per ShapeStat.
    for (size_t i = 0; i < s.nshapes; i++)
        if (s.shape_ids[i] == queryid) return s.shapes[i];
    size_t victim = s.nshapes;
    if (victim < kMaxShapes) {
        s.nshapes++;
    } else {
        victim = 0;
        for (size_t i = 1; i < kMaxShapes; i++)
            if (s.shapes[i].last_used < s.shapes[victim].last_used) victim = i;
    }
    ShapeStat &st = s.shapes[victim];
    // params[] is read only below nparams: a new scope's first statements zero no more than
    // they use.
    std::memset(&st, 0, offsetof(ShapeStat, params));
    st.queryid = queryid;
    s.shape_ids[victim] = queryid;
    return st;
}

// The parent of a shape first seen in this scope: walking back from the statement before it,
// the first multi-row SELECT of another shape, else the first statement of another shape (both
// eligible, within the recent window). The scope keeps where the newest of each kind is, so the
// answer needs no walk unless one of them is of the child's own shape (a shape tracked again
// after its eviction).
void LoopDetector::choose_parent(const Scope &s, ShapeStat &st, uint64_t queryid,
                                 uint32_t multi_row, uint32_t eligible) const {
    auto in_window = [&](uint32_t at) {
        return at != kNoRecent && s.nrecent - 1 - at < (s.nrecent < kRecent ? s.nrecent : kRecent);
    };
    const Recent *parent = nullptr;
    if (in_window(multi_row)) {
        parent = &s.recent[multi_row % kRecent];
        st.parent_choice = ParentChoice::MultiRow;
    } else if (in_window(eligible)) {
        parent = &s.recent[eligible % kRecent];
        st.parent_choice = ParentChoice::Preceding;
    } else {
        st.parent_choice = ParentChoice::None;
        return;
    }
    if (parent->queryid == queryid) {
        walk_for_parent(s, st, queryid);
        return;
    }
    st.parent_queryid = parent->queryid;
    st.parent_rows = parent->rows;
    st.parent_relid = parent->relid;
}

void LoopDetector::note_parent_candidate(Scope &s, const Recent &r) {
    if (!r.eligible_parent) return;
    s.last_eligible = s.nrecent - 1;
    if (static_cast<CommandKind>(r.command) == CommandKind::Select &&
        (r.rows >= 2 || r.rows_unknown))
        s.last_multi_row = s.nrecent - 1;
}

void LoopDetector::walk_for_parent(const Scope &s, ShapeStat &st, uint64_t queryid) const {
    st.parent_choice = ParentChoice::None;
    size_t n = s.nrecent < kRecent ? s.nrecent : kRecent;
    // The newest entry is the statement being fed; look before it.
    bool have_fallback = false;
    for (size_t i = 1; i < n; i++) {
        const Recent &r = s.recent[(s.nrecent - 1 - i) % kRecent];
        if (r.queryid == queryid || !r.eligible_parent) continue;
        if (static_cast<CommandKind>(r.command) == CommandKind::Select &&
            (r.rows >= 2 || r.rows_unknown)) {
            st.parent_queryid = r.queryid;
            st.parent_rows = r.rows;
            st.parent_relid = r.relid;
            st.parent_choice = ParentChoice::MultiRow;
            return;
        }
        if (!have_fallback) {
            have_fallback = true;
            st.parent_queryid = r.queryid;
            st.parent_rows = r.rows;
            st.parent_relid = r.relid;
            st.parent_choice = ParentChoice::Preceding;
        }
    }
}

// Share of the loop's window (from its first execution to now) taken by statements that occur
// only once in it. An application loop repeats its body; a connection shared by unrelated
// requests interleaves one-off statements.
double LoopDetector::noise(const Scope &s, const ShapeStat &st) const {
    size_t n = s.nrecent < kRecent ? s.nrecent : kRecent;
    // Occurrences per query id in the window, counted in a small open-addressing table
    // (linear in the window: this runs on every execution of a candidate loop).
    constexpr size_t kSlots = 128;  // power of two, more than twice kRecent
    static_assert(kSlots >= 2 * kRecent && (kSlots & (kSlots - 1)) == 0, "table too small");
    uint64_t ids[kSlots];
    uint8_t counts[kSlots];
    std::memset(counts, 0, sizeof counts);
    size_t w = 0, singles = 0;
    for (size_t i = 0; i < n; i++) {
        const Recent &r = s.recent[(s.nrecent - 1 - i) % kRecent];
        if (r.ordinal < st.first_ordinal) break;
        if (!r.eligible_parent && static_cast<CommandKind>(r.command) == CommandKind::Select)
            continue;  // catalog plumbing (driver introspection) is neither body nor noise
        w++;
        size_t slot = mix64(r.queryid) & (kSlots - 1);
        while (counts[slot] != 0 && ids[slot] != r.queryid)
            slot = (slot + 1) & (kSlots - 1);
        if (counts[slot] == 0) {
            ids[slot] = r.queryid;
            singles++;
        } else if (counts[slot] == 1) {
            singles--;
        }
        if (counts[slot] < 2) counts[slot]++;
    }
    if (w == 0) return 0;
    return static_cast<double>(singles) / static_cast<double>(w);
}

void LoopDetector::add_param(ShapeStat &st, uint64_t fp) {
    uint64_t h = mix64(fp);
    st.param_bits[(h >> 6) & 3] |= uint64_t{1} << (h & 63);
    if (st.nparams > kExactParams) return;
    for (size_t i = 0; i < st.nparams; i++)
        if (st.params[i] == fp) return;
    if (st.nparams < kExactParams)
        st.params[st.nparams++] = fp;
    else
        st.nparams = kExactParams + 1;  // overflow: estimate from the bitmap from now on
}

uint32_t LoopDetector::distinct(const ShapeStat &st) {
    if (st.nparams <= kExactParams) return st.nparams;
    size_t zeros = 0;
    for (uint64_t w : st.param_bits)
        zeros += 64 - static_cast<size_t>(__builtin_popcountll(w));
    if (zeros == 0) zeros = 1;
    double estimate = -256.0 * std::log(static_cast<double>(zeros) / 256.0);
    uint32_t e = static_cast<uint32_t>(std::lround(estimate));
    if (e <= kExactParams) e = static_cast<uint32_t>(kExactParams + 1);
    return e < st.executions ? e : st.executions;  // never more sets than executions
}

LoopVerdict LoopDetector::verdict(const Scope &s, const ShapeStat &st, LoopKind kind, bool first,
                                  const StatementEvent &ev) const {
    LoopVerdict v{};
    v.kind = kind;
    v.scope_kind = s.kind;
    v.scope_key = s.key;
    v.trace = s.trace;
    v.request_key = s.request_key;
    v.tags_fp = ev.tags_fp;
    v.first = first;
    v.parent_choice = kind == LoopKind::NPlusOne ? st.parent_choice : ParentChoice::None;
    v.parent_queryid = v.parent_choice != ParentChoice::None ? st.parent_queryid : 0;
    v.parent_rows = v.parent_choice != ParentChoice::None ? st.parent_rows : 0;
    v.parent_relid = v.parent_choice != ParentChoice::None ? st.parent_relid : 0;
    v.child_queryid = st.queryid;
    v.child_relid = st.relid;
    v.child_command = st.command;
    v.repeats = kind == LoopKind::WriteLoop ? st.single_row_writes : st.executions;
    v.distinct_params = distinct(st);
    if (first) {
        v.executions = v.repeats;
        v.child_ns = st.total_ns;
        v.child_rows = st.total_rows;
    } else {
        v.executions = 1;
        v.child_ns = ev.elapsed_ns;
        v.child_rows = ev.rows;
    }
    return v;
}

size_t LoopDetector::feed(const StatementEvent &ev, ScopeKind kind, uint64_t key, LoopVerdict *out,
                          ShapeFactsLookup facts, void *facts_context) {
    Scope &s = scope_for(kind, key, ev);
    s.last_used = ++clock_;
    uint32_t ordinal = ++s.nstatements;
    bool catalog = (ev.flags & kEventCatalogOnly) != 0;
    auto command = static_cast<CommandKind>(ev.command);
    Recent &r = s.recent[s.nrecent % kRecent];
    s.nrecent++;
    r.queryid = ev.queryid;
    r.rows = ev.rows;
    r.ordinal = ordinal;
    r.relid = ev.relid;
    r.command = ev.command;
    r.eligible_parent = !catalog && ev.relid != 0;
    r.rows_unknown = (ev.flags & kEventRowsUnknown) != 0;
    const uint32_t multi_row = s.last_multi_row, eligible = s.last_eligible;
    note_parent_candidate(s, r);

    // Plumbing and work-queue idioms are never loops: catalog queries, FOR UPDATE SKIP LOCKED
    // claims, cursor reads, statements that touch no table (SELECT 1 health checks).
    if (catalog || (ev.flags & (kEventSkipLocked | kEventCursor)) || ev.relid == 0) return 0;

    ShapeStat &st = shape_for(s, ev.queryid);
    if (st.executions == 0) {
        st.first_ordinal = ordinal;
        st.command = ev.command;
        st.relid = ev.relid;
        choose_parent(s, st, ev.queryid, multi_row, eligible);
    }
    st.executions++;
    st.last_ordinal = ordinal;
    st.last_used = static_cast<uint32_t>(clock_);
    // A read judged not to be a loop in this scope (and never reported) stays so: skip the
    // bookkeeping that only a verdict would use.
    if (st.rejected == (bit(LoopKind::NPlusOne) | bit(LoopKind::Duplicate)) && st.reported == 0)
        return 0;
    st.total_ns += ev.elapsed_ns;
    st.total_rows += ev.rows;
    st.flags |= ev.flags;
    if (ev.nvalues > st.max_nvalues) st.max_nvalues = ev.nvalues;
    add_param(st, ev.param_fp);

    const uint32_t threshold = config_.min_repeats;
    if (is_write(ev.command)) {
        bool single =
            (ev.rows == 1 || (ev.flags & kEventRowsUnknown)) && !(ev.flags & kEventMultiRow);
        if (!single) return 0;  // multi-row statements are already set-based
        // Several statements in one implicit transaction arrived in one round trip (a
        // pipelined executemany, a multi-statement query string): the client batched them.
        bool implicit = !(ev.flags & kEventExplicitXact);
        if (implicit && st.single_row_writes > 0 && st.last_write_xact == ev.xact_seq) return 0;
        st.last_write_xact = ev.xact_seq;
        st.single_row_writes++;
        if (st.reported & bit(LoopKind::WriteLoop)) {
            out[0] = verdict(s, st, LoopKind::WriteLoop, false, ev);
            return 1;
        }
        if (st.single_row_writes < threshold || noise(s, st) > config_.max_noise) return 0;
        st.reported |= bit(LoopKind::WriteLoop);
        out[0] = verdict(s, st, LoopKind::WriteLoop, true, ev);
        return 1;
    }
    if (command != CommandKind::Select) return 0;

    for (LoopKind k : {LoopKind::NPlusOne, LoopKind::Duplicate}) {
        if (st.reported & bit(k)) {
            out[0] = verdict(s, st, k, false, ev);
            return 1;
        }
    }
    if (st.executions < threshold || st.rejected) return 0;

    // Pagination: OFFSET or LIMIT pages of several rows each with no parent that has as many
    // rows as there are calls; keyset pages (range on the ORDER BY column). A lookup of one
    // row (LIMIT 1 OFFSET 0, Peewee's get()) is not a page.
    double mean_rows = static_cast<double>(st.total_rows) / st.executions;
    bool limited = (st.flags & kEventHasLimit) != 0;
    bool paged = (st.flags & kEventHasOffset) || limited;
    bool page = (st.flags & kEventRowsUnknown)
                    ? (st.flags & kEventHasOffset) != 0
                    : paged && mean_rows > 1.0 &&
                          ((st.flags & kEventHasOffset) || st.parent_rows < st.executions);
    if (page) {
        st.rejected = bit(LoopKind::NPlusOne) | bit(LoopKind::Duplicate);
        return 0;
    }
    // Batched loads: one call already fetches many keys (= ANY($1) arrays, IN lists).
    if (st.max_nvalues >= 2) {
        st.rejected = bit(LoopKind::NPlusOne) | bit(LoopKind::Duplicate);
        return 0;
    }
    if (facts) {
        ShapeFacts f = facts(facts_context, st.queryid);
        if (f.in_list_values >= 2 || (f.keyset && limited)) {
            st.rejected = bit(LoopKind::NPlusOne) | bit(LoopKind::Duplicate);
            return 0;
        }
    }
    uint32_t sets = distinct(st);
    if (sets >= 2 && st.parent_choice == ParentChoice::None) {
        // Varying parameters make it no duplicate, and with no statement before it in its
        // scope there is no parent to make it an N+1 (a benchmark or batch job repeating one
        // statement). Both facts are final for this scope: stop judging the shape.
        st.rejected = bit(LoopKind::NPlusOne) | bit(LoopKind::Duplicate);
        return 0;
    }
    if (noise(s, st) > config_.max_noise) return 0;  // may settle as the loop goes on

    if (sets >= 2) {
        st.reported |= bit(LoopKind::NPlusOne);
        out[0] = verdict(s, st, LoopKind::NPlusOne, true, ev);
        return 1;
    }
    st.reported |= bit(LoopKind::Duplicate);
    out[0] = verdict(s, st, LoopKind::Duplicate, true, ev);
    return 1;
}

}  // namespace pg_advisor
