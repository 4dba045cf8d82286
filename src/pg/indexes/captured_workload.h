// The captured workload of the current database as the index advisor and the hotspot finder
// read it: statements (merged over users by query id, each remembering the role that ran it
// most), their scans per table (partitions mapped to their roots, dropped relations and
// columns left out), the constants their plans compared columns with, and rows written per
// table. Only statements the reading role may see (pg_stat_statements' rule).
//
// C++ containers live across PostgreSQL calls here: every PostgreSQL call goes through
// pga_pg_subxact(). Include after postgres.h.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/indexes/index_candidates.h"
#include "core/sql/tracked_literals.h"
#include "core/workload/shape_cache.h"

struct PgaStatement {
    double calls = 0;
    double total_ms = 0;
    double max_ms = 0;
    double rows = 0;
    double literal_calls = -1;  // calls that sent their values inline (-1: none captured)
    uint32_t max_offset = 0;    // the deepest OFFSET an execution skipped
    uint8_t command = 0;        // CommandKind
    std::string text;
    bool toplevel_text = false;
    Oid role = InvalidOid;  // the role that ran it most: it is planned as that role
    double role_calls = 0;
    TimestampTz first_seen = 0, last_seen = 0;
    std::string application_name, tags;  // of its last execution (tags serialised)
    bool stale = false;                  // a relation or column its plan read is gone
    // Its first literals (PatternEntry::literal_first): the values first seen, merged over
    // users, and which have varied.
    uint32_t literal_first[pg_advisor::kTrackedLiterals] = {};
    uint32_t literal_varied = 0;
    bool literals_seen = false;
    // Whether the constant of a captured qual (Qual::literal) is a setting of the statement:
    // written in its text, or a literal that kept its value over the recurring executions.
    bool recurring_literal(uint16_t literal, double min_executions) const;
    std::vector<uint32_t> relations;  // partition roots its captured plan read
};

// A constant a statement's plan compared a column with (partition root numbering), to plan the
// normalised text as it ran instead of with default selectivities.
struct PgaExample {
    uint32_t relid;
    int16_t attnum;
    uint32_t opno;
    std::string value;
};
struct PgaExamples {
    std::vector<PgaExample> values;
    int64_t limit = -1;
};

// Partition -> root, with the root's number for each column (0: dropped or absent).
struct PgaRelMap {
    bool exists = false;
    Oid root = InvalidOid;
    std::vector<int16_t> attmap;
    std::vector<std::string> names;  // by this relation's attnum: the root's column name
    int16_t map(int16_t a) const {
        if (a <= 0) return a;
        return a < static_cast<int16_t>(attmap.size()) ? attmap[a] : 0;
    }
    // The name of this relation's column a ("" when dropped).
    std::string_view name(int16_t a) const {
        return a > 0 && a < static_cast<int16_t>(names.size()) ? std::string_view(names[a])
                                                               : std::string_view();
    }
};

class PgaCapturedWorkload {
  public:
    // Reads the pattern and shape stores (copies, under their shared locks).
    void read();

    std::map<uint64_t, PgaStatement> statements;
    std::map<uint32_t, double> rows_written;  // per table (partition root)
    std::map<uint64_t, PgaExamples> examples;
    int64_t earliest = 0;  // first_seen of the oldest statement

    // Scans of every captured statement of this database, per table (root), as candidate
    // input; examples and rows written are filled on the way.
    std::map<uint32_t, std::vector<pg_advisor::ScanUse>> scans_per_table();
    // The scans of one shape blob (the ad-hoc statement's: statement null, its constants are
    // the statement as asked about).
    void add_scans(std::string_view blob, uint64_t queryid, double calls,
                   std::map<uint32_t, std::vector<pg_advisor::ScanUse>> &uses,
                   PgaExamples *examples, PgaStatement *statement);
    const PgaRelMap &rel_map(uint32_t relid);
    // The captured shapes (every database's; entries carry their dbid).
    pg_advisor::ShapeStore::Snapshot shapes() const {
        return pg_advisor::ShapeStore::Snapshot(shapes_, shapes_len_);
    }

    // Relations whose shapes the what-if cache depends on are reported here.
    void (*depend_on)(uint32_t relid) = nullptr;

  private:
    const char *shapes_ = nullptr;
    size_t shapes_len_ = 0;
    std::map<uint32_t, PgaRelMap> relmaps_;
};
