// Migration rules on indexes: MIG-01 index_not_concurrent.
#include "core/review/rules/migration_rules.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::migration {

using ddl::Action;
using ddl::LockMode;

void index_not_concurrent(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action != Action::CreateIndex || c.concurrently) return;
    const ddl::Name &table = c.index.table;
    if (no_risk(cx, table)) return;
    std::string index = c.object.empty() ? std::string("(unnamed)") : c.object;
    review::Finding f = cx.make("table", table.sql(), index);
    f.title = "CREATE INDEX " + index + " on " + table.plain() + " without CONCURRENTLY";
    describe_impact(f, cx, table, {LockMode::Share, false, true});
    f.recommendation =
        "Build the index with CREATE INDEX CONCURRENTLY, as its own statement outside a "
        "transaction block; it takes SHARE UPDATE EXCLUSIVE, which lets reads and writes go on.";
    std::string sql = cx.statement().text;
    // the same statement with CONCURRENTLY after INDEX
    size_t at = 0;
    for (size_t i = 0; i + 5 <= sql.size(); i++) {
        if ((sql[i] == 'i' || sql[i] == 'I') &&
            (sql.compare(i, 5, "index") == 0 || sql.compare(i, 5, "INDEX") == 0 ||
             sql.compare(i, 5, "Index") == 0)) {
            at = i + 5;
            break;
        }
    }
    if (at > 0) f.fix_sql = sql.substr(0, at) + " CONCURRENTLY" + sql.substr(at) + ";";
    f.steps = {"Run the CREATE INDEX CONCURRENTLY statement on its own, outside BEGIN ... COMMIT.",
               "If it fails, drop the INVALID index it leaves behind before retrying."};
    cx.add(std::move(f));
}

}  // namespace pg_advisor::review::migration
