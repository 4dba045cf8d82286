// The ring of reviewed DDL's findings (see history.h).
#include <exception>
#include <map>
#include <string>
#include <vector>

#include "core/review/finding.h"

extern "C" {
#include "postgres.h"

#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
}

#include "pg/boundary/pg_guard.h"
#include "pg/compat.h"
#include "pg/ddl/history.h"
#include "pg/sql/support.h"

namespace {

struct Ring {
    LWLock *lock;
    uint64 next;  // entries ever added; slot = next % PGA_DDL_HISTORY_SIZE
    PgaDdlHistoryEntry entries[PGA_DDL_HISTORY_SIZE];
};

Ring *ring = nullptr;
#if PGA_HAVE_SHMEM_REQUEST_HOOK
shmem_request_hook_type prev_request = nullptr;
#endif
shmem_startup_hook_type prev_startup = nullptr;

void request(void) {
    RequestAddinShmemSpace(MAXALIGN(sizeof(Ring)));
    RequestNamedLWLockTranche("pg_advisor_ddl", 1);
}

#if PGA_HAVE_SHMEM_REQUEST_HOOK
void request_hook(void) {
    if (prev_request) prev_request();
    request();
}
#endif

void startup_hook(void) {
    if (prev_startup) prev_startup();
    bool found;
    LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
    ring = static_cast<Ring *>(ShmemInitStruct("pg_advisor ddl history", sizeof(Ring), &found));
    if (!found) {
        memset(ring, 0, sizeof(Ring));
        ring->lock = &(GetNamedLWLockTranche("pg_advisor_ddl"))[0].lock;
    }
    LWLockRelease(AddinShmemInitLock);
}

pg_advisor::review::Finding finding_of(const PgaDdlHistoryEntry &e) {
    pg_advisor::review::Finding f;
    f.rule = e.rule;
    f.category = pg_advisor::review::Category::Migration;
    f.severity = static_cast<pg_advisor::review::Severity>(e.severity);
    f.object_type = "statement";
    f.object = e.object;
    f.identity = e.statement;
    f.title = e.title;
    f.why = e.why;
    f.recommendation = e.recommendation;
    f.fix_sql = e.fix_sql;
    f.query = e.statement;
    f.current_state = e.statement;
    f.evidence.add("statement", std::string(e.statement));
    f.finding_key = pg_advisor::review::finding_key(f.rule, f.object, f.identity);
    f.first_seen = f.last_seen = e.at + INT64CONST(946684800000000);
    return f;
}

}  // namespace

void pga_ddl_history_install(void) {
#if PGA_HAVE_SHMEM_REQUEST_HOOK
    prev_request = shmem_request_hook;
    shmem_request_hook = request_hook;
#else
    request();
#endif
    prev_startup = shmem_startup_hook;
    shmem_startup_hook = startup_hook;
}

void pga_ddl_history_add(const PgaDdlHistoryEntry *entry) {
    if (ring == nullptr) return;
    LWLockAcquire(ring->lock, LW_EXCLUSIVE);
    ring->entries[ring->next % PGA_DDL_HISTORY_SIZE] = *entry;
    ring->next++;
    LWLockRelease(ring->lock);
}

void pga_ddl_history_reset(void) {
    if (ring == nullptr) return;
    LWLockAcquire(ring->lock, LW_EXCLUSIVE);
    ring->next = 0;
    LWLockRelease(ring->lock);
}

std::vector<pg_advisor::review::Finding> pga_ddl_history_findings(void) {
    std::vector<pg_advisor::review::Finding> out;
    if (ring == nullptr) return out;
    PgaDdlHistoryEntry *copy = nullptr;
    uint64 count = 0;
    bool see_all = false;
    Oid me = GetUserId();
    pga_pg_subxact([&] {
        see_all = pga_can_see_all_statements();
        copy = static_cast<PgaDdlHistoryEntry *>(
            palloc(sizeof(PgaDdlHistoryEntry) * PGA_DDL_HISTORY_SIZE));
        LWLockAcquire(ring->lock, LW_SHARED);
        count = Min(ring->next, (uint64)PGA_DDL_HISTORY_SIZE);
        uint64 first = ring->next - count;
        for (uint64 i = 0; i < count; i++)
            copy[i] = ring->entries[(first + i) % PGA_DDL_HISTORY_SIZE];
        LWLockRelease(ring->lock);
    });
    std::map<std::string, size_t> by_key;  // one finding per key: the latest review, counted
    std::vector<int64_t> reviews;
    for (uint64 i = 0; i < count; i++) {
        const PgaDdlHistoryEntry &e = copy[i];
        if (e.dbid != MyDatabaseId || (!see_all && e.userid != me)) continue;
        pg_advisor::review::Finding f = finding_of(e);
        auto [it, fresh] = by_key.emplace(f.finding_key, out.size());
        if (fresh) {
            out.push_back(std::move(f));
            reviews.push_back(1);
            continue;
        }
        f.first_seen = out[it->second].first_seen;
        out[it->second] = std::move(f);
        reviews[it->second]++;
    }
    for (size_t i = 0; i < out.size(); i++)
        out[i].evidence.add("reviews", reviews[i]);
    pga_pg_subxact([&] { pfree(copy); });
    return out;
}
