// Module entry point: pg_advisor works only when preloaded (it needs shared memory and hooks
// from server start). Loaded any other way it installs nothing, and every SQL function says
// how to enable it.
#include <exception>

#include "core/workload/query_pattern.h"
#include "core/workload/session_tracker.h"

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
}

#include "pg/compat.h"
#include "pg/capture/capture.h"
#include "pg/guc.h"
#include "pg/shmem/shared_state.h"
#include "pg/ddl/live_review.h"

extern "C" {
PGA_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);
}

void _PG_init(void) {
    if (!process_shared_preload_libraries_in_progress) return;

    pga_define_gucs();
    // Query ids: computed per statement shape by pg_advisor (query_id.h), or by the server
    // for every statement when asked.
    if (pga_query_ids == PGA_QUERY_IDS_CORE) EnableQueryId();
    pga_shmem_install();
    pga_ddl_install();
    pga_install_analyze_hook();
    pga_install_planner_hook();
    pga_install_executor_hooks();
    pga_install_utility_hook();
    pga_install_session_callbacks();
    pga_install_invalidation_callbacks();
}
