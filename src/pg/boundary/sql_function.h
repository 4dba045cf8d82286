// The one way pg_advisor declares a SQL-callable function:
//
//     PGA_SQL_FUNCTION(pg_advisor_reset, "advisor.reset")
//     {
//         ... body, a C++ function of FunctionCallInfo fcinfo returning Datum ...
//     }
//
// The body runs behind the error boundary (pga_sql_call(): a C++ exception becomes an ERROR
// raised after the C++ frames are left) and behind the re-entrancy guard: pg_advisor's SQL
// functions are not re-entrant. The index advisor plans captured statements, and planning can
// run user functions (constant folding of IMMUTABLE / STABLE calls); such a function calling
// back into any advisor function gets a clear error instead of a nested run that would walk
// state the outer run is iterating.
//
// Include after postgres.h; the including file must include <exception> before postgres.h.
#pragma once

extern "C" {
#include "fmgr.h"
#include "miscadmin.h"
}

#include "pg/boundary/protect.h"
#include "pg/compat.h"
#include "pg/guc.h"

// Raises the re-entrancy error: `function` was called while `pga_active_function` runs.
void pga_reentered(const char *function) pg_attribute_noreturn();

template <class Impl>
static inline Datum pga_advisor_call(const char *function, FunctionCallInfo fcinfo, Impl impl) {
    if (pga_active_function != NULL) pga_reentered(function);
    check_stack_depth();
    volatile Datum result = (Datum)0;
    pga_active_function = function;
    pga_advisor_called = true;
    PG_TRY();
    {
        result = pga_sql_call(function, [&] { return impl(fcinfo); });
    }
    PG_FINALLY();
    { pga_active_function = NULL; }
    PG_END_TRY();
    return result;
}

#define PGA_SQL_FUNCTION(name, sql_name)                        \
    static Datum name##_impl(FunctionCallInfo fcinfo);          \
    extern "C" {                                                \
    PGA_FUNCTION(name);                                         \
    }                                                           \
    Datum name(PG_FUNCTION_ARGS) {                              \
        return pga_advisor_call(sql_name, fcinfo, name##_impl); \
    }                                                           \
    static Datum name##_impl(FunctionCallInfo fcinfo)
