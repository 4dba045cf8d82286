#include "report_fixture.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace pg_advisor::report::testing {

namespace {

using review::Category;
using review::Finding;
using review::RuleInfo;
using review::Severity;

constexpr int64_t kDay = int64_t{86400} * 1000 * 1000;
constexpr int64_t kNow = int64_t{1736935200} * 1000 * 1000;  // 2025-01-15T10:00:00Z

// The rules of the sample review: real registry rules (review::find_rule), so the report is
// tested with the ids, catalogue ids, titles and sentences the review really has.
constexpr const char *kRuleIds[] = {
    "fk_missing_index", "duplicate_index", "unused_index",    "invalid_index",
    "seq_scan_hotspot", "index_bloat",     "no_primary_key",  "timestamp_without_tz",
    "json_not_jsonb",   "n_plus_one",      "bulk_write_loop", "public_schema_create",
    "xid_wraparound"};

const RuleInfo *rule(std::string_view id) {
    const RuleInfo *r = review::find_rule(id);
    if (r == nullptr) throw std::logic_error("no rule \"" + std::string(id) + "\" in the registry");
    return r;
}

// A finding with the rule's id, category and default severity (as RuleContext::make);
// findings whose rule raises the severity set it themselves.
Finding base(const char *rule_id, std::string object_type, std::string object,
             std::string identity) {
    const RuleInfo *r = rule(rule_id);
    Finding f;
    f.rule = r->id;
    f.category = r->category;
    f.severity = r->default_severity;
    f.object_type = std::move(object_type);
    f.object = std::move(object);
    f.identity = std::move(identity);
    f.finding_key = review::finding_key(f.rule, f.object, f.identity);
    f.first_seen = kNow - 3 * kDay;
    f.last_seen = kNow;
    return f;
}

Finding security_finding() {
    Finding f = base("public_schema_create", "schema", "\"public\"", "PUBLIC CREATE");
    f.severity = review::raise(f.severity);  // the rule raises it for schema public
    f.title = "PUBLIC can create objects in schema public";
    f.evidence.add("grantee", "PUBLIC").add("privilege", "CREATE");
    f.recommendation =
        "Revoke CREATE on schema public from PUBLIC. Grant it to the roles that "
        "run migrations instead.";
    f.fix_sql = "REVOKE CREATE ON SCHEMA \"public\" FROM PUBLIC;";
    f.undo_sql = "GRANT CREATE ON SCHEMA \"public\" TO PUBLIC;";
    f.current_state = "GRANT CREATE ON SCHEMA \"public\" TO PUBLIC;";
    f.why =
        "Any role that can log in could otherwise create functions or tables that shadow "
        "the application's own (CVE-2018-1058).";
    return f;
}

Finding n_plus_one_finding() {
    Finding f = base("n_plus_one", "statement", "\"public\".\"order_items\"", "orders#index");
    f.title = "N+1: order_items loaded one order at a time in orders#index";
    f.evidence.add("occurrences", 412).add("max_repeats", 20).add("expected_queries", "21 -> 2");
    f.evidence.add("child_total_ms", 5234.5);
    f.severity = review::raise(f.severity);  // child_total_ms >= n_plus_one_high_total_ms
    f.recommendation =
        "Load the items of all orders in one query. Use prefetch_related in the "
        "view.";
    f.fix_sql = "SELECT * FROM \"order_items\" WHERE \"order_id\" = ANY($1);";
    f.impact = 5234.5;
    f.impact_unit = "ms";
    f.queryids = {uint64_t{0x8f3a9c2b1d4e5f60}, 42};
    f.query = "SELECT * FROM order_items WHERE order_id = $1";
    f.tags = {{"framework", "django"}, {"controller", "orders"}, {"action", "index"}};
    f.orm_fix =
        "# one query for the items of every order\n"
        "orders = Order.objects.prefetch_related(\"items\")";
    return f;
}

Finding write_loop_finding() {
    Finding f = base("bulk_write_loop", "statement", "\"public\".\"audit_log\"", "import_job");
    f.title = "Row-by-row inserts into audit_log";
    f.evidence.add("occurrences", 12).add("queries_before", 500).add("queries_after", 1);
    f.recommendation = "Insert the rows with one multi-row statement.";
    f.impact = 812;
    f.impact_unit = "ms";
    f.queryids = {7};
    f.query = "INSERT INTO audit_log (event, at) VALUES ($1, $2)";
    f.tags = {{"framework", "django"}, {"job", "nightly_import"}};
    f.orm_fix = "AuditLog.objects.bulk_create(entries, batch_size=500)";
    f.verify = "Run the import in a test with CaptureQueriesContext: 500 inserts become 1.";
    return f;
}

Finding fk_finding() {
    Finding f = base("fk_missing_index", "constraint", "\"public\".\"orders\".\"customer_id\"",
                     "orders_customer_id_fkey");
    f.title = "Foreign key orders_customer_id_fkey has no index";
    f.evidence.add("child_rows", int64_t{1200000}).add("parent_deletes", 34000);
    // A large child and a busy parent (fk_missing_index_large_rows, _busy_parent_writes).
    f.severity = Severity::High;
    f.evidence.add("columns", std::vector<std::string>{"customer_id"});
    f.recommendation = "Index orders.customer_id.";
    f.fix_sql =
        "CREATE INDEX CONCURRENTLY \"orders_customer_id_idx\" ON \"public\".\"orders\" "
        "(\"customer_id\");";
    f.undo_sql = "DROP INDEX CONCURRENTLY \"public\".\"orders_customer_id_idx\";";
    f.impact = 1200000;
    f.impact_unit = "rows";
    f.current_state =
        "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY "
        "(customer_id) REFERENCES customers (id);";
    f.steps = {"Create the index concurrently (outside a transaction).",
               "Check that it is valid: SELECT indisvalid FROM pg_index WHERE indexrelid = "
               "'orders_customer_id_idx'::regclass;"};
    return f;
}

Finding hotspot_finding() {
    Finding f = base("seq_scan_hotspot", "table", "\"public\".\"events\"", "kind,created_at");
    f.title = "events is read by sequential scans that discard most rows";
    f.evidence.add("seq_scans", 9120).add("filter_ratio", 0.998).add("cost_before", 18250.0);
    f.evidence.add("cost_after", 12.5);
    f.recommendation = "Create an index on events (kind, created_at).";
    f.fix_sql = "CREATE INDEX CONCURRENTLY ON \"public\".\"events\" (\"kind\", \"created_at\");";
    f.undo_sql = "DROP INDEX CONCURRENTLY \"public\".\"events_kind_created_at_idx\";";
    f.impact = 18237.5;
    f.impact_unit = "cost";
    f.queryids = {1234567};
    f.query = "SELECT * FROM events WHERE kind = $1 AND created_at > $2";
    return f;
}

Finding wraparound_finding() {
    Finding f = base("xid_wraparound", "table", "\"public\".\"events\"", "");
    f.severity = Severity::Critical;  // past xid_wraparound_critical_pct
    f.title = "\"public\".\"events\" has used 80.1% of its transaction IDs before wraparound";
    f.evidence.add("age", 1720000000.0)
        .add("used_pct", 80.09)
        .add("wraparound_limit", 2147483648.0);
    f.evidence.add("autovacuum_freeze_max_age", 200000000.0).add("past_freeze_max_age", true);
    f.current_state =
        "age 1,720,000,000 of 2,147,483,648; autovacuum forces a freeze from 200,000,000.";
    f.recommendation =
        "Freeze the oldest tables now and make sure nothing blocks vacuum (long transactions, "
        "prepared transactions, replication slots).";
    f.why =
        "At the limit the server stops assigning new IDs and refuses writes until the database "
        "is vacuumed.";
    f.fix_sql = "VACUUM (FREEZE, VERBOSE) \"public\".\"events\";";
    f.steps = {"Check xmin_horizon_held: nothing may hold back the freeze.",
               "Run the VACUUM (FREEZE); raise autovacuum_vacuum_cost_limit if autovacuum is slow "
               "to finish."};
    f.impact = 1720000000;
    f.impact_unit = "transaction IDs";
    return f;
}

Finding timestamp_finding() {
    Finding f =
        base("timestamp_without_tz", "column", "\"public\".\"orders\".\"placed_at\"", "placed_at");
    f.title = "orders.placed_at is a timestamp without time zone";
    f.evidence.add("type", "timestamp without time zone");
    f.recommendation = "Store it as timestamptz.";
    f.fix_sql =
        "ALTER TABLE \"public\".\"orders\" ALTER COLUMN \"placed_at\" TYPE timestamptz "
        "USING \"placed_at\" AT TIME ZONE 'UTC';";
    f.undo_sql = "ALTER TABLE \"public\".\"orders\" ALTER COLUMN \"placed_at\" TYPE timestamp;";
    return f;
}

Finding suppressed_finding() {
    Finding f = base("no_primary_key", "table", "\"public\".\"legacy_import\"", "legacy_import");
    f.title = "Table legacy_import has no primary key";
    f.recommendation = "Add a bigint identity primary key.";
    return f;
}

PreviousSnapshot previous_snapshot(const Finding &kept) {
    PreviousSnapshot p;
    p.taken_at = kNow - 7 * kDay;
    p.findings.push_back({kept.finding_key, kept.rule, kept.object, kept.title, kept.severity});
    Finding gone =
        base("invalid_index", "index", "\"public\".\"orders_tmp_idx\"", "orders_tmp_idx");
    p.findings.push_back({gone.finding_key, gone.rule, gone.object,
                          "Index orders_tmp_idx is invalid", gone.severity});
    Finding unknown =
        base("unused_index", "index", "\"public\".\"events_old_idx\"", "events_old_idx");
    p.findings.push_back({unknown.finding_key, unknown.rule, unknown.object,
                          "Index events_old_idx is never used", unknown.severity});
    return p;
}

}  // namespace

review::RuleOutcome ran(const char *id) {
    review::RuleOutcome o;
    o.rule = rule(id);
    o.ran = true;
    return o;
}

Sample::Sample() {
    result.generated_at = kNow;
    result.findings = {security_finding(),  n_plus_one_finding(), fk_finding(),
                       hotspot_finding(),   write_loop_finding(), timestamp_finding(),
                       wraparound_finding()};
    std::stable_sort(result.findings.begin(), result.findings.end(), review::ranks_before);
    result.suppressed = {suppressed_finding()};
    for (const char *id : kRuleIds)
        result.outcomes.push_back(ran(id));
    for (review::RuleOutcome &o : result.outcomes) {
        std::string id = o.rule->id;
        if (id == "unused_index") {
            o.ran = false;
            o.reason = "the statistics cover 2 days; this check needs 7";
        } else if (id == "index_bloat") {
            o.ran = false;
            o.disabled = true;
            o.reason = "disabled (pg_advisor.disabled_rules)";
        }
    }
    input.database = "shop";
    input.server_version = "PostgreSQL 16.4";
    input.date = "2025-01-15";
    input.time_zone = "Europe/Paris";
    input.generated_at = kNow;
    input.period_start = kNow - 7 * kDay;
    input.period_end = kNow;
    input.tables = 42;
    input.indexes = 77;
    input.statements = 1234;
    input.previous = previous_snapshot(fk_finding());
    input.top_statements = {
        {uint64_t{0x8f3a9c2b1d4e5f60}, "SELECT * FROM order_items WHERE order_id = $1", 8240,
         5234.5},
        {1234567, "SELECT * FROM events WHERE kind = $1 AND created_at > $2", 9120, 3120.25},
        {7, "INSERT INTO audit_log (event, at) VALUES ($1, $2)", 6000, 812},
    };
}

void make_all_clear(Sample &s) {
    s.result.findings.clear();
    s.result.suppressed.clear();
    for (review::RuleOutcome &o : s.result.outcomes) {
        o.ran = true;
        o.disabled = false;
        o.reason.clear();
    }
    s.input.previous.reset();
}

void make_no_capture(Sample &s) {
    make_all_clear(s);
    for (review::RuleOutcome &o : s.result.outcomes) {
        std::string id = o.rule->id;
        if (id == "n_plus_one" || id == "bulk_write_loop" || id == "seq_scan_hotspot" ||
            id == "unused_index") {
            o.ran = false;
            o.reason = "no captured workload";
        }
    }
    s.input.capture_available = false;
    s.input.capture_reason = "pg_advisor is not in shared_preload_libraries";
    s.input.statements = 0;
    s.input.period_start = s.input.period_end = 0;
    s.input.top_statements.clear();
}

}  // namespace pg_advisor::report::testing
