// Migration rules on settings, transactions and the locks held right now:
// MIG-23 missing_lock_timeout, MIG-24 missing_statement_timeout, MIG-29 non_idempotent_ddl,
// MIG-30 transaction_hygiene, MIG-31 backfill_under_ddl_lock, MIG-32 lock_queue_risk_now.
//
// The timeout rules report once per stretch of the migration where the setting is unchanged:
// only the first statement that needs the setting, so a file of twenty ALTERs without
// SET lock_timeout gets one finding, on its first ALTER. Live (one statement at a time) every
// statement is reported, since each one runs with the session's setting.
#include "core/review/rules/migration_rules.h"

#include "core/common/text_format.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "core/common/no_postgres.h"

namespace pg_advisor::review::migration {

using ddl::Action;
using ddl::LockMode;

namespace {

// A change that queues other sessions behind its lock: blocks writes, on a table that exists.
bool blocking_ddl(const ddl::DdlRuleContext &cx, const ddl::Change &c) {
    if (change_lock(c) < LockMode::Share) return false;
    ddl::Name t = change_table(cx, c);
    return !(!t.empty() && no_risk(cx, t)) && (!t.empty() || c.action == Action::DropIndex);
}

// The tables a foreign key of the change references: each is locked SHARE ROW EXCLUSIVE
// (also by CREATE TABLE ... REFERENCES, whose own table is new).
std::vector<ddl::Name> referenced_tables(const ddl::Change &c) {
    std::vector<ddl::Name> out;
    auto add = [&](const ddl::Constraint &k) {
        if (k.kind == ddl::ConstraintKind::ForeignKey) out.push_back(k.references.table);
    };
    if (c.action == Action::AddConstraint) add(c.constraint);
    if (c.action == Action::CreateTable)
        for (const ddl::Constraint &k : c.constraints)
            add(k);
    if (c.action == Action::CreateTable || c.action == Action::AddColumn)
        for (const ddl::ColumnSpec &col :
             c.action == Action::AddColumn ? std::vector<ddl::ColumnSpec>{c.column_def} : c.columns)
            for (const ddl::Constraint &k : col.constraints)
                add(k);
    return out;
}

// The existing table whose lock a change queues behind (its own, or the parent a new foreign
// key locks SHARE ROW EXCLUSIVE), and that lock; an empty name for a DROP INDEX whose table is
// unknown; nullopt when it blocks nothing that exists.
std::optional<std::pair<ddl::Name, LockMode>> blocked(const ddl::DdlRuleContext &cx,
                                                      const ddl::Change &c) {
    if (blocking_ddl(cx, c)) return std::make_pair(change_table(cx, c), change_lock(c));
    for (const ddl::Name &parent : referenced_tables(c))
        if (!parent.empty() && !no_risk(cx, parent) && !ddl::same_table(parent, c.target))
            return std::make_pair(parent, LockMode::ShareRowExclusive);
    return std::nullopt;
}

bool backfill(const ddl::DdlRuleContext &cx, const ddl::Change &c) {
    return (c.action == Action::Update || c.action == Action::Delete) && !no_risk(cx, c.target);
}

// Whether an earlier statement, since `setting` was last set, already needed it (and so got
// the finding).
template <class Needs>
bool reported_earlier(const ddl::DdlRuleContext &cx, const std::string &setting, Needs needs) {
    for (size_t i = cx.index(); i-- > 0;) {
        const ddl::Statement &s = cx.all()[i];
        for (const ddl::Change &n : s.changes)
            if (n.action == Action::Set && n.setting == setting) return false;
        for (const ddl::Change &n : s.changes)
            if (needs(n)) return true;
    }
    return false;
}

std::string timeout_text(const char *setting, int64_t ms) {
    std::string name(setting);
    if (ms < 0) return "without a " + name;
    if (ms == 0) return "with " + name + " = 0 (no limit)";
    return "with " + name + " = " + std::to_string(ms) + " ms";
}

}  // namespace

void missing_lock_timeout(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    int64_t timeout = cx.state().lock_timeout_ms;
    double limit = cx.threshold("migration_lock_timeout_max_ms");
    if (timeout > 0 && static_cast<double>(timeout) <= limit) return;
    std::optional<std::pair<ddl::Name, LockMode>> lock = blocked(cx, c);
    if (!lock) return;
    if (reported_earlier(cx, "lock_timeout",
                         [&](const ddl::Change &n) { return blocked(cx, n).has_value(); }))
        return;
    const ddl::Name &table = lock->first;
    review::Finding f = cx.make("table", table.empty() ? c.target.sql() : table.sql(), "");
    f.title = std::string(ddl::action_name(c.action)) + " on " +
              (table.empty() ? c.target.plain() : table.plain()) + " runs " +
              timeout_text("lock_timeout", timeout);
    f.evidence.add("lock_timeout_ms", timeout).add("max_lock_timeout_ms", limit);
    f.why =
        "While it waits for its lock (behind any long transaction on the table), every "
        "query that arrives after it waits too: the application stalls. A lock_timeout "
        "makes it give up and lets traffic through.";
    describe_impact(f, cx, table, {lock->second, false, false, false});
    // About to run in this session: whether it would queue is known now.
    if (cx.live() && !table.empty() && cx.facts().conflicting_locks(table, lock->second).empty()) {
        f.severity = Severity::Info;
        f.why +=
            " No other session holds or waits for a conflicting lock on it right now, so "
            "this run does not queue; the same migration elsewhere may.";
    }
    f.recommendation =
        "SET lock_timeout to a few seconds before the schema changes of the migration and retry "
        "the migration when it times out.";
    f.fix_sql = "SET lock_timeout = '5s';\n" + cx.statement().text + ";";
    f.steps = {"Put SET lock_timeout = '5s' (1 to 10 s) at the start of the migration.",
               "Retry the migration, with a pause, when it fails with a lock timeout."};
    cx.add(std::move(f));
}

void missing_statement_timeout(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (cx.state().statement_timeout_ms > 0) return;
    auto needs = [&](const ddl::Change &n) { return blocking_ddl(cx, n) || backfill(cx, n); };
    if (!needs(c) || reported_earlier(cx, "statement_timeout", needs)) return;
    ddl::Name table = change_table(cx, c);
    review::Finding f = cx.make("table", table.empty() ? c.target.sql() : table.sql(), "");
    f.title = std::string(ddl::action_name(c.action)) + " on " +
              (table.empty() ? c.target.plain() : table.plain()) + " runs " +
              timeout_text("statement_timeout", cx.state().statement_timeout_ms);
    f.evidence.add("statement_timeout_ms", cx.state().statement_timeout_ms);
    f.why = "Nothing bounds how long it holds its locks if it runs longer than planned.";
    describe_impact(f, cx, table, {change_lock(c), false, false});
    f.recommendation =
        "SET statement_timeout for the migration to the longest you can afford to hold the "
        "locks it takes.";
    f.fix_sql = "SET statement_timeout = '5min';\n" + cx.statement().text + ";";
    f.steps = {"Put SET statement_timeout at the start of the migration.",
               "Give long concurrent builds their own, larger value."};
    cx.add(std::move(f));
}

void non_idempotent_ddl(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    bool create = c.action == Action::CreateIndex && !c.if_not_exists;
    bool drop = c.action == Action::DropIndex && !c.if_exists;
    if (!c.concurrently || (!create && !drop)) return;
    ddl::Name table = change_table(cx, c);
    if (!table.empty() && no_risk(cx, table)) return;
    std::string object = create ? table.sql() : c.target.sql();
    review::Finding f = cx.make(create ? "table" : "index", object, c.object);
    std::string what = create
                           ? "CREATE INDEX CONCURRENTLY " + c.object + " without IF NOT EXISTS"
                           : "DROP INDEX CONCURRENTLY " + c.target.plain() + " without IF EXISTS";
    f.title = what;
    f.why =
        "A concurrent statement runs outside a transaction: when it fails halfway the "
        "migration cannot simply be run again, the index (or its absence) is already there.";
    f.recommendation = create ? "Add IF NOT EXISTS, and drop an INVALID leftover before a retry."
                              : "Add IF EXISTS.";
    const std::string &sql = cx.statement().text;
    size_t begin = 0, at = 0;
    if (find_keyword(sql, "concurrently", false, &begin, &at) && (drop || !c.object.empty()))
        f.fix_sql =
            sql.substr(0, at) + (create ? " IF NOT EXISTS" : " IF EXISTS") + sql.substr(at) + ";";
    f.steps = {"Make the statement safe to run twice.",
               "Before a retry, check pg_index.indisvalid: an INVALID index must be dropped."};
    cx.add(std::move(f));
}

void transaction_hygiene(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    const ddl::MigrationState &st = cx.state();
    auto report = [&](const std::string &kind, std::string title, std::string why,
                      std::string fix) {
        review::Finding f = cx.make("statement", "transaction", kind);
        f.title = std::move(title);
        f.evidence.add("problem", kind).add("begin_depth", st.begin_depth);
        f.why = std::move(why);
        f.recommendation =
            "Keep one BEGIN ... COMMIT pair per migration (or none, when the tool "
            "wraps the migration itself).";
        f.fix_sql = std::move(fix);
        cx.add(std::move(f));
    };
    if (c.action == Action::Begin && st.begin_depth > 0)
        report("nested_begin", "BEGIN inside a transaction that is already open",
               "PostgreSQL ignores it with a warning, so the first COMMIT ends the outer "
               "transaction too and the rest runs outside it.",
               "");
    if ((c.action == Action::Commit || c.action == Action::Rollback) && !st.in_transaction &&
        !cx.live())
        report("commit_without_begin",
               std::string(ddl::action_name(c.action)) + " without a transaction",
               "No transaction is open: the statements before it already committed one by one.",
               "");
    const ddl::Statement &stmt = cx.statement();
    bool last = !cx.live() && cx.index() + 1 == cx.all().size() && &c == &stmt.changes.back();
    if (!last) return;
    ddl::MigrationState after = st;
    after.apply(stmt);
    if (after.in_transaction)
        report("missing_commit", "The migration ends inside an open transaction",
               "Nothing commits it: depending on the tool, the whole migration is rolled back or "
               "left holding its locks.",
               "COMMIT;");
}

void backfill_under_ddl_lock(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (!backfill(cx, c)) return;
    bool under_lock = cx.state().holds_exclusive(c.target);
    std::optional<ddl::TableFacts> t = table_facts(cx, c.target);
    double min_rows = cx.threshold("migration_backfill_max_rows");
    bool unbatched = c.action == Action::Update && !c.has_where && t && t->rows >= min_rows;
    if (!under_lock && !unbatched) return;
    std::string verb = c.action == Action::Update ? "UPDATE" : "DELETE";
    review::Finding f = cx.make("table", c.target.sql(), under_lock ? "under_lock" : "unbatched");
    f.title = under_lock ? verb + " of " + c.target.plain() +
                               " in the transaction that holds ACCESS EXCLUSIVE on it"
                         : "UPDATE of every row of " + c.target.plain() + " in one statement";
    f.evidence.add("under_ddl_lock", under_lock).add("has_where", c.has_where);
    f.why = under_lock ? "The schema change's lock is held until COMMIT, so nobody can read or "
                         "write the table while every row is changed."
                       : "One statement locks every row it changes until it ends, bloats the "
                         "table by a full copy of its rows and holds back VACUUM.";
    describe_impact(
        f, cx, c.target,
        {under_lock ? LockMode::AccessExclusive : LockMode::RowExclusive, false, true, under_lock});
    f.recommendation =
        "Commit the schema change first, then change the rows in batches of about 10,000, each "
        "in its own transaction, pausing between batches.";
    // each batch picks rows the earlier batches left: the same condition, or rows not done yet
    std::string pick = c.has_where ? "<same condition>" : "<row not yet backfilled>";
    f.fix_sql = (under_lock ? std::string("COMMIT;\n") : std::string()) +
                "-- repeat, each batch in its own transaction, until it changes no row:\n" +
                cx.statement().text + (c.has_where ? " AND " : " WHERE ") +
                "ctid = ANY (ARRAY(SELECT ctid FROM " + c.target.sql() + " WHERE " + pick +
                " LIMIT 10000));";
    f.steps = {"Commit the schema change.",
               "Backfill in batches (by key range or LIMIT), each in its own transaction.",
               "Pause between batches so replicas and VACUUM keep up."};
    cx.add(std::move(f));
}

namespace {

void report_queue(ddl::DdlRuleContext &cx, const ddl::Name &table, LockMode lock) {
    std::vector<ddl::LockHolder> holders = cx.facts().conflicting_locks(table, lock);
    if (holders.empty()) return;
    const ddl::Change &c = cx.change();
    review::Finding f = cx.make("table", table.sql(), std::string(ddl::lock_mode_name(lock)));
    double longest = 0;
    std::vector<std::string> who;
    for (const ddl::LockHolder &h : holders) {
        longest = std::max(longest, h.xact_seconds);
        who.push_back("pid " + std::to_string(h.pid) + " " + h.mode + " " + h.state + " " +
                      common::duration(h.xact_seconds) + ": " + h.query);
    }
    f.title = std::to_string(holders.size()) + " session" + (holders.size() == 1 ? "" : "s") +
              " hold locks on " + table.plain() + " that " +
              std::string(ddl::action_name(c.action)) + " must wait for";
    f.evidence.add("holders", static_cast<int64_t>(holders.size()))
        .add("longest_transaction_seconds", longest)
        .add("sessions", who);
    f.why =
        "The statement would queue behind them, and every query on the table that arrives "
        "after it queues behind the statement: reads and writes stop until they finish.";
    describe_impact(f, cx, table, {lock, false, false, false});
    f.recommendation =
        "Run it when those transactions have ended, with a short lock_timeout so it gives up "
        "instead of queueing traffic; end the blocking session if it is stuck.";
    f.fix_sql = "SET lock_timeout = '2s';\n" + cx.statement().text +
                ";\n-- or end the blocker: SELECT pg_terminate_backend(" +
                std::to_string(holders.front().pid) + ");";
    f.steps = {"Look at the sessions listed: finish or end them.",
               "Retry with a short lock_timeout."};
    cx.add(std::move(f));
}

}  // namespace

void lock_queue_risk_now(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (!cx.facts().live()) return;
    LockMode lock = change_lock(c);
    ddl::Name table = change_table(cx, c);
    if (lock >= LockMode::Share && !table.empty() && !no_risk(cx, table))
        report_queue(cx, table, lock);
    for (const ddl::Name &parent : referenced_tables(c))
        if (!parent.empty() && !no_risk(cx, parent) && !ddl::same_table(parent, table))
            report_queue(cx, parent, LockMode::ShareRowExclusive);
}

}  // namespace pg_advisor::review::migration
