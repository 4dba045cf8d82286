// The PostgreSQL -> C++ direction of the error boundary (protect.h has the other): the advisor
// keeps C++ objects (vectors, strings) alive while it plans statements and reads catalogs.
// A PostgreSQL ERROR must not longjmp over them, so every such call runs through
// pga_pg_subxact(): inside an internal subtransaction (rolled back on error, like a PL/pgSQL
// exception block), with the error turned into a C++ PgError that unwinds normally. The
// SQL-callable entry point turns it back into a PostgreSQL error (pga_sql_call). A query cancel
// or termination becomes a PgInterrupt instead, which callers that tolerate a failed step do
// not catch.
//
// The function passed in must be plain PostgreSQL work: no C++ object with a destructor, no
// code that throws. Include after postgres.h; the file must include <exception> first.
#pragma once

extern "C" {
#include "access/xact.h"
#include "utils/elog.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
}

#include "pg/boundary/protect.h"

// No subtransaction can start during a parallel operation (BeginInternalSubTransaction raises
// an ERROR there, which would longjmp over the caller's C++ frames): refused first, as a C++
// error. Functions that use subtransactions are declared PARALLEL UNSAFE; this keeps a wrong
// declaration from ever doing harm.
static inline void pga_require_serial(void) {
    if (IsInParallelMode())
        throw PgError::make(ERRCODE_INVALID_TRANSACTION_STATE,
                            "pg_advisor cannot run during a parallel operation");
}

// The error being handled, as a PgError; whether it must propagate (pga_error_must_propagate).
// Call in a PG_CATCH block, in a memory context that outlives it; flushes the error state.
static inline bool pga_take_error(PgError *error) {
    ErrorData *edata = CopyErrorData();
    FlushErrorState();
    error->sqlerrcode = edata->sqlerrcode;
    pga_copy_message(error->message, sizeof error->message,
                     edata->message ? edata->message : "unknown error");
    if (edata->detail) pga_copy_message(error->detail, sizeof error->detail, edata->detail);
    bool propagate = pga_error_must_propagate(edata);
    FreeErrorData(edata);
    return propagate;
}

// PostgreSQL calls that start or end the subtransactions themselves (and so cannot run inside
// one): an ERROR becomes a PgError that the SQL function's boundary raises again, aborting
// the transaction as the ERROR would have.
template <class Fn>
static inline void pga_pg_call(Fn &&fn) {
    MemoryContext cxt = CurrentMemoryContext;
    PgError error;
    volatile bool failed = false;
    volatile bool interrupted = false;
    PG_TRY();
    { fn(); }
    PG_CATCH();
    {
        MemoryContextSwitchTo(cxt);
        interrupted = pga_take_error(&error);
        failed = true;
    }
    PG_END_TRY();
    if (interrupted) throw PgInterrupt{error};
    if (failed) throw error;
}

template <class Fn>
static inline void pga_pg_subxact(Fn &&fn) {
    pga_require_serial();
    MemoryContext oldcxt = CurrentMemoryContext;
    ResourceOwner oldowner = CurrentResourceOwner;
    PgError error;
    volatile bool failed = false;
    volatile bool interrupted = false;
    pga_pg_call([] { BeginInternalSubTransaction(NULL); });
    MemoryContextSwitchTo(oldcxt);  // results outlive the subtransaction
    PG_TRY();
    {
        fn();
        ReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(oldcxt);
        CurrentResourceOwner = oldowner;
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(oldcxt);
        interrupted = pga_take_error(&error);
        RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(oldcxt);
        CurrentResourceOwner = oldowner;
        failed = true;
    }
    PG_END_TRY();
    if (interrupted) throw PgInterrupt{error};  // cancel / termination: never tolerated
    if (failed) throw error;
}
