// Every difference between the PostgreSQL majors pg_advisor supports (14 to 18) lives here.
// Include after postgres.h. Code elsewhere uses only the PGA_* names defined below.
#pragma once

#if PG_VERSION_NUM < 140000
#error \
    "pg_advisor needs PostgreSQL 14 or later (query identifiers in core, JumbleState in post_parse_analyze_hook)"
#elif PG_VERSION_NUM >= 190000
#error \
    "pg_advisor has not been ported to this PostgreSQL major yet: add its hook signatures to src/pg/compat.h (supported: 14 to 18)"
#endif

extern "C" {
#if PG_VERSION_NUM >= 160000
#include "nodes/queryjumble.h"
#else
#include "utils/queryjumble.h"
#endif
#if PG_VERSION_NUM >= 150000
#include "common/pg_prng.h"
#endif
}

// ---- Query identifiers: uint64 up to 17, int64 from 18.
#if PG_VERSION_NUM >= 180000
typedef int64 pga_queryid_t;
#else
typedef uint64 pga_queryid_t;
#endif
static inline uint64 pga_queryid(pga_queryid_t id) {
    return (uint64)id;
}

// ---- The server's query jumble: takes the query text up to 15.
#if PG_VERSION_NUM >= 160000
#define PGA_JUMBLE_QUERY(query, source) JumbleQuery(query)
#else
#define PGA_JUMBLE_QUERY(query, source) JumbleQuery(query, source)
#endif

// ---- Monotonic clock readings (instr_time) in nanoseconds: a struct timespec up to 15, int64
// nanoseconds from 16.
extern "C" {
#include "portability/instr_time.h"
}
#if PG_VERSION_NUM >= 160000
#define PGA_INSTR_TIME_NS(t) ((int64)INSTR_TIME_GET_NANOSEC(t))
#elif defined(WIN32)
#define PGA_INSTR_TIME_NS(t) ((int64)(INSTR_TIME_GET_DOUBLE(t) * 1e9))
#else
#define PGA_INSTR_TIME_NS(t) ((int64)(t).tv_sec * 1000000000 + (int64)(t).tv_nsec)
#endif

// ---- This backend's local transaction id: MyProc->lxid up to 16, MyProc->vxid.lxid from 17
// (needs storage/proc.h).
#if PG_VERSION_NUM >= 170000
#define PGA_LOCAL_XID() (MyProc->vxid.lxid)
#else
#define PGA_LOCAL_XID() (MyProc->lxid)
#endif

// ---- ExecutorRun lost its execute_once argument in 18.
#if PG_VERSION_NUM >= 180000
#define PGA_EXECUTOR_RUN_PARAMS QueryDesc *queryDesc, ScanDirection direction, uint64 count
#define PGA_EXECUTOR_RUN_ARGS queryDesc, direction, count
#else
#define PGA_EXECUTOR_RUN_PARAMS \
    QueryDesc *queryDesc, ScanDirection direction, uint64 count, bool execute_once
#define PGA_EXECUTOR_RUN_ARGS queryDesc, direction, count, execute_once
#endif

// ---- post_parse_analyze_hook takes a JumbleState (14+); it is const in 19-dev.
#define PGA_POST_PARSE_PARAMS ParseState *pstate, Query *query, JumbleState *jstate
#define PGA_POST_PARSE_ARGS pstate, query, jstate

// ---- ProcessUtility_hook: same signature 14..18 (readOnlyTree since 14).
#define PGA_PROCESS_UTILITY_PARAMS                                                                 \
    PlannedStmt *pstmt, const char *queryString, bool readOnlyTree, ProcessUtilityContext context, \
        ParamListInfo params, QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc
#define PGA_PROCESS_UTILITY_ARGS \
    pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc

// ---- Shared memory requests: shmem_request_hook exists from 15; 14 requests in _PG_init.
#if PG_VERSION_NUM >= 150000
#define PGA_HAVE_SHMEM_REQUEST_HOOK 1
#else
#define PGA_HAVE_SHMEM_REQUEST_HOOK 0
#endif

// ---- Random numbers for sampling.
static inline double pga_random_fraction(void) {
#if PG_VERSION_NUM >= 150000
    // 53 random bits scaled by a constant: pg_prng_double() computes the same with ldexp().
    return (double)(pg_prng_uint64(&pg_global_prng_state) >> 11) * (1.0 / 9007199254740992.0);
#else
    return (double)random() / ((double)MAX_RANDOM_VALUE + 1.0);
#endif
}

// ---- Reserving the GUC prefix.
#if PG_VERSION_NUM >= 150000
#define PGA_RESERVE_GUC_PREFIX(prefix) MarkGUCPrefixReserved(prefix)
#else
#define PGA_RESERVE_GUC_PREFIX(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

// ---- Set-returning functions materialised in one call; scalar = a SETOF of one base type
// (the tuple descriptor is then the one the executor expects).
#if PG_VERSION_NUM >= 150000
#define PGA_INIT_MATERIALIZED_SRF(fcinfo, scalar) \
    InitMaterializedSRF(fcinfo, (scalar) ? MAT_SRF_USE_EXPECTED_DESC : 0)
#else
extern "C" {
#include "miscadmin.h"
#include "utils/tuplestore.h"
}
static inline void pga_init_materialized_srf_14(FunctionCallInfo fcinfo, bool scalar) {
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    TupleDesc tupdesc;
    if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) || !(rsinfo->allowedModes & SFRM_Materialize))
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("set-valued function called in context that cannot accept a set")));
    MemoryContext old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
    if (scalar) {
        if (rsinfo->expectedDesc == NULL)
            ereport(ERROR,
                    (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                     errmsg("set-valued function called in context that cannot accept a set")));
        tupdesc = rsinfo->expectedDesc;
    } else if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE) {
        elog(ERROR, "return type must be a row type");
    }
    rsinfo->setDesc = CreateTupleDescCopy(tupdesc);
    rsinfo->setResult = tuplestore_begin_heap(true, false, work_mem);
    rsinfo->returnMode = SFRM_Materialize;
    MemoryContextSwitchTo(old);
}
#define PGA_INIT_MATERIALIZED_SRF(fcinfo, scalar) pga_init_materialized_srf_14(fcinfo, scalar)
#endif

// ---- Module magic with name and version (18+).
#ifdef PG_MODULE_MAGIC_EXT
#define PGA_MODULE_MAGIC PG_MODULE_MAGIC_EXT(.name = "pg_advisor", .version = "0.1.0")
#else
#define PGA_MODULE_MAGIC PG_MODULE_MAGIC
#endif

// PGDLLEXPORT is defined by the Makefile as visibility("default") (c.h leaves it empty
// before 16 on ELF), so PG_FUNCTION_INFO_V1, PG_MODULE_MAGIC and _PG_init stay exported
// although the module is compiled with -fvisibility=hidden.

// ---- "schema.name" with quoting, as the server reads qualified names: a soft-error context
//      argument from 16 (NULL: raise).
#if PG_VERSION_NUM >= 160000
#define PGA_QUALIFIED_NAME_LIST(s) stringToQualifiedNameList((s), NULL)
#else
#define PGA_QUALIFIED_NAME_LIST(s) stringToQualifiedNameList(s)
#endif

// ---- Tree walkers: untyped callbacks (bool (*)()) before 16, typed from 16.
#if PG_VERSION_NUM >= 160000
#define PGA_WALKER(fn) (fn)
#define PGA_PLANSTATE_WALKER(fn) (fn)
#define PGA_MUTATOR(fn) (fn)
#else
// (Cast through void (*)(): the documented way to silence -Wcast-function-type.)
#define PGA_WALKER(fn) (reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(fn)))
#define PGA_PLANSTATE_WALKER(fn) PGA_WALKER(fn)
#define PGA_MUTATOR(fn) (reinterpret_cast<Node *(*)()>(reinterpret_cast<void (*)()>(fn)))
#endif

// ---- SQL-callable functions: PG_FUNCTION_INFO_V1 exports the function itself only from 16.
#define PGA_FUNCTION(name)     \
    PG_FUNCTION_INFO_V1(name); \
    PGDLLEXPORT Datum name(PG_FUNCTION_ARGS)

// ---- Parse analysis with parameter types inferred from the statement.
#if PG_VERSION_NUM >= 150000
#define PGA_PARSE_ANALYZE_VARPARAMS(raw, sql, types, ntypes) \
    parse_analyze_varparams(raw, sql, types, ntypes, NULL)
#else
#define PGA_PARSE_ANALYZE_VARPARAMS(raw, sql, types, ntypes) \
    parse_analyze_varparams(raw, sql, types, ntypes)
#endif

// ---- Permission checks of a planned statement's range table: RTEPermissionInfo from 16.
#if PG_VERSION_NUM >= 160000
#define PGA_CHECK_PLAN_PERMISSIONS(stmt, ereport) \
    ExecCheckPermissions((stmt)->rtable, (stmt)->permInfos, ereport)
#else
#define PGA_CHECK_PLAN_PERMISSIONS(stmt, ereport) ExecCheckRTPerms((stmt)->rtable, ereport)
#endif

// ---- IndexOptInfo.amcostestimate: an untyped function pointer before 16.
#if PG_VERSION_NUM >= 160000
#define PGA_AMCOSTESTIMATE(fn) (fn)
#else
#define PGA_AMCOSTESTIMATE(fn) (reinterpret_cast<void (*)()>(fn))
#endif

// ---- A_Const: a Value struct (T_Null for NULL) up to 14, a union with isnull from 15.
#if PG_VERSION_NUM >= 150000
#define PGA_ACONST_ISNULL(c) ((c)->isnull)
#else
#define PGA_ACONST_ISNULL(c) (nodeTag(&(c)->val) == T_Null)
#endif
#define PGA_ACONST_VALUE(c) ((Node *)&(c)->val)

// ---- AlterTableStmt's object type: `relkind` up to 13, `objtype` since 14.
#define PGA_ALTER_TABLE_OBJTYPE(s) ((s)->objtype)

// ---- A Float node's text: `fval` from 15, the Value's `str` before.
#if PG_VERSION_NUM >= 150000
#define PGA_FLOAT_STR(v) (castNode(Float, (Node *)(v))->fval)
#else
#define PGA_FLOAT_STR(v) strVal(v)
#endif
