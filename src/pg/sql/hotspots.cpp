// SQL function behind advisor.seq_scan_hotspots (the view adds the pg_stat_all_tables
// cross-check).
#include <cmath>
#include <exception>
#include <string>
#include <vector>

#include "core/indexes/seq_scan_hotspots.h"

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"
}

#include "pg/compat.h"
#include "pg/indexes/index_advisor.h"
#include "pg/boundary/pg_guard.h"
#include "pg/boundary/protect.h"
#include "pg/boundary/sql_function.h"
#include "pg/shmem/shared_state.h"
#include "pg/sql/support.h"

using namespace pg_advisor;

static constexpr int kHotspotColumns = 10;

PGA_SQL_FUNCTION(pg_advisor_seq_scan_hotspots, "advisor.seq_scan_hotspots") {
    pga_require_shared_state();
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, kHotspotColumns, "advisor.seq_scan_hotspots");
    {
        std::vector<Hotspot> hotspots;
        double workload_ms = 0;
        pga_seq_scan_hotspots(hotspots, &workload_ms);
        pga_pg_subxact([&] {
            for (const Hotspot &h : hotspots) {
                Datum values[kHotspotColumns];
                bool nulls[kHotspotColumns];
                memset(nulls, 0, sizeof nulls);
                int c = 0;
                values[c++] = ObjectIdGetDatum(h.relid);
                values[c++] = Int64GetDatum((int64)std::llround(h.seq_scans));
                values[c++] = Int64GetDatum((int64)std::llround(h.rows_scanned));
                values[c++] = Int64GetDatum((int64)std::llround(h.rows_returned));
                values[c++] = Float8GetDatum(h.filter_ratio);
                values[c++] = Float8GetDatum(h.total_ms);
                values[c++] = Float8GetDatum(workload_ms > 0 ? h.total_ms / workload_ms : 0);
                Datum *quals = static_cast<Datum *>(palloc(sizeof(Datum) * (h.quals.size() + 1)));
                for (size_t i = 0; i < h.quals.size(); i++)
                    quals[i] = CStringGetTextDatum(h.quals[i].c_str());
                values[c++] = pga_text_array_datums(quals, (int)h.quals.size());
                int64 *ids = static_cast<int64 *>(palloc(sizeof(int64) * (h.queryids.size() + 1)));
                for (size_t i = 0; i < h.queryids.size(); i++)
                    ids[i] = (int64)h.queryids[i];
                values[c++] = pga_int8_array(ids, (int)h.queryids.size());
                values[c++] = BoolGetDatum(h.measured);
                tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
            }
        });
    }
    return (Datum)0;
}
