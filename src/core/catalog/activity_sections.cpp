// Snapshot sections of the cluster family for what the server is doing now: backends, prepared
// transactions, replication slots, checkpoints, and the pg_hba rules (see
// catalog/snapshot_sql.h and cluster_family.h).
#include <string>

#include "core/catalog/cluster_family.h"
#include "core/catalog/snapshot_sql.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::catalog::cluster {

namespace {

// ---- activity: pg_stat_activity as the server shows it to the reading role. The server hides
// other users' state, query and timings from roles without pg_read_all_stats (backend_type is
// then NULL too); the query keeps them hidden and says so instead of guessing.

std::string activity_sql(int) {
    return "SELECT a.pid, a.usename, a.datname, a.application_name, a.backend_type, a.state, "
           "a.wait_event_type, a.wait_event, CASE WHEN a.backend_type IS NOT NULL THEN a.query "
           "END, extract(epoch FROM a.backend_start), extract(epoch FROM a.xact_start), "
           "extract(epoch FROM a.query_start), extract(epoch FROM a.state_change), "
           "age(a.backend_xmin), age(a.backend_xid), s.ssl, a.client_port = -1, "
           "a.pid = pg_backend_pid(), a.backend_type IS NULL, "
           "CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) END, "
           "host(a.client_addr) FROM pg_stat_activity a LEFT JOIN pg_stat_ssl s ON s.pid = a.pid "
           "ORDER BY a.pid";
}

void load_activity(CatalogSnapshot &snap, const RowReader &r) {
    Activity a;
    a.pid = static_cast<int32_t>(r.integer(0, 0));
    a.user = r.text(1);
    a.database = r.text(2);
    a.application_name = r.text(3);
    a.backend_type = r.text(4);
    a.state = r.text(5);
    a.wait_event_type = r.text(6);
    a.wait_event = r.text(7);
    a.query = r.text(8);
    a.backend_start = r.micros(9);
    a.xact_start = r.micros(10);
    a.query_start = r.micros(11);
    a.state_change = r.micros(12);
    a.backend_xmin_age = r.integer(13);
    a.backend_xid_age = r.integer(14);
    a.ssl_known = !r.is_null(15);
    a.ssl = r.boolean(15);
    a.local = r.boolean(16);
    a.own = r.boolean(17);
    a.details_hidden = r.boolean(18);
    for (int64_t pid : r.int_array(19))
        a.blocked_by.push_back(static_cast<int32_t>(pid));
    a.client_addr = r.text(20);
    snap.activity.push_back(std::move(a));
}

// ---- prepared transactions (two-phase commit)

std::string prepared_xacts_sql(int) {
    return "SELECT gid, owner, database, extract(epoch FROM prepared), age(transaction) "
           "FROM pg_prepared_xacts ORDER BY prepared";
}

void load_prepared_xact(CatalogSnapshot &snap, const RowReader &r) {
    PreparedXact p;
    p.gid = r.text(0);
    p.owner = r.text(1);
    p.database = r.text(2);
    p.prepared = r.micros(3);
    p.xid_age = r.integer(4);
    snap.prepared_xacts.push_back(std::move(p));
}

// ---- replication slots; retained WAL only on a primary (no current LSN during recovery)

std::string replication_slots_sql(int) {
    return "SELECT slot_name, plugin, slot_type, database, active, temporary, age(xmin), "
           "age(catalog_xmin), wal_status, CASE WHEN NOT pg_is_in_recovery() AND restart_lsn "
           "IS NOT NULL THEN pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint END, "
           "safe_wal_size FROM pg_replication_slots ORDER BY slot_name";
}

void load_replication_slot(CatalogSnapshot &snap, const RowReader &r) {
    ReplicationSlot s;
    s.name = r.text(0);
    s.plugin = r.text(1);
    s.type = r.text(2);
    s.database = r.text(3);
    s.active = r.boolean(4);
    s.temporary = r.boolean(5);
    s.xmin_age = r.integer(6);
    s.catalog_xmin_age = r.integer(7);
    s.wal_status = r.text(8);
    s.retained_bytes = r.integer(9);
    s.safe_wal_size = r.integer(10);
    snap.replication_slots.push_back(std::move(s));
}

// ---- checkpoints: pg_stat_checkpointer from PG17, pg_stat_bgwriter before

std::string checkpoints_sql(int version) {
    if (version >= 170000)
        return "SELECT num_timed, num_requested, write_time, sync_time, "
               "extract(epoch FROM stats_reset) FROM pg_stat_checkpointer";
    return "SELECT checkpoints_timed, checkpoints_req, checkpoint_write_time, "
           "checkpoint_sync_time, extract(epoch FROM stats_reset) FROM pg_stat_bgwriter";
}

void load_checkpoints(CatalogSnapshot &snap, const RowReader &r) {
    Checkpoints &c = snap.checkpoints;
    c.present = true;
    c.timed = r.integer(0);
    c.requested = r.integer(1);
    c.write_ms = r.number(2);
    c.sync_ms = r.number(3);
    c.stats_reset = r.micros(4);
}

// ---- pg_hba rules (only when the database section found them readable); lines the server
// could not parse carry an error and no method, and are left out

std::string hba_rules_sql(int) {
    return "SELECT line_number, type, database, user_name, address, auth_method, netmask "
           "FROM pg_hba_file_rules WHERE error IS NULL ORDER BY line_number";
}

void load_hba_rule(CatalogSnapshot &snap, const RowReader &r) {
    HbaRule h;
    h.line = static_cast<int>(r.integer(0, 0));
    h.type = r.text(1);
    h.databases = r.text_array(2);
    h.users = r.text_array(3);
    h.address = r.text(4);
    h.auth_method = r.text(5);
    h.netmask = r.text(6);
    snap.hba_rules.push_back(std::move(h));
}

bool hba_readable(const CatalogSnapshot &snap) {
    return snap.database.hba_readable;
}

}  // namespace

const SnapshotSection &activity() {
    static const SnapshotSection s{"activity", activity_sql, load_activity, nullptr, nullptr};
    return s;
}

const SnapshotSection &prepared_xacts() {
    static const SnapshotSection s{"prepared_xacts", prepared_xacts_sql, load_prepared_xact,
                                   nullptr, nullptr};
    return s;
}

const SnapshotSection &replication_slots() {
    static const SnapshotSection s{"replication_slots", replication_slots_sql,
                                   load_replication_slot, nullptr, nullptr};
    return s;
}

const SnapshotSection &checkpoints() {
    static const SnapshotSection s{"checkpoints", checkpoints_sql, load_checkpoints, nullptr,
                                   nullptr};
    return s;
}

const SnapshotSection &hba_rules() {
    static const SnapshotSection s{"hba_rules", hba_rules_sql, load_hba_rule, nullptr,
                                   hba_readable};
    return s;
}

}  // namespace pg_advisor::catalog::cluster
