// Migration rules on constraints: MIG-05 fk_without_not_valid, MIG-06 check_without_not_valid,
// MIG-07 validate_in_same_txn, MIG-14 add_unique_constraint, MIG-15 add_primary_key,
// MIG-16 add_exclusion_constraint, MIG-28 domain_constraints.
#include "core/review/rules/migration_rules.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::migration {

using ddl::Action;
using ddl::ConstraintKind;
using ddl::LockMode;

namespace {

// The ADD CONSTRAINT change of a kind on a table that is not new.
bool adds(const ddl::DdlRuleContext &cx, ConstraintKind kind) {
    const ddl::Change &c = cx.change();
    return c.action == Action::AddConstraint && c.constraint.kind == kind && !no_risk(cx, c.target);
}

std::string validate_sql(const ddl::Name &table, const std::string &name) {
    return "ALTER TABLE " + table.sql() + " VALIDATE CONSTRAINT " + quoted(name) + ";";
}

// ADD CONSTRAINT ... FOREIGN KEY rebuilt from the model (ON DELETE / ON UPDATE are not in it).
std::string fk_sql(const ddl::Name &table, const ddl::Constraint &k, const std::string &name) {
    std::string sql = "ALTER TABLE " + table.sql() + " ADD CONSTRAINT " + quoted(name) +
                      " FOREIGN KEY (" + quoted_list(k.columns) + ") REFERENCES " +
                      k.references.table.sql();
    if (!k.references.columns.empty()) sql += " (" + quoted_list(k.references.columns) + ")";
    return sql;
}

// CREATE UNIQUE INDEX CONCURRENTLY + ADD CONSTRAINT ... USING INDEX (MIG-14, MIG-15).
void index_first(ddl::DdlRuleContext &cx, const char *kind) {
    const ddl::Change &c = cx.change();
    std::string name = constraint_name(c.target, c.constraint);
    review::Finding f = cx.make("table", c.target.sql(), name);
    f.title = "ADD " + std::string(kind) + " " + name + " on " + c.target.plain() +
              " builds its index under ACCESS EXCLUSIVE";
    f.evidence.add("constraint", name).add("columns", c.constraint.columns);
    describe_impact(f, cx, c.target, {LockMode::AccessExclusive, false, true});
    f.recommendation =
        "Build the unique index with CREATE UNIQUE INDEX CONCURRENTLY first, then "
        "attach it with ADD CONSTRAINT ... " +
        std::string(kind) + " USING INDEX, which only takes a brief lock.";
    f.fix_sql = "CREATE UNIQUE INDEX CONCURRENTLY " + quoted(name) + " ON " + c.target.sql() +
                " (" + quoted_list(c.constraint.columns) + ");\nALTER TABLE " + c.target.sql() +
                " ADD CONSTRAINT " + quoted(name) + " " + kind + " USING INDEX " + quoted(name) +
                ";";
    f.steps = {"Run CREATE UNIQUE INDEX CONCURRENTLY on its own, outside a transaction block.",
               "Then ADD CONSTRAINT ... USING INDEX (it renames nothing and scans nothing)."};
    if (c.constraint.kind == ConstraintKind::PrimaryKey)
        f.steps.push_back(
            "Make the key columns NOT NULL first without a long lock (a validated CHECK "
            "(column IS NOT NULL) lets SET NOT NULL skip its scan): otherwise ADD PRIMARY KEY "
            "scans the table to check them.");
    cx.add(std::move(f));
}

}  // namespace

void fk_without_not_valid(ddl::DdlRuleContext &cx) {
    if (!adds(cx, ConstraintKind::ForeignKey)) return;
    const ddl::Change &c = cx.change();
    if (c.constraint.not_valid) return;
    std::string name = constraint_name(c.target, c.constraint);
    review::Finding f = cx.make("table", c.target.sql(), name);
    f.title = "Foreign key " + name + " on " + c.target.plain() + " is validated while it is added";
    f.evidence.add("constraint", name).add("references", c.constraint.references.table.plain());
    f.why = "The referenced table " + c.constraint.references.table.sql() +
            " is locked SHARE ROW EXCLUSIVE too, for as long as the check of every row takes.";
    describe_impact(f, cx, c.target, {LockMode::ShareRowExclusive, false, true});
    f.recommendation =
        "Add the foreign key NOT VALID (new rows are checked at once, no scan), then VALIDATE "
        "CONSTRAINT in a separate transaction: validation takes SHARE UPDATE EXCLUSIVE, which "
        "lets reads and writes go on.";
    std::string add = cx.statement().changes.size() == 1 ? cx.statement().text
                                                         : fk_sql(c.target, c.constraint, name);
    f.fix_sql = add + " NOT VALID;\n" + validate_sql(c.target, name);
    f.steps = {"Add the constraint NOT VALID and commit.",
               "Run VALIDATE CONSTRAINT in its own transaction."};
    cx.add(std::move(f));
}

void check_without_not_valid(ddl::DdlRuleContext &cx) {
    if (!adds(cx, ConstraintKind::Check)) return;
    const ddl::Change &c = cx.change();
    if (c.constraint.not_valid) return;
    std::string name = constraint_name(c.target, c.constraint);
    review::Finding f = cx.make("table", c.target.sql(), name);
    f.title =
        "CHECK constraint " + name + " on " + c.target.plain() + " is validated while it is added";
    f.evidence.add("constraint", name).add("check", c.constraint.check.text);
    describe_impact(f, cx, c.target, {LockMode::AccessExclusive, false, true});
    f.recommendation =
        "Add the CHECK NOT VALID (new rows are checked at once, no scan), then VALIDATE "
        "CONSTRAINT in a separate transaction: validation takes SHARE UPDATE EXCLUSIVE, which "
        "lets reads and writes go on.";
    f.fix_sql = "ALTER TABLE " + c.target.sql() + " ADD CONSTRAINT " + quoted(name) + " CHECK (" +
                c.constraint.check.text + ") NOT VALID;\n" + validate_sql(c.target, name);
    f.steps = {"Add the constraint NOT VALID and commit.",
               "Run VALIDATE CONSTRAINT in its own transaction."};
    cx.add(std::move(f));
}

void validate_in_same_txn(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    const ddl::MigrationState &st = cx.state();
    if (c.action != Action::ValidateConstraint || !st.in_transaction || no_risk(cx, c.target))
        return;
    bool added_here = false;
    for (const auto &[table, name] : st.not_valid_in_transaction)
        if (ddl::same_table(table, c.target) && name == c.object) added_here = true;
    bool exclusive = st.holds_exclusive(c.target);
    if (!added_here && !exclusive) return;
    review::Finding f = cx.make("table", c.target.sql(), c.object);
    f.title = "VALIDATE CONSTRAINT " + c.object + " on " + c.target.plain() +
              " runs in the transaction that locked the table";
    f.evidence.add("constraint", c.object).add("added_in_transaction", added_here);
    f.why =
        "The lock the transaction already holds stays until COMMIT, so the validation scan "
        "runs under it: NOT VALID saves nothing.";
    describe_impact(
        f, cx, c.target,
        {exclusive ? LockMode::AccessExclusive : LockMode::ShareRowExclusive, false, true});
    f.recommendation =
        "Commit the ADD CONSTRAINT ... NOT VALID (and other schema changes) first, then validate "
        "in a transaction of its own.";
    f.fix_sql = "COMMIT;\n" + validate_sql(c.target, c.object);
    f.steps = {"End the transaction after the schema change.",
               "Run VALIDATE CONSTRAINT in its own transaction (another migration if needed)."};
    cx.add(std::move(f));
}

void add_unique_constraint(ddl::DdlRuleContext &cx) {
    if (adds(cx, ConstraintKind::Unique) && cx.change().constraint.using_index.empty())
        index_first(cx, "UNIQUE");
}

void add_primary_key(ddl::DdlRuleContext &cx) {
    if (adds(cx, ConstraintKind::PrimaryKey) && cx.change().constraint.using_index.empty())
        index_first(cx, "PRIMARY KEY");
}

void add_exclusion_constraint(ddl::DdlRuleContext &cx) {
    if (!adds(cx, ConstraintKind::Exclusion)) return;
    const ddl::Change &c = cx.change();
    std::string name = constraint_name(c.target, c.constraint);
    review::Finding f = cx.make("table", c.target.sql(), name);
    f.title = "EXCLUDE constraint " + name + " on " + c.target.plain() +
              " builds its index and checks every row under ACCESS EXCLUSIVE";
    f.evidence.add("constraint", name);
    f.why =
        "Exclusion constraints have no NOT VALID form and cannot use an index built "
        "concurrently.";
    describe_impact(f, cx, c.target, {LockMode::AccessExclusive, false, true});
    f.recommendation =
        "Add exclusion constraints when the table is created or still empty, or in a "
        "maintenance window with a lock_timeout.";
    f.fix_sql = "SET lock_timeout = '5s';\n" + cx.statement().text + ";";
    f.steps = {"Schedule the statement in a maintenance window.",
               "Keep a short lock_timeout and retry rather than queueing traffic."};
    cx.add(std::move(f));
}

void domain_constraints(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    bool create = c.action == Action::CreateDomain && c.constraint.check.present();
    bool alter = c.action == Action::AlterDomainAddConstraint && !c.constraint.not_valid;
    if (!create && !alter) return;
    review::Finding f = cx.make("type", c.target.sql(), std::string(ddl::action_name(c.action)));
    if (create) {
        f.severity = review::Severity::Low;
        f.title = "Domain " + c.target.plain() + " carries a CHECK constraint";
        f.why =
            "Changing the constraint later validates every column of the domain in every "
            "table, each under a lock that blocks writes.";
        f.evidence.add("check", c.constraint.check.text);
        f.recommendation =
            "Keep the domain without CHECK and put the check on the columns (ADD CONSTRAINT ... "
            "CHECK ... NOT VALID, then VALIDATE), where it can be changed table by table.";
    } else {
        f.title = "ALTER DOMAIN " + c.target.plain() +
                  " ADD CONSTRAINT checks every column of the domain";
        f.evidence.add("lock", "SHARE")
            .add("blocks", std::string(ddl::lock_blocks(LockMode::Share)))
            .add("rewrite", false)
            .add("scan", true);
        f.why =
            "Every table with a column of this domain is read in full under SHARE, which "
            "blocks its writes.";
        f.recommendation = "Add the constraint NOT VALID and validate it separately.";
        std::string name = c.constraint.name.empty() ? c.target.name + "_check" : c.constraint.name;
        f.fix_sql = "ALTER DOMAIN " + c.target.sql() + " ADD CONSTRAINT " + quoted(name) +
                    " CHECK (" + c.constraint.check.text + ") NOT VALID;\nALTER DOMAIN " +
                    c.target.sql() + " VALIDATE CONSTRAINT " + quoted(name) + ";";
    }
    cx.add(std::move(f));
}

}  // namespace pg_advisor::review::migration
