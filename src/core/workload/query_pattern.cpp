#include "core/workload/query_pattern.h"

#include <cstring>

#include "core/common/hash.h"
#include "core/common/shared_atomic.h"
#include "core/common/no_postgres.h"

namespace pg_advisor {

uint64_t PatternEntry::hash_key(const PatternKey &k) {
    // One finalizer round: query ids are already well mixed 64-bit hashes, the rest is spread
    // over them by an odd multiplier (this runs twice per statement).
    uint64_t owner = ((uint64_t{k.userid} << 32) | k.dbid) * 0x9e3779b97f4a7c15ULL;
    return mix64(k.queryid ^ owner ^ (uint64_t{k.toplevel} << 63));
}

void PatternEntry::snapshot_to(PatternEntry &dst) const {
    {
        SpinGuard guard(const_cast<uint32_t &>(lock));
        std::memcpy(&dst, this, sizeof(PatternEntry));
    }
    dst.lock = 0;
    dst.usage = atomic_load(usage);
    dst.calls = atomic_load(calls);
    dst.total_ns = atomic_load(total_ns);
    dst.min_ns = atomic_load(min_ns);
    dst.max_ns = atomic_load(max_ns);
    dst.rows = atomic_load(rows);
    dst.sampled_calls = atomic_load(sampled_calls);
    dst.last_seen = atomic_load(last_seen);
    dst.max_offset = atomic_load(max_offset);
}

PatternEntry *insert_pattern(PatternStore &store, const PatternKey &key, std::string_view text,
                             uint8_t command, int64_t now) {
    PatternEntry *e = store.insert(key, text, now);
    if (e && e->calls == 0 && e->first_seen == 0) {
        e->min_ns = UINT64_MAX;
        e->first_seen = now;
        e->last_seen = now;
        e->command = command;
    }
    return e;
}

namespace {

// The counters of one execution (the entry's spinlock held). Relaxed atomic stores keep
// lock-free readers from ever seeing a torn value.
void add_execution(PatternEntry &e, const ExecutionSample &x) {
    atomic_store(e.calls, e.calls + 1);
    atomic_store(e.total_ns, e.total_ns + x.elapsed_ns);
    atomic_store(e.rows, e.rows + x.rows);
    atomic_store(e.usage, e.usage + PatternStore::kUsagePerCall);
    if (x.elapsed_ns < e.min_ns) atomic_store(e.min_ns, x.elapsed_ns);
    if (x.elapsed_ns > e.max_ns) atomic_store(e.max_ns, x.elapsed_ns);
    if (x.now > e.last_seen) atomic_store(e.last_seen, x.now);
    if (x.sampled) atomic_store(e.sampled_calls, e.sampled_calls + 1);
    if (x.offset > e.max_offset) atomic_store(e.max_offset, x.offset);
    if (x.calls_advisor) e.flags |= kPatternCallsAdvisor;
    if (x.nliterals > 0) {
        uint32_t n = x.nliterals < kTrackedLiterals ? x.nliterals : kTrackedLiterals;
        if (!(e.flags & kPatternLiteralsSeen)) {
            for (uint32_t i = 0; i < kTrackedLiterals; i++)
                atomic_store(e.literal_first[i], i < n ? x.literals[i] : 0u);
            e.flags |= kPatternLiteralsSeen;
        } else {
            uint32_t varied = e.literal_varied;
            for (uint32_t i = 0; i < n; i++)
                if (e.literal_first[i] != x.literals[i]) varied |= 1u << i;
            if (varied != e.literal_varied) atomic_store(e.literal_varied, varied);
        }
    }
}

// Replaces the remembered tags / application name that changed (the entry's spinlock held).
void replace_context(PatternEntry &e, const ExecutionContext &cx, bool tags_changed,
                     bool app_changed) {
    if (tags_changed) {
        size_t n = cx.tags.size();
        if (n > PatternEntry::kTagsSize) n = 0;  // callers serialise within the limit
        std::memcpy(e.tags, cx.tags.data(), n);
        e.tags_len = static_cast<uint16_t>(n);
        atomic_store(e.tags_fp, cx.tags_fp);
    }
    if (app_changed) {
        size_t n = cx.appname.size();
        if (n > PatternEntry::kAppNameSize) n = PatternEntry::kAppNameSize;
        std::memcpy(e.appname, cx.appname.data(), n);
        e.appname_len = static_cast<uint16_t>(n);
        atomic_store(e.appname_fp, cx.appname_fp);
    }
}

// Untagged calls keep the last tags: they tell where the pattern was last seen from.
bool tags_changed(const PatternEntry &e, const ExecutionContext &cx) {
    return cx.tags_fp != 0 && atomic_load(e.tags_fp) != cx.tags_fp;
}

}  // namespace

void record_execution(PatternEntry &e, const ExecutionSample &x) {
    // One short critical section on the entry's spinlock: two locked instructions per call
    // instead of one per counter when several backends run the same statement (the line
    // holding the entry moves between their caches once, not seven times).
    SpinGuard guard(e.lock);
    add_execution(e, x);
}

void record_context(PatternEntry &e, uint64_t tags_fp, std::string_view serialized_tags,
                    uint64_t appname_fp, std::string_view appname) {
    ExecutionContext cx{tags_fp, serialized_tags, appname_fp, appname};
    bool tags = tags_changed(e, cx);
    bool app = atomic_load(e.appname_fp) != appname_fp;
    if (!tags && !app) return;
    SpinGuard guard(e.lock);
    replace_context(e, cx, tags, app);
}

bool record_if_current(PatternEntry &e, const PatternKey &key, const uint64_t &store_generation,
                       uint64_t generation, const ExecutionSample &x, const ExecutionContext &cx) {
    SpinGuard guard(e.lock);
    // Entries leave the store only in a new generation, and a freed entry is reused only
    // after its spinlock was taken once (FixedStore::insert): holding the lock with the
    // generation unchanged, the entry is still this key's.
    if (atomic_load(store_generation) != generation || std::memcmp(&e.key, &key, sizeof key) != 0)
        return false;
    add_execution(e, x);
    bool tags = tags_changed(e, cx);
    bool app = e.appname_fp != cx.appname_fp;
    if (tags || app) replace_context(e, cx, tags, app);
    return true;
}

}  // namespace pg_advisor
