// The sections of the cluster family (catalog/snapshot_sql.h), one accessor each; the family's
// load order is cluster_sections() in cluster_sections.cpp. Internal to catalog/.
#pragma once

#include "core/catalog/snapshot_sql.h"

namespace pg_advisor::catalog::cluster {

// cluster_sections.cpp: the database around the tables.
const SnapshotSection &schemas();
const SnapshotSection &roles();
const SnapshotSection &extensions();
const SnapshotSection &settings();  // settings beyond the database section's list
const SnapshotSection &database_usage();

// object_sections.cpp: objects that belong to tables or schemas.
const SnapshotSection &functions();
const SnapshotSection &policies();
const SnapshotSection &triggers();

// activity_sections.cpp: what the server is doing now, and how clients may connect.
const SnapshotSection &activity();
const SnapshotSection &prepared_xacts();
const SnapshotSection &replication_slots();
const SnapshotSection &checkpoints();
const SnapshotSection &hba_rules();

// Policies and triggers read only relations the relation family reads (relation_ctes() in
// relation_sections.h); rows of relations it did not load are dropped by the finish steps.

}  // namespace pg_advisor::catalog::cluster
