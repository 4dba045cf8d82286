// Work whose relation locks last only as long as the work: it runs inside an internal
// subtransaction that is rolled back at the end (on success too), which releases every lock it
// took. The index advisor plans statements and reads table facts this way, so that reading
// the advice never leaves a lock behind for the rest of the reader's transaction. Results must
// live in C++ objects or in memory contexts of the caller: the subtransaction's own memory is
// gone afterwards.
//
// fn may throw C++ exceptions (PostgreSQL errors inside it must already be turned into
// exceptions by pga_pg_subxact()). Include after postgres.h.
#pragma once

#include "pg/boundary/pg_guard.h"

extern "C" {
#include "access/xact.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
}

template <class Fn>
static inline void pga_with_released_locks(Fn &&fn) {
    pga_require_serial();
    MemoryContext cxt = CurrentMemoryContext;
    ResourceOwner owner = CurrentResourceOwner;
    pga_pg_call([] { BeginInternalSubTransaction(NULL); });
    MemoryContextSwitchTo(cxt);
    auto end = [&] {
        pga_pg_call([] { RollbackAndReleaseCurrentSubTransaction(); });
        MemoryContextSwitchTo(cxt);
        CurrentResourceOwner = owner;
    };
    try {
        fn();
    } catch (...) {
        end();
        throw;
    }
    end();
}
