// The boundary between pg_advisor's C++ and PostgreSQL, in both directions.
//
// - pga_run_protected(): capture code called from a hook. Nothing may escape into the user's
//   statement: a C++ exception or a PostgreSQL ERROR raised inside skips recording of this
//   statement, is counted, and is logged once per backend. Query cancel and shutdown requests
//   are re-raised: they are the user's, not ours.
// - pga_run_cpp_only(): the same for capture code that calls nothing of PostgreSQL's that can
//   raise (it protects those calls itself): C++ exceptions only, no sigsetjmp.
// - pga_sql_call(): SQL-callable functions. A C++ exception is caught, its message copied out of
//   the handler, and raised as a PostgreSQL ERROR after the try block has been left.
//
// Code run inside either must not keep an object with a non-trivial destructor alive across a
// PostgreSQL call that can raise (longjmp skips destructors).
// Include after postgres.h; the including file must include <exception> before postgres.h.
#pragma once

extern "C" {
#include "utils/elog.h"
#include "utils/memutils.h"
}

// A PostgreSQL error carried through C++ frames as an exception (see pg_guard.h).
struct PgError : public std::exception {
    int sqlerrcode = 0;
    char message[1024];
    char detail[512];
    PgError() {
        message[0] = '\0';
        detail[0] = '\0';
    }
    const char *what() const noexcept override { return message; }
    // An error of pg_advisor's own, raised as ERROR with this code (0: internal error) when it
    // reaches a SQL function's boundary.
    static PgError make(int code, const char *text) {
        PgError e;
        e.sqlerrcode = code;
        size_t n = strlen(text);
        if (n >= sizeof e.message) n = sizeof e.message - 1;  // ASCII texts of ours
        memcpy(e.message, text, n);
        e.message[n] = '\0';
        return e;
    }
};

// A query cancel, termination request or other operator intervention that arrived while C++
// frames were on the stack (see pg_guard.h). Deliberately not a PgError and not a
// std::exception: code that tolerates a failed planning step must not swallow it; only the
// boundaries below catch it, to raise it again.
struct PgInterrupt {
    PgError error;
};

// Copies a message into a fixed buffer, cut at a character boundary of the database encoding
// (never in the middle of a multibyte character).
void pga_copy_message(char *dst, size_t cap, const char *src);

// A piece of user input quoted in a message: at most `max_bytes` (cut at a character
// boundary, "..." appended when cut), palloc'd.
char *pga_clip_input(const char *input, int max_bytes = 64);

// Counts a statement that could not be recorded and logs the first one of this backend.
void pga_capture_failed(const char *what, const char *detail);

// True for errors pg_advisor must never swallow (cancel, termination, FATAL).
bool pga_error_must_propagate(const ErrorData *edata);

// What a C++ exception that left capture code said, copied out of its handler.
struct PgaCppFailure {
    bool failed = false;       // a C++ exception: the statement is not recorded
    bool interrupted = false;  // a PgInterrupt: raised again once the boundary is left
    int code = 0;
    char message[sizeof(PgError::message)];
};

// Runs fn, catching into *f whatever C++ exception leaves it.
template <class Fn>
static inline void pga_catch_cpp(Fn &&fn, PgaCppFailure *f) {
    try {
        fn();
    } catch (const PgInterrupt &i) {
        pga_copy_message(f->message, sizeof f->message, i.error.message);
        f->code = i.error.sqlerrcode;
        f->interrupted = true;
    } catch (const std::exception &e) {
        pga_copy_message(f->message, sizeof f->message, e.what());
        f->failed = true;
    } catch (...) {
        pga_copy_message(f->message, sizeof f->message, "unknown C++ exception");
        f->failed = true;
    }
}

// Once out of the boundary: an interrupt is raised again, a C++ failure counted and logged.
void pga_report_cpp_failure(const char *what, const PgaCppFailure &f);
static inline void pga_after_cpp(const char *what, const PgaCppFailure &f) {
    if (unlikely(f.failed || f.interrupted)) pga_report_cpp_failure(what, f);
}

template <class Fn>
static inline void pga_run_protected(const char *what, Fn &&fn) {
    MemoryContext oldcxt = CurrentMemoryContext;
    // Set only on the path that leaves PG_TRY normally (a C++ handler raises nothing).
    PgaCppFailure failure;
    PG_TRY();
    { pga_catch_cpp(fn, &failure); }
    PG_CATCH();
    {
        MemoryContextSwitchTo(oldcxt);
        ErrorData *edata = CopyErrorData();
        if (pga_error_must_propagate(edata)) {
            FreeErrorData(edata);
            PG_RE_THROW();
        }
        FlushErrorState();
        pga_capture_failed(what, edata->message);
        FreeErrorData(edata);
    }
    PG_END_TRY();
    pga_after_cpp(what, failure);
}

// Capture code that calls nothing of PostgreSQL's that can raise an ERROR (what of it can, it
// wraps in pga_run_protected itself): only C++ exceptions can leave it, and they are handled
// as pga_run_protected handles them, without its sigsetjmp (nothing is paid unless one is
// thrown). For the per-execution path, whose rare slow parts are protected one by one.
template <class Fn>
static inline void pga_run_cpp_only(const char *what, Fn &&fn) {
    PgaCppFailure failure;
    pga_catch_cpp(fn, &failure);
    pga_after_cpp(what, failure);
}

template <class Fn>
static inline Datum pga_sql_call(const char *function, Fn &&fn) {
    char message[1024];
    char detail[512];
    int sqlerrcode = 0;
    bool failed = false;
    Datum result = (Datum)0;
    detail[0] = '\0';
    try {
        result = fn();
    } catch (const PgInterrupt &i) {
        pga_copy_message(message, sizeof message, i.error.message);
        sqlerrcode = i.error.sqlerrcode;
        failed = true;
    } catch (const PgError &e) {
        // A PostgreSQL error raised under pga_pg_subxact: re-raise it as it was.
        pga_copy_message(message, sizeof message, e.message);
        pga_copy_message(detail, sizeof detail, e.detail);
        sqlerrcode = e.sqlerrcode;
        failed = true;
    } catch (const std::exception &e) {
        pga_copy_message(message, sizeof message, e.what());
        failed = true;
    } catch (...) {
        pga_copy_message(message, sizeof message, "unknown C++ exception");
        failed = true;
    }
    if (failed && sqlerrcode != 0)
        ereport(ERROR, (errcode(sqlerrcode), errmsg("%s", message),
                        detail[0] ? errdetail("%s", detail) : 0));
    if (failed)
        ereport(ERROR,
                (errcode(ERRCODE_INTERNAL_ERROR), errmsg("%s failed: %s", function, message)));
    return result;
}
