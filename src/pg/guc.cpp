#include <climits>

extern "C" {
#include "postgres.h"

#include "utils/guc.h"
}

#include "pg/compat.h"
#include "pg/guc.h"
#include "pg/review/review_settings.h"
#include "pg/ddl/live_review.h"

bool pga_enabled = true;
int pga_track = PGA_TRACK_TOP;
int pga_max_patterns = 5000;
int pga_max_query_length = 8192;
bool pga_save = true;
double pga_sample_rate = 0.01;
int pga_idle_gap_ms = 500;
int pga_n_plus_one_min_repeats = 5;
int pga_n_plus_one_action = PGA_ACTION_OFF;
int pga_max_findings = 1000;
double pga_min_table_rows = 1000;
double pga_index_min_initial_cost = 100;
double pga_index_min_saving_pct = 50;
double pga_index_wider_margin_pct = 20;
int pga_max_indexes_per_table = 3;
double pga_hotspot_min_filter_pct = 50;
int pga_index_size_model = 0;
int pga_query_ids = PGA_QUERY_IDS_CACHED;
bool pga_verify_query_ids = false;
int pga_max_relations_per_statement = 32;
int pga_max_candidates = 5000;
int pga_advisor_memory_mb = 256;

static const struct config_enum_entry size_model_options[] = {
    {"statistics", 0, false},
    {"hypopg", 1, false},
    {NULL, 0, false},
};

static const struct config_enum_entry action_options[] = {
    {"off", PGA_ACTION_OFF, false},
    {"log", PGA_ACTION_LOG, false},
    {"warning", PGA_ACTION_WARNING, false},
    {"error", PGA_ACTION_ERROR, false},
    {NULL, 0, false},
};

static const struct config_enum_entry query_id_options[] = {
    {"cached", PGA_QUERY_IDS_CACHED, false},
    {"core", PGA_QUERY_IDS_CORE, false},
    {NULL, 0, false},
};

static const struct config_enum_entry track_options[] = {
    {"none", PGA_TRACK_NONE, false},
    {"top", PGA_TRACK_TOP, false},
    {"all", PGA_TRACK_ALL, false},
    {NULL, 0, false},
};

void pga_define_gucs(void) {
    DefineCustomBoolVariable("pg_advisor.enabled",
                             "Records query patterns, scan shapes and session sequences.", NULL,
                             &pga_enabled, true, PGC_SUSET, 0, NULL, NULL, NULL);
    DefineCustomEnumVariable(
        "pg_advisor.track",
        "Which statements are recorded: top (sent by clients), all (also statements run inside "
        "functions), none.",
        NULL, &pga_track, PGA_TRACK_TOP, track_options, PGC_SUSET, 0, NULL, NULL, NULL);
    DefineCustomIntVariable("pg_advisor.max_patterns",
                            "Maximum number of query patterns (and scan shapes) kept in shared "
                            "memory; the least used are evicted when full.",
                            NULL, &pga_max_patterns, 5000, 100, 1000000, PGC_POSTMASTER, 0, NULL,
                            NULL, NULL);
    DefineCustomIntVariable("pg_advisor.max_query_length",
                            "Longest normalised query text stored; longer texts are cut.", NULL,
                            &pga_max_query_length, 8192, 256, 1048576, PGC_SUSET, GUC_UNIT_BYTE,
                            NULL, NULL, NULL);
    DefineCustomBoolVariable("pg_advisor.save",
                             "Saves what was recorded at clean shutdown and restores it at start.",
                             NULL, &pga_save, true, PGC_SIGHUP, 0, NULL, NULL, NULL);
    DefineCustomRealVariable(
        "pg_advisor.sample_rate",
        "Fraction of executions run with per-node row instrumentation (rows scanned vs returned).",
        NULL, &pga_sample_rate, 0.01, 0.0, 1.0, PGC_SUSET, 0, NULL, NULL, NULL);
    DefineCustomIntVariable(
        "pg_advisor.idle_gap_ms",
        "Idle time after which a session's next statements start a new unit of work (burst).", NULL,
        &pga_idle_gap_ms, 500, 0, INT_MAX, PGC_USERSET, GUC_UNIT_MS, NULL, NULL, NULL);

    DefineCustomIntVariable(
        "pg_advisor.n_plus_one_min_repeats",
        "Executions of one statement shape in one unit of work that make an N+1, a write loop or "
        "a duplicate query.",
        NULL, &pga_n_plus_one_min_repeats, 5, 2, 100000, PGC_USERSET, 0, NULL, NULL, NULL);
    DefineCustomEnumVariable(
        "pg_advisor.n_plus_one_action",
        "What happens to the statement that completes an N+1, a write loop or a duplicate query: "
        "off, log (server log), warning (to the client), error (the statement fails: a test "
        "guard).",
        NULL, &pga_n_plus_one_action, PGA_ACTION_OFF, action_options, PGC_USERSET, 0, NULL, NULL,
        NULL);
    DefineCustomIntVariable("pg_advisor.max_findings",
                            "Maximum number of N+1 / write-loop / duplicate findings kept in "
                            "shared memory; the least recently seen are evicted when full.",
                            NULL, &pga_max_findings, 1000, 50, 100000, PGC_POSTMASTER, 0, NULL,
                            NULL, NULL);

    DefineCustomRealVariable(
        "pg_advisor.min_table_rows",
        "Tables with fewer rows (planner estimate) get no index recommendation and are no "
        "seq-scan hotspot: reading them sequentially costs next to nothing.",
        NULL, &pga_min_table_rows, 1000, 0, 1e15, PGC_USERSET, 0, NULL, NULL, NULL);
    DefineCustomRealVariable("pg_advisor.index_min_initial_cost",
                             "Statements whose planner cost is below this are not worth an index.",
                             NULL, &pga_index_min_initial_cost, 100, 0, 1e15, PGC_USERSET, 0, NULL,
                             NULL, NULL);
    DefineCustomRealVariable(
        "pg_advisor.index_min_saving_pct",
        "An index is recommended for a statement only if it cuts the statement's planner cost "
        "by at least this percentage.",
        NULL, &pga_index_min_saving_pct, 50, 0, 100, PGC_USERSET, 0, NULL, NULL, NULL);
    DefineCustomRealVariable(
        "pg_advisor.index_wider_margin_pct",
        "A wider index (more key columns than a narrower candidate) must beat the narrower one "
        "by this percentage of the statement's cost.",
        NULL, &pga_index_wider_margin_pct, 20, 0, 100, PGC_USERSET, 0, NULL, NULL, NULL);
    DefineCustomIntVariable(
        "pg_advisor.max_indexes_per_table", "Most new indexes recommended for one table.", NULL,
        &pga_max_indexes_per_table, 3, 1, 100, PGC_USERSET, 0, NULL, NULL, NULL);
    DefineCustomRealVariable(
        "pg_advisor.hotspot_min_filter_pct",
        "A sequential scan is a hotspot only if its filters remove at least this percentage of "
        "the rows it reads.",
        NULL, &pga_hotspot_min_filter_pct, 50, 0, 100, PGC_USERSET, 0, NULL, NULL, NULL);

    DefineCustomIntVariable(
        "pg_advisor.max_relations_per_statement",
        "Statements naming more relations than this are not planned by the index advisor "
        "(advisor.recommend_indexes refuses them with this message).",
        NULL, &pga_max_relations_per_statement, 32, 1, 1000, PGC_USERSET, 0, NULL, NULL, NULL);
    DefineCustomIntVariable(
        "pg_advisor.max_candidates",
        "Index candidates one advisor run considers at most; tables beyond it are skipped with "
        "this reason.",
        NULL, &pga_max_candidates, 5000, 1, 1000000, PGC_USERSET, 0, NULL, NULL, NULL);
    DefineCustomIntVariable(
        "pg_advisor.advisor_memory_mb",
        "Memory one advisor run may hold for analysed statements and hypothetical indexes; "
        "statements beyond it are not planned (each planning's own memory is freed after it).",
        NULL, &pga_advisor_memory_mb, 256, 16, 1048576, PGC_USERSET, GUC_UNIT_MB, NULL, NULL, NULL);

    DefineCustomEnumVariable(
        "pg_advisor.index_size_model",
        "How the size of a hypothetical index is estimated: statistics (what CREATE INDEX would "
        "build) or hypopg (HypoPG's estimate, to compare costs with HypoPG-based tools).",
        NULL, &pga_index_size_model, 0, size_model_options, PGC_USERSET, 0, NULL, NULL, NULL);

    DefineCustomEnumVariable(
        "pg_advisor.query_ids",
        "How statements get the server's query id: cached (pg_advisor runs the server's jumble "
        "once per statement text shape and reuses the id) or core (EnableQueryId(): the "
        "server jumbles every statement, as with compute_query_id = on).",
        "Both give the same ids. With core, pg_stat_activity shows an id for every statement, "
        "at the cost of jumbling each one.",
        &pga_query_ids, PGA_QUERY_IDS_CACHED, query_id_options, PGC_POSTMASTER, 0, NULL, NULL,
        NULL);
    DefineCustomBoolVariable(
        "pg_advisor.verify_query_ids",
        "Checks every reused query id against a fresh jumble (for tests; mismatches are "
        "counted in advisor.capture_info).",
        NULL, &pga_verify_query_ids, false, PGC_SUSET, 0, NULL, NULL, NULL);

    pga_define_review_gucs();
    pga_define_ddl_gucs();

    PGA_RESERVE_GUC_PREFIX("pg_advisor");
}
