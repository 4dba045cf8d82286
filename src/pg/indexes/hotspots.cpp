// Seq-scan hotspots of the captured workload: relations that captured statements read
// sequentially while their filters discard most rows (core/indexes/seq_scan_hotspots.h).
// Catalog reads; a relation is opened only when its lock is free, and only for the call.
#include <exception>
#include <map>
#include <string>
#include <vector>

#include "core/indexes/seq_scan_hotspots.h"
#include "core/common/text_buffer.h"
#include "core/workload/scan_shape.h"
#include "core/workload/shape_cache.h"

extern "C" {
#include "postgres.h"

#include "access/transam.h"
#include "miscadmin.h"
#include "utils/lsyscache.h"
}

#include "pg/boundary/lock_scope.h"
#include "pg/boundary/pg_guard.h"
#include "pg/catalog/catalog_facts.h"
#include "pg/compat.h"
#include "pg/guc.h"
#include "pg/indexes/captured_workload.h"
#include "pg/indexes/index_advisor.h"

using namespace pg_advisor;

namespace {

// "customer_id eq param": the qual as the hotspot lists it; "" for a dropped column.
std::string qual_text(const ShapeView &view, const Qual &q, const PgaRelMap &rm) {
    std::string_view subject = view.expr(q);
    if (q.attnum > 0) {
        subject = rm.name(q.attnum);
        if (subject.empty()) return "";
    }
    std::string buf(subject.size() + 40, '\0');
    TextBuffer text(buf.data(), buf.size());
    describe_qual(text, subject, q);
    return std::string(text.view());
}

HotspotScan hotspot_scan(const ShapeEntry &e, size_t s, const PgaStatement &st,
                         const ScanRecord &scan) {
    HotspotScan hs;
    hs.queryid = e.key.queryid;
    hs.calls = st.calls;
    hs.total_ms = st.total_ms;
    hs.est_rows = scan.est_rows;
    if (s < ShapeEntry::kMaxCountedScans && e.sampled_execs > 0) {
        hs.sampled_execs = static_cast<double>(e.sampled_execs);
        hs.sampled_loops = static_cast<double>(e.scans[s].loops);
        hs.sampled_scanned = static_cast<double>(e.scans[s].rows_scanned);
        hs.sampled_returned = static_cast<double>(e.scans[s].rows_returned);
    }
    return hs;
}

}  // namespace

void pga_seq_scan_hotspots(std::vector<Hotspot> &out, double *workload_ms,
                           PgaCapturedWorkload *workload) {
    PgaCapturedWorkload own;
    if (workload == nullptr) own.read();
    PgaCapturedWorkload &w = workload != nullptr ? *workload : own;
    *workload_ms = 0;
    for (const auto &entry : w.statements)
        *workload_ms += entry.second.total_ms;
    std::map<uint32_t, std::vector<HotspotScan>> scans;
    ShapeStore::Snapshot shapes = w.shapes();
    for (uint32_t i = 0; i < shapes.count(); i++) {
        ShapeEntry e = shapes.entry(i);
        if (e.key.dbid != MyDatabaseId) continue;
        auto it = w.statements.find(e.key.queryid);
        if (it == w.statements.end() || it->second.calls <= 0) continue;
        ShapeView view(shapes.blob(i));
        if (!view.valid()) continue;
        for (size_t s = 0; s < view.nscans(); s++) {
            ScanRecord scan = view.scan(s);
            if (static_cast<ScanType>(scan.scan_type) != ScanType::SeqScan ||
                scan.relid < FirstNormalObjectId)
                continue;
            const PgaRelMap &rm = w.rel_map(scan.relid);
            if (!rm.exists) continue;  // dropped since it was captured
            HotspotScan hs = hotspot_scan(e, s, it->second, scan);
            for (size_t j = 0; j < scan.nquals; j++) {
                std::string text = qual_text(view, view.qual(scan, j), rm);
                if (!text.empty()) hs.quals.push_back(std::move(text));
            }
            scans[rm.root].push_back(std::move(hs));
        }
    }
    HotspotLimits limits;
    limits.min_table_rows = pga_min_table_rows;
    limits.min_filter_ratio = pga_hotspot_min_filter_pct / 100.0;
    pga_with_released_locks([&] {
        for (auto &[relid, list] : scans) {
            double rows = 0;
            try {
                pga_pg_subxact([&] { rows = pga_table_rows(relid); });
            } catch (const PgError &) {
                continue;  // dropped meanwhile
            }
            Hotspot h;
            if (compute_hotspot(relid, rows, list, limits, &h)) out.push_back(std::move(h));
        }
    });
}
