// The captured workload as the review rules read it (core/workload/workload_snapshot.h), from
// shared memory and the advisor runs, limited to what the calling role may see. C++ results:
// call from inside pga_sql_call(); PostgreSQL errors arrive as PgError. Include after
// postgres.h.
#pragma once

#include "core/workload/workload_snapshot.h"

void pga_read_workload_evidence(pg_advisor::workload::WorkloadSnapshot &out);
