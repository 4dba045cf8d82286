// Migration rules on partitions and table maintenance: MIG-26 partition_detach_not_concurrent,
// MIG-27 full_table_rewrite_maintenance.
#include "core/review/rules/migration_rules.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::migration {

using ddl::Action;
using ddl::LockMode;

void partition_detach_not_concurrent(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action != Action::DetachPartition || c.concurrently || no_risk(cx, c.target)) return;
    review::Finding f = cx.make("table", c.target.sql(), c.object);
    f.title =
        "Partition " + c.object + " detached from " + c.target.plain() + " without CONCURRENTLY";
    f.evidence.add("partition", c.object);
    describe_impact(f, cx, c.target, {LockMode::AccessExclusive, false, false, false});
    f.recommendation =
        "Detach with DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+), outside a transaction "
        "block: it takes SHARE UPDATE EXCLUSIVE on the parent.";
    f.fix_sql = "ALTER TABLE " + c.target.sql() + " DETACH PARTITION " + quoted(c.object) +
                " CONCURRENTLY;";
    f.steps = {"Run it on its own, outside BEGIN ... COMMIT.",
               "If it is interrupted, finish with ALTER TABLE ... DETACH PARTITION ... FINALIZE."};
    cx.add(std::move(f));
}

void full_table_rewrite_maintenance(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action != Action::VacuumFull && c.action != Action::Cluster) return;
    if (!c.target.empty() && no_risk(cx, c.target)) return;
    std::string verb = c.action == Action::VacuumFull ? "VACUUM FULL" : "CLUSTER";
    review::Finding f = cx.make(c.target.empty() ? "database" : "table",
                                c.target.empty() ? std::string("database") : c.target.sql(), verb);
    f.title = verb + " " + (c.target.empty() ? std::string("of every table") : c.target.plain()) +
              " rewrites under ACCESS EXCLUSIVE";
    describe_impact(f, cx, c.target, {LockMode::AccessExclusive, true, false});
    f.recommendation =
        "Rebuild online with pg_repack (or REPACK (CONCURRENTLY) from PostgreSQL 19): it copies "
        "the table in the background and swaps it in with a brief lock.";
    std::string table = c.target.empty() ? std::string("<table>") : c.target.plain();
    f.fix_sql =
        "CREATE EXTENSION IF NOT EXISTS pg_repack;\n-- then, from a shell: pg_repack "
        "--table=" +
        table + (c.action == Action::Cluster ? " --order-by=<index columns>" : "") +
        " --dbname=<database>";
    f.steps = {"Install pg_repack on the server and in the database.",
               "Run it during low traffic; it needs free space for a copy of the table."};
    cx.add(std::move(f));
}

}  // namespace pg_advisor::review::migration
