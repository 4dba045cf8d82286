// Snapshot sections of the cluster family (see catalog/snapshot_sql.h): schemas, roles,
// extensions, extra settings and database-wide counters here; functions, policies and triggers
// in object_sections.cpp; activity, prepared transactions, replication slots, checkpoints and
// pg_hba rules in activity_sections.cpp.
#include <string>

#include "core/catalog/cluster_family.h"
#include "core/catalog/snapshot_sql.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::catalog {

namespace cluster {

namespace {

// ---- schemas: owner, PUBLIC's CREATE and USAGE, system flag (temporary schemas left out)

std::string schemas_sql(int) {
    return "SELECT n.oid, n.nspname, pg_get_userbyid(n.nspowner), coalesce(r.rolsuper, false), "
           "EXISTS (SELECT 1 FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) x "
           "WHERE x.grantee = 0 AND x.privilege_type = 'CREATE'), "
           "EXISTS (SELECT 1 FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) x "
           "WHERE x.grantee = 0 AND x.privilege_type = 'USAGE'), "
           "n.nspname IN ('pg_catalog', 'information_schema', 'pg_toast'), "
           "EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass "
           "AND d.objid = n.oid AND d.deptype = 'e') OR EXISTS (SELECT 1 FROM pg_extension e "
           "WHERE e.extnamespace = n.oid AND NOT e.extrelocatable) "
           "FROM pg_namespace n LEFT JOIN pg_roles r ON r.oid = n.nspowner "
           "WHERE n.nspname !~ '^pg_(toast_)?temp_' ORDER BY n.nspname";
}

void load_schema(CatalogSnapshot &snap, const RowReader &r) {
    Schema s;
    s.oid = static_cast<uint32_t>(r.integer(0, 0));
    s.name = r.text(1);
    s.owner = r.text(2);
    s.owner_is_superuser = r.boolean(3);
    s.public_create = r.boolean(4);
    s.public_usage = r.boolean(5);
    s.system = r.boolean(6);
    s.extension_member = r.boolean(7);
    snap.schemas.push_back(std::move(s));
}

// ---- roles (predefined pg_* roles left out; they appear in member_of)

std::string roles_sql(int) {
    return "SELECT r.oid, r.rolname, r.rolsuper, r.rolcanlogin, r.rolbypassrls, "
           "r.rolcreaterole, r.rolconnlimit, CASE WHEN isfinite(r.rolvaliduntil) THEN "
           "extract(epoch FROM r.rolvaliduntil) END, "
           "ARRAY(SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
           "WHERE m.member = r.oid ORDER BY 1), r.rolconfig "
           "FROM pg_roles r WHERE r.rolname !~ '^pg_' ORDER BY r.rolname";
}

void load_role(CatalogSnapshot &snap, const RowReader &r) {
    Role role;
    role.oid = static_cast<uint32_t>(r.integer(0, 0));
    role.name = r.text(1);
    role.superuser = r.boolean(2);
    role.login = r.boolean(3);
    role.bypass_rls = r.boolean(4);
    role.create_role = r.boolean(5);
    role.connection_limit = static_cast<int>(r.integer(6, -1));
    role.valid_until = r.micros(7);
    role.member_of = r.text_array(8);
    role.config = r.text_array(9);
    snap.roles.push_back(std::move(role));
}

// ---- extensions: installed version against the package's default version

std::string extensions_sql(int) {
    return "SELECT e.extname, n.nspname, e.extversion, a.default_version, e.extrelocatable "
           "FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
           "LEFT JOIN pg_available_extensions a ON a.name = e.extname ORDER BY e.extname";
}

void load_extension(CatalogSnapshot &snap, const RowReader &r) {
    Extension e;
    e.name = r.text(0);
    e.schema = r.text(1);
    e.version = r.text(2);
    e.default_version = r.text(3);
    e.relocatable = r.boolean(4);
    snap.extensions.push_back(std::move(e));
}

// ---- settings the cluster family's rules read beyond the database section's list (raw
// pg_settings.setting, in pg_settings.unit)

std::string settings_sql(int) {
    return "SELECT name, setting FROM pg_settings WHERE name IN ('autovacuum_naptime', "
           "'autovacuum_vacuum_cost_delay', 'checkpoint_timeout', 'max_prepared_transactions', "
           "'max_slot_wal_keep_size', 'max_wal_size', 'vacuum_cost_limit', 'wal_level') "
           "ORDER BY name";
}

void load_setting(CatalogSnapshot &snap, const RowReader &r) {
    if (r.is_null(0)) r.fail(0, "a setting without a name");
    snap.database.settings[r.text(0)] = r.text(1);
}

// ---- database_usage: sessions (PG14+) and catalog size

std::string database_usage_sql(int version) {
    std::string sessions = version >= 140000
                               ? "(SELECT s.sessions FROM pg_stat_database s WHERE s.datname = "
                                 "current_database()), (SELECT s.session_time FROM "
                                 "pg_stat_database s WHERE s.datname = current_database())"
                               : "NULL, NULL";
    return "SELECT " + sessions +
           ", (SELECT count(*) FROM pg_class), "
           "(SELECT count(*) FROM pg_class WHERE relkind IN ('r', 'p'))";
}

void load_database_usage(CatalogSnapshot &snap, const RowReader &r) {
    Database &d = snap.database;
    d.sessions = r.integer(0);
    d.session_time_ms = r.number(1);
    d.relation_count = r.integer(2);
    d.table_count = r.integer(3);
}

}  // namespace

const SnapshotSection &schemas() {
    static const SnapshotSection s{"schemas", schemas_sql, load_schema, nullptr, nullptr};
    return s;
}

const SnapshotSection &roles() {
    static const SnapshotSection s{"roles", roles_sql, load_role, nullptr, nullptr};
    return s;
}

const SnapshotSection &extensions() {
    static const SnapshotSection s{"extensions", extensions_sql, load_extension, nullptr, nullptr};
    return s;
}

const SnapshotSection &settings() {
    static const SnapshotSection s{"settings", settings_sql, load_setting, nullptr, nullptr};
    return s;
}

const SnapshotSection &database_usage() {
    static const SnapshotSection s{"database_usage", database_usage_sql, load_database_usage,
                                   nullptr, nullptr};
    return s;
}

}  // namespace cluster

const std::vector<SnapshotSection> &cluster_sections() {
    static const std::vector<SnapshotSection> sections = {
        cluster::schemas(),           cluster::roles(),
        cluster::extensions(),        cluster::settings(),
        cluster::database_usage(),    cluster::functions(),
        cluster::policies(),          cluster::triggers(),
        cluster::activity(),          cluster::prepared_xacts(),
        cluster::replication_slots(), cluster::checkpoints(),
        cluster::hba_rules(),
    };
    return sections;
}

}  // namespace pg_advisor::catalog
