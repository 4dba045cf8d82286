// The PostgreSQL side of the error boundary (protect.h, pg_guard.h): failure accounting for
// capture code, and which errors must never be swallowed.
#include <exception>

extern "C" {
#include "postgres.h"

#include "miscadmin.h"
#include "port/atomics.h"
}

#include "pg/boundary/protect.h"
#include "pg/shmem/shared_state.h"

static bool logged_failure = false;

void pga_capture_failed(const char *what, const char *detail) {
    if (pga_shared) pg_atomic_fetch_add_u64(&pga_shared->capture_failures, 1);
    if (logged_failure) return;
    logged_failure = true;
    ereport(LOG, (errmsg("pg_advisor: %s failed; this statement was not recorded", what),
                  errdetail_internal("%s", detail ? detail : "no detail"),
                  errhint("Statements keep running normally. Later failures of this session "
                          "are counted in advisor.capture_info, not logged.")));
}

bool pga_error_must_propagate(const ErrorData *edata) {
    return edata->elevel >= FATAL ||
           ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_OPERATOR_INTERVENTION ||
           ProcDiePending || QueryCancelPending;
}
