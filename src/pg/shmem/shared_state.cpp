#include <exception>

#include "core/loops/loop_finding.h"
#include "core/workload/query_pattern.h"
#include "core/workload/shape_cache.h"
#include "core/store/stats_file.h"

extern "C" {
#include "postgres.h"

#include <sys/stat.h>
#include <unistd.h>

#include "miscadmin.h"
#include "storage/fd.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/timestamp.h"
}

#include "pg/compat.h"
#include "pg/guc.h"
#include "pg/boundary/protect.h"
#include "pg/shmem/shared_state.h"

using pg_advisor::FindingStore;
using pg_advisor::PatternStore;
using pg_advisor::ShapeStore;

PgaSharedState *pga_shared = NULL;

#if PGA_HAVE_SHMEM_REQUEST_HOOK
static shmem_request_hook_type prev_shmem_request_hook = NULL;
#endif
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

enum SectionId : uint32 { kPatternsSection = 1, kShapesSection = 2, kFindingsSection = 3 };
static constexpr int kLockCount = 3;

// ORM-generated texts are often 1-4 kB (every column listed); shape blobs a few hundred bytes.
static constexpr uint64 kTextBytesPerPattern = 2048;
static constexpr uint64 kShapeBytesPerPattern = 512;
// A finding keeps its parent and child texts and application tags.
static constexpr uint64 kTextBytesPerFinding = 4096;

static Size patterns_bytes(void) {
    return PatternStore::required_size((uint32)pga_max_patterns,
                                       (uint64)pga_max_patterns * kTextBytesPerPattern);
}

static Size shapes_bytes(void) {
    return ShapeStore::required_size((uint32)pga_max_patterns,
                                     (uint64)pga_max_patterns * kShapeBytesPerPattern);
}

static Size findings_bytes(void) {
    return FindingStore::required_size((uint32)pga_max_findings,
                                       (uint64)pga_max_findings * kTextBytesPerFinding);
}

static Size shared_size(void) {
    Size size = add_size(MAXALIGN(sizeof(PgaSharedState)), MAXALIGN(patterns_bytes()));
    size = add_size(size, MAXALIGN(shapes_bytes()));
    return add_size(size, MAXALIGN(findings_bytes()));
}

PgaSharedView pga_view = {};

void pga_view_refresh(void) {
    char *base = reinterpret_cast<char *>(pga_shared);
    pga_view.patterns = base + pga_shared->patterns_offset;
    pga_view.shapes = base + pga_shared->shapes_offset;
    pga_view.findings = base + pga_shared->findings_offset;
    pga_view.patterns_lock = pga_shared->patterns_lock;
    pga_view.shapes_lock = pga_shared->shapes_lock;
    pga_view.findings_lock = pga_shared->findings_lock;
    pga_view.shared = pga_shared;
}

FindingStore pga_finding_store(void) {
    return FindingStore(pga_shared_view().findings);
}

LWLock *pga_patterns_lock(void) {
    return pga_shared_view().patterns_lock;
}

void pga_require_shared_state(void) {
    if (pga_shared == NULL)
        ereport(ERROR,
                (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                 errmsg("pg_advisor must be loaded via shared_preload_libraries"),
                 errhint("Add pg_advisor to shared_preload_libraries in postgresql.conf "
                         "(shared_preload_libraries = 'pg_advisor') and restart the server.")));
}

static void save_stats_file(void);
static void load_stats_file(void);

static void pga_shmem_shutdown(int code, Datum arg) {
    // Only a clean shutdown is saved: after a crash, shared memory may be inconsistent.
    if (code != 0 || pga_shared == NULL || !pga_save) return;
    save_stats_file();
}

#if PGA_HAVE_SHMEM_REQUEST_HOOK
static void pga_shmem_request(void) {
    if (prev_shmem_request_hook) prev_shmem_request_hook();
    RequestAddinShmemSpace(shared_size());
    RequestNamedLWLockTranche("pg_advisor", kLockCount);
}
#endif

static void pga_shmem_startup(void) {
    if (prev_shmem_startup_hook) prev_shmem_startup_hook();

    bool found;
    LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
    pga_shared =
        static_cast<PgaSharedState *>(ShmemInitStruct("pg_advisor", shared_size(), &found));
    if (!found) {
        memset(pga_shared, 0, sizeof(PgaSharedState));
        LWLockPadded *locks = GetNamedLWLockTranche("pg_advisor");
        pga_shared->patterns_lock = &locks[0].lock;
        pga_shared->shapes_lock = &locks[1].lock;
        pga_shared->findings_lock = &locks[2].lock;
        pga_shared->max_patterns = (uint32)pga_max_patterns;
        pga_shared->max_findings = (uint32)pga_max_findings;
        pga_shared->patterns_offset = MAXALIGN(sizeof(PgaSharedState));
        pga_shared->shapes_offset = pga_shared->patterns_offset + MAXALIGN(patterns_bytes());
        pga_shared->findings_offset = pga_shared->shapes_offset + MAXALIGN(shapes_bytes());
        pg_atomic_init_u64(&pga_shared->capture_failures, 0);
        pg_atomic_init_u64(&pga_shared->restored_patterns, 0);
        pg_atomic_init_u64(&pga_shared->query_id_jumbles, 0);
        pg_atomic_init_u64(&pga_shared->query_id_mismatches, 0);
        pga_shared->started_at = GetCurrentTimestamp();
        PatternStore::format(reinterpret_cast<char *>(pga_shared) + pga_shared->patterns_offset,
                             (uint32)pga_max_patterns,
                             (uint64)pga_max_patterns * kTextBytesPerPattern);
        ShapeStore::format(reinterpret_cast<char *>(pga_shared) + pga_shared->shapes_offset,
                           (uint32)pga_max_patterns,
                           (uint64)pga_max_patterns * kShapeBytesPerPattern);
        FindingStore::format(reinterpret_cast<char *>(pga_shared) + pga_shared->findings_offset,
                             (uint32)pga_max_findings,
                             (uint64)pga_max_findings * kTextBytesPerFinding);
    }
    LWLockRelease(AddinShmemInitLock);

    if (!IsUnderPostmaster) {
        on_shmem_exit(pga_shmem_shutdown, (Datum)0);
        if (!found) load_stats_file();
    }
}

void pga_shmem_install(void) {
#if PGA_HAVE_SHMEM_REQUEST_HOOK
    prev_shmem_request_hook = shmem_request_hook;
    shmem_request_hook = pga_shmem_request;
#else
    RequestAddinShmemSpace(shared_size());
    RequestNamedLWLockTranche("pg_advisor", kLockCount);
#endif
    prev_shmem_startup_hook = shmem_startup_hook;
    shmem_startup_hook = pga_shmem_startup;
}

// ---- Saving and loading.

// The stores in file order, with the lock that guards each.
struct StoreRef {
    SectionId id;
    LWLock *lock;
    size_t capacity;                            // snapshot_capacity()
    size_t (*snapshot)(char *dst, size_t cap);  // under the lock
    bool (*valid)(std::string_view bytes);      // snapshot structure check
    uint32 (*restore)(std::string_view bytes);  // into the (empty) store
};

template <class Store>
static StoreRef store_ref(SectionId id, LWLock *lock, Store (*get)(void)) {
    StoreRef r;
    r.id = id;
    r.lock = lock;
    r.capacity = get().snapshot_capacity();
    // Plain functions (no captures) so the table stays trivially copyable.
    static Store (*getter)(void);
    getter = get;
    r.snapshot = [](char *dst, size_t cap) { return getter().snapshot(dst, cap); };
    r.valid = [](std::string_view b) { return typename Store::Snapshot(b.data(), b.size()).ok(); };
    r.restore = [](std::string_view b) {
        return getter().restore(typename Store::Snapshot(b.data(), b.size()));
    };
    return r;
}

static int all_stores(StoreRef *refs) {
    refs[0] = store_ref(kPatternsSection, pga_shared->patterns_lock, pga_pattern_store);
    refs[1] = store_ref(kShapesSection, pga_shared->shapes_lock, pga_shape_store);
    refs[2] = store_ref(kFindingsSection, pga_shared->findings_lock, pga_finding_store);
    return kLockCount;
}

static void save_stats_file(void) {
    StoreRef stores[kLockCount];
    int n = all_stores(stores);
    // The postmaster is alone at this point. A lock still held means a backend was killed in
    // the middle of an update (immediate shutdown): the stores may be inconsistent, and an
    // inconsistent file is worse than none.
    int locked = 0;
    for (; locked < n; locked++)
        if (!LWLockConditionalAcquire(stores[locked].lock, LW_EXCLUSIVE)) break;
    if (locked < n) {
        while (locked-- > 0)
            LWLockRelease(stores[locked].lock);
        ereport(LOG, (errmsg("pg_advisor: statistics not saved: a backend stopped while updating "
                             "them")));
        return;
    }
    pg_advisor::StatsSection sections[kLockCount];
    char *buffers[kLockCount];
    for (int i = 0; i < n; i++) {
        buffers[i] =
            static_cast<char *>(MemoryContextAllocHuge(TopMemoryContext, stores[i].capacity));
        size_t len = stores[i].snapshot(buffers[i], stores[i].capacity);
        sections[i] = {stores[i].id, std::string_view(buffers[i], len)};
    }
    for (int i = n; i-- > 0;)
        LWLockRelease(stores[i].lock);

    size_t size = pg_advisor::stats_file_size(sections, (size_t)n);
    char *image = static_cast<char *>(MemoryContextAllocHuge(TopMemoryContext, size));
    size_t written =
        pg_advisor::encode_stats_file(PG_VERSION_NUM / 100, sections, (size_t)n, image);

    const char *tmp = PGA_STATS_FILE ".tmp";
    FILE *file = AllocateFile(tmp, PG_BINARY_W);
    bool ok = file != NULL && fwrite(image, 1, written, file) == written;
    if (file != NULL && FreeFile(file) != 0) ok = false;
    if (!ok) {
        ereport(LOG, (errcode_for_file_access(),
                      errmsg("pg_advisor: could not write file \"%s\": %m", tmp)));
        unlink(tmp);
        return;
    }
    (void)durable_rename(tmp, PGA_STATS_FILE, LOG);
}

// The largest file worth reading: what the stores hold at their configured capacity, with room
// for a file saved under capacities up to four times larger (the least used entries are then
// evicted on restore).
static size_t largest_stats_file(void) {
    StoreRef stores[kLockCount];
    int n = all_stores(stores);
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += stores[i].capacity;
    return 4 * total + 1024 * 1024;
}

static void load_stats_file(void) {
    FILE *file = AllocateFile(PGA_STATS_FILE, PG_BINARY_R);
    if (file == NULL) {
        if (errno != ENOENT)
            ereport(LOG, (errcode_for_file_access(),
                          errmsg("pg_advisor: could not read file \"%s\": %m", PGA_STATS_FILE)));
        return;
    }
    struct stat st;
    char *image = NULL;
    size_t len = 0;
    size_t limit = largest_stats_file();
    bool oversized = false;
    if (fstat(fileno(file), &st) == 0 && st.st_size > 0) {
        len = (size_t)st.st_size;
        // Checked before reading: a huge file must not delay start-up.
        oversized = len > limit;
        if (!oversized && pga_save) {
            image = static_cast<char *>(MemoryContextAllocHuge(TopMemoryContext, len));
            if (fread(image, 1, len, file) != len) len = 0;
        }
    }
    FreeFile(file);
    // Never load the same file twice (a crash must not bring back stale data).
    unlink(PGA_STATS_FILE);
    if (oversized) {
        ereport(WARNING, (errmsg("pg_advisor: ignoring saved statistics file \"%s\": it holds %zu "
                                 "bytes, more than pg_advisor's stores can restore (%zu at most)",
                                 PGA_STATS_FILE, len, limit),
                          errhint("The file was not read. pg_advisor.max_patterns and "
                                  "pg_advisor.max_findings bound what is restored.")));
        return;
    }
    if (!pga_save || image == NULL) return;

    pg_advisor::DecodedStatsFile decoded =
        pg_advisor::decode_stats_file(std::string_view(image, len), PG_VERSION_NUM / 100);
    StoreRef stores[kLockCount];
    int n = all_stores(stores);
    const char *problem = decoded.ok ? NULL : decoded.error;
    for (int i = 0; i < n && problem == NULL; i++)
        if (!stores[i].valid(decoded.find(stores[i].id)))
            problem = "its content does not match this version of pg_advisor";
    if (problem) {
        ereport(WARNING, (errmsg("pg_advisor: ignoring saved statistics file \"%s\": %s",
                                 PGA_STATS_FILE, problem)));
        pfree(image);
        return;
    }
    uint32 restored[kLockCount];
    for (int i = 0; i < n; i++)
        restored[i] = stores[i].restore(decoded.find(stores[i].id));
    pg_atomic_write_u64(&pga_shared->restored_patterns, restored[0]);
    ereport(LOG, (errmsg("pg_advisor: restored %u query patterns, %u scan shapes and %u loop "
                         "findings from \"%s\"",
                         restored[0], restored[1], restored[2], PGA_STATS_FILE)));
    pfree(image);
}
