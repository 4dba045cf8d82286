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

template <class Fn>
static inline void pga_pg_subxact(Fn &&fn) {
    pga_require_serial();
    MemoryContext oldcxt = CurrentMemoryContext;
    ResourceOwner oldowner = CurrentResourceOwner;
    PgError error;
    volatile bool failed = false;
    volatile bool interrupted = false;
    BeginInternalSubTransaction(NULL);
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
        ErrorData *edata = CopyErrorData();
        FlushErrorState();
        RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(oldcxt);
        CurrentResourceOwner = oldowner;
        error.sqlerrcode = edata->sqlerrcode;
        pga_copy_message(error.message, sizeof error.message,
                         edata->message ? edata->message : "unknown error");
        if (edata->detail) pga_copy_message(error.detail, sizeof error.detail, edata->detail);
        interrupted = pga_error_must_propagate(edata);
        FreeErrorData(edata);
        failed = true;
    }
    PG_END_TRY();
    if (interrupted) throw PgInterrupt{error};  // cancel / termination: never tolerated
    if (failed) throw error;
}
