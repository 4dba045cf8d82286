// Snapshot sections of the cluster family for objects inside the database: functions, row
// security policies and triggers (see catalog/snapshot_sql.h and cluster_family.h).
#include <algorithm>
#include <string>

#include "core/catalog/cluster_family.h"
#include "core/catalog/relation_sections.h"
#include "core/catalog/snapshot_sql.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::catalog::cluster {

namespace {

// ---- functions of non-system schemas the reading role owns (or is a member of the owner) or
// may execute. One pass over pg_proc: extension membership through a hashed sub-select, grants
// from the function's own ACL.

std::string functions_sql(int version) {
    std::string sql_body = version >= 140000 ? "p.prosqlbody IS NOT NULL" : "false";
    // The argument types without names (what regprocedure prints, never qualified by the
    // schema of the function): a valid signature, unchanged when a parameter is renamed.
    return "SELECT p.oid, n.nspname, p.proname, oidvectortypes(p.proargtypes), "
           "l.lanname, pg_get_userbyid(p.proowner), p.prokind, p.provolatile, p.prosecdef, "
           "p.proconfig, EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, "
           "acldefault('f', p.proowner))) x WHERE x.grantee = 0 AND x.privilege_type = "
           "'EXECUTE'), "
           "p.oid IN (SELECT d.objid FROM pg_depend d WHERE d.classid = "
           "'pg_catalog.pg_proc'::regclass AND d.deptype = 'e'), "
           "ARRAY(SELECT DISTINCT pg_get_userbyid(x.grantee) FROM aclexplode(p.proacl) x "
           "WHERE x.privilege_type = 'EXECUTE' AND x.grantee <> 0 AND x.grantee <> p.proowner "
           "ORDER BY 1), " +
           sql_body +
           " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
           "JOIN pg_language l ON l.oid = p.prolang "
           "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
           "AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)' "
           "AND (pg_has_role(p.proowner, 'USAGE') OR has_function_privilege(p.oid, 'EXECUTE')) "
           "ORDER BY n.nspname, p.proname, p.oid";
}

void load_function(CatalogSnapshot &snap, const RowReader &r) {
    Function f;
    f.oid = static_cast<uint32_t>(r.integer(0, 0));
    f.schema = r.text(1);
    f.name = r.text(2);
    f.arguments = r.text(3);
    f.language = r.text(4);
    f.owner = r.text(5);
    f.kind = r.character(6, 'f');
    f.volatility = r.character(7, 'v');
    f.security_definer = r.boolean(8);
    f.config = r.text_array(9);
    f.public_execute = r.boolean(10);
    f.extension_member = r.boolean(11);
    f.execute_roles = r.text_array(12);
    f.sql_body = r.boolean(13);
    snap.functions.push_back(std::move(f));
}

// ---- policies of relations the role may see (relation_ctes()); roles as names, "public" for
// PUBLIC. pg_get_expr() opens the relation (ACCESS SHARE): the texts are read only when no DDL
// holds the table, so the review never waits behind it.

std::string policies_sql(int) {
    return relation_ctes() +
           "SELECT pol.polrelid, pol.polname, pol.polpermissive, pol.polcmd, "
           "ARRAY(SELECT CASE WHEN x.r = 0 THEN 'public' ELSE pg_get_userbyid(x.r) END "
           "FROM unnest(pol.polroles) AS x(r) ORDER BY 1), "
           "CASE WHEN lk.oid IS NULL THEN pg_get_expr(pol.polqual, pol.polrelid) END, "
           "CASE WHEN lk.oid IS NULL THEN pg_get_expr(pol.polwithcheck, pol.polrelid) END, "
           "lk.oid IS NULL "
           "FROM rel JOIN pg_policy pol ON pol.polrelid = rel.oid "
           "LEFT JOIN locked lk ON lk.oid = pol.polrelid ORDER BY pol.polrelid, pol.polname";
}

void load_policy(CatalogSnapshot &snap, const RowReader &r) {
    Policy p;
    p.table = static_cast<uint32_t>(r.integer(0, 0));
    p.name = r.text(1);
    p.permissive = r.boolean(2, true);
    p.command = r.character(3, '*');
    p.roles = r.text_array(4);
    p.using_expr = r.text(5);
    p.check_expr = r.text(6);
    p.texts_known = r.boolean(7, true);
    snap.policies.push_back(std::move(p));
}

// ---- user triggers (not the internal ones behind foreign keys) of relations the role may see

std::string triggers_sql(int) {
    return relation_ctes() +
           "SELECT t.tgrelid, t.tgname, t.tgenabled FROM rel "
           "JOIN pg_trigger t ON t.tgrelid = rel.oid WHERE NOT t.tgisinternal "
           "ORDER BY t.tgrelid, t.tgname";
}

void load_trigger(CatalogSnapshot &snap, const RowReader &r) {
    Trigger t;
    t.table = static_cast<uint32_t>(r.integer(0, 0));
    t.name = r.text(1);
    t.enabled = r.character(2, 'O');
    snap.triggers.push_back(std::move(t));
}

// Rows of relations the snapshot does not hold (the relation family did not load them, e.g.
// because they are in a system schema) are dropped, so every rule sees one consistent set.
template <class T>
void drop_unknown_tables(const CatalogSnapshot &snap, std::vector<T> &rows) {
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [&](const T &row) { return snap.table(row.table) == nullptr; }),
               rows.end());
}

void finish_policies(CatalogSnapshot &snap) {
    drop_unknown_tables(snap, snap.policies);
}

void finish_triggers(CatalogSnapshot &snap) {
    drop_unknown_tables(snap, snap.triggers);
}

}  // namespace

const SnapshotSection &functions() {
    static const SnapshotSection s{"functions", functions_sql, load_function, nullptr, nullptr};
    return s;
}

const SnapshotSection &policies() {
    static const SnapshotSection s{"policies", policies_sql, load_policy, finish_policies, nullptr};
    return s;
}

const SnapshotSection &triggers() {
    static const SnapshotSection s{"triggers", triggers_sql, load_trigger, finish_triggers,
                                   nullptr};
    return s;
}

}  // namespace pg_advisor::catalog::cluster
