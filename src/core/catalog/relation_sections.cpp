// Snapshot sections of the relation family (see catalog/snapshot_sql.h).
#include "core/catalog/snapshot_sql.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::catalog {

const std::vector<SnapshotSection> &relation_sections() {
    static const std::vector<SnapshotSection> sections = {};
    return sections;
}

}  // namespace pg_advisor::catalog
