// A neutral snapshot of one database's catalog and cumulative statistics: what the review rules
// read. src/pg fills it over SPI and the command line over libpq, both from the same SQL
// (catalog/snapshot_sql.h), so a rule never sees a PostgreSQL structure.
//
// Only objects the reading role may see are in it: tables it owns or holds any privilege on
// (or every table for superusers and members of pg_read_all_stats), with their columns,
// indexes and constraints; functions it can execute or owns; statistics the server shows it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace pg_advisor::catalog {

// Timestamps are microseconds since the Unix epoch; 0 means "never" or "unknown".
using Micros = int64_t;

// A count that may be unknown (statistics the server does not have or does not show).
constexpr double kUnknown = -1;

struct ColumnStats {
    bool present = false;  // pg_stats has a row (ANALYZE ran and the role may read it)
    double null_frac = 0;
    double n_distinct = 0;  // > 0: distinct values; < 0: minus the fraction of rows
    double avg_width = 0;
    double correlation = 0;
    std::vector<double> most_common_freqs;  // descending (the first five at most)
    // The most common value as text, when it covers at least half of the rows ("" otherwise).
    std::string most_common_value;
    // NOT NULL smallint / integer columns: the largest value pg_stats saw (histogram bounds and
    // most common values) at the last ANALYZE.
    bool has_int_max = false;
    int64_t int_max = 0;
};

struct Column {
    int16_t attnum = 0;
    std::string name;
    std::string
        type;  // format_type(): "integer", "character varying(20)", "timestamp without time zone"
    uint32_t type_oid = 0;
    std::string type_category;  // pg_type.typcategory: N numeric, S string, D datetime, B boolean,
                                // A array, U user...
    int32_t typmod = -1;
    int16_t typlen = 0;
    bool not_null = false;
    std::string default_expr;  // pg_get_expr(adbin), empty when none (or the table is ddl_locked)
    bool has_default = false;  // a default exists (even when its text is unknown)
    char identity = '\0';      // 'a' ALWAYS, 'd' BY DEFAULT, '\0' none
    char generated = '\0';     // 's' STORED, '\0' none
    std::string collation;     // empty for the type's default
    ColumnStats stats;
};

struct Index {
    uint32_t oid = 0;
    std::string name;
    // CREATE INDEX ..., as pg_get_indexdef() prints it (built from the catalog, see
    // catalog/definitions.h); "" when an expression or the predicate is unknown (ddl_locked).
    std::string definition;
    std::string am;      // "btree", "gin", ...
    char relkind = 'i';  // 'i' index, 'I' partitioned index
    bool unique = false;
    bool primary = false;
    bool exclusion = false;
    bool valid = true;
    bool ready = true;
    bool live = true;
    bool replica_identity = false;
    bool nulls_not_distinct = false;
    bool being_built = false;             // pg_stat_progress_create_index lists it (or its table)
    std::vector<int16_t> keys;            // key columns in order; 0 for an expression
    std::vector<int16_t> include;         // INCLUDE columns
    std::vector<std::string> opclasses;   // per key column
    std::vector<bool> default_opclass;    // per key column: the type's default for the method
    std::vector<std::string> collations;  // per key column, "" = default
    // Per key column: the schema of the operator class and of the collation, "" for
    // pg_catalog (or none); definitions qualify the names with it.
    std::vector<std::string> opclass_schemas;
    std::vector<std::string> collation_schemas;
    std::vector<bool> descending;  // per key column
    std::string expressions;       // pg_get_expr(indexprs), empty when none
    std::string predicate;         // pg_get_expr(indpred), empty when not partial
    bool partial = false;          // has a predicate (even when its text is unknown)
    // Per key column: the expression's text for an expression key (keys[i] == 0), "" for a
    // plain column (split from `expressions`; empty vector when the text is unknown).
    std::vector<std::string> key_expressions;
    // The expression and predicate texts were read: false when the table or the index was
    // locked (ACCESS EXCLUSIVE) as the indexes were read; expressions, key_expressions,
    // predicate and definition are then unknown (empty) and must not be compared.
    bool texts_known = true;
    std::vector<bool> nulls_first;     // per key column
    std::vector<std::string> options;  // reloptions of the index, "fillfactor=70"
    uint32_t parent_index = 0;         // the partitioned index it is attached to, 0 when none
    uint32_t constraint_oid = 0;       // the constraint it backs (PK, UNIQUE, EXCLUDE), 0 when none
    double pages = 0;                  // relpages
    double tuples = 0;                 // reltuples
    int64_t scans = -1;                // pg_stat_all_indexes.idx_scan (-1 unknown)
    int64_t tuples_read = -1;
    Micros last_scan = 0;  // PG16+ last_idx_scan, 0 when unknown
};

struct Constraint {
    uint32_t oid = 0;
    std::string name;
    char type = '\0';  // 'p' primary, 'u' unique, 'f' foreign key, 'c' check, 'x' exclusion, 't'
                       // trigger, 'n' not null
    uint32_t table = 0;
    std::vector<int16_t> columns;
    uint32_t ref_table = 0;  // foreign keys: the referenced table
    std::vector<int16_t> ref_columns;
    bool validated = true;
    char match_type = 's';  // 'f' FULL, 'p' PARTIAL, 's' SIMPLE
    char on_delete = 'a';   // confdeltype
    char on_update = 'a';   // confupdtype
    bool deferrable = false;
    // As pg_get_constraintdef() prints it, without NOT VALID (see validated); the referenced
    // table of a foreign key schema-qualified. "" for CHECK / EXCLUDE when the table was
    // ddl_locked.
    std::string definition;
    uint32_t index_oid = 0;  // conindid
    uint32_t parent = 0;     // conparentid: the partitioned table's constraint it was cloned from
};

// Cumulative statistics of a table (pg_stat_all_tables); -1 where unknown.
struct TableStats {
    bool present = false;
    int64_t seq_scan = -1;
    int64_t seq_tup_read = -1;
    int64_t idx_scan = -1;
    int64_t idx_tup_fetch = -1;
    int64_t n_tup_ins = -1;
    int64_t n_tup_upd = -1;
    int64_t n_tup_del = -1;
    int64_t n_tup_hot_upd = -1;
    int64_t n_tup_newpage_upd = -1;  // PG16+
    int64_t n_live_tup = -1;
    int64_t n_dead_tup = -1;
    int64_t n_mod_since_analyze = -1;
    int64_t n_ins_since_vacuum = -1;
    Micros last_vacuum = 0;
    Micros last_autovacuum = 0;
    Micros last_analyze = 0;
    Micros last_autoanalyze = 0;
    Micros last_seq_scan = 0;  // PG16+
    Micros last_idx_scan = 0;  // PG16+
};

// A privilege granted on an object: grantee "PUBLIC" or a role name; privileges as in
// aclexplode() ("SELECT", "INSERT", "EXECUTE", "CREATE", "USAGE", ...).
struct Grant {
    std::string grantee;
    std::string privilege;
};

struct Table {
    uint32_t oid = 0;
    std::string schema;
    std::string name;
    char relkind = 'r';  // 'r' table, 'p' partitioned, 'm' materialized view, 'f' foreign, 'v' view
    char persistence = 'p';  // 'p' permanent, 'u' unlogged, 't' temporary
    std::string owner;
    double reltuples = -1;  // -1: never vacuumed or analysed (PG14+)
    double relpages = 0;
    double toast_pages = 0;
    bool is_partition = false;
    uint32_t parent = 0;  // partition parent, 0 when none
    char replica_identity = 'd';
    bool rls_enabled = false;
    bool rls_forced = false;
    std::vector<std::string> options;  // reloptions, "fillfactor=90", "security_invoker=true"
    int64_t xid_age = -1;              // age(relfrozenxid), the larger of table and TOAST table
    int64_t mxid_age = -1;             // mxid_age(relminmxid)
    bool extension_member = false;     // created by an extension (pg_depend 'e')
    // Another session held or awaited an ACCESS EXCLUSIVE lock on it when the snapshot was read:
    // texts that need the server's deparser (index definitions and expressions, CHECK and
    // EXCLUDE definitions, column defaults) were not read, so the snapshot never waits on DDL.
    bool ddl_locked = false;
    std::string comment;
    std::vector<Column> columns;  // live columns by attnum
    std::vector<Index> indexes;
    std::vector<uint32_t> view_reads;  // views and materialized views: the tables they read
    std::vector<Grant> grants;
    TableStats stats;

    const Column *column(int16_t attnum) const;
    const Column *column(const std::string &name) const;
    // "schema"."name" quoted where needed.
    std::string qualified() const;
};

struct Sequence {
    uint32_t oid = 0;
    std::string schema;
    std::string name;
    std::string type;  // "integer", "bigint", "smallint"
    int64_t last_value = 0;
    // false until nextval() ran, or when it was not read: the role may not read it, or it
    // cannot overflow a 32-bit key (bigint bounds, owning column and referencing columns), or
    // more sequences than the snapshot reads (reading a value locks the sequence until the
    // snapshot ends; see relation_sections.cpp).
    bool has_value = false;
    int64_t start_value = 1;
    int64_t min_value = 0;
    int64_t max_value = 0;
    int64_t increment = 1;
    bool cycle = false;
    uint32_t owned_by_table = 0;  // serial / identity column owning it, 0 when none
    int16_t owned_by_column = 0;
    std::string qualified() const;
};

struct Policy {
    uint32_t table = 0;
    std::string name;
    bool permissive = true;
    char command = '*';              // 'r' SELECT, 'a' INSERT, 'w' UPDATE, 'd' DELETE, '*' ALL
    std::vector<std::string> roles;  // "public" for PUBLIC
    std::string using_expr;          // pg_get_expr(polqual), empty when none
    std::string check_expr;          // pg_get_expr(polwithcheck), empty when none
    // The expressions were read: false when DDL held the table (ACCESS EXCLUSIVE) as the
    // policies were read; using_expr and check_expr are then empty and say nothing.
    bool texts_known = true;
};

struct Function {
    uint32_t oid = 0;
    std::string schema;
    std::string name;
    std::string arguments;  // pg_get_function_identity_arguments()
    std::string language;
    std::string owner;
    char kind = 'f';  // prokind
    char volatility = 'v';
    bool security_definer = false;
    std::vector<std::string> config;  // proconfig, "search_path=pg_catalog, pg_temp"
    bool public_execute = false;      // PUBLIC may execute it
    bool extension_member = false;
    // Roles other than PUBLIC and the owner granted EXECUTE.
    std::vector<std::string> execute_roles;
    bool sql_body = false;  // SQL-standard body (BEGIN ATOMIC / RETURN): names bound at creation
    std::string qualified() const;  // "schema"."name"(arguments)
};

struct Schema {
    uint32_t oid = 0;
    std::string name;
    std::string owner;
    bool owner_is_superuser = false;
    bool public_create = false;  // PUBLIC holds CREATE
    bool public_usage = false;
    bool system = false;  // pg_catalog, information_schema, pg_toast, ...
    // Created by an extension (pg_depend 'e'), or the schema a non-relocatable extension was
    // installed in (CREATE EXTENSION creates it without recording it as a member).
    bool extension_member = false;
};

struct Extension {
    std::string name;
    std::string schema;
    std::string version;
    std::string default_version;  // of the installed package, empty when unknown
    bool relocatable = false;     // ALTER EXTENSION ... SET SCHEMA works
};

struct Role {
    uint32_t oid = 0;  // 10 is the bootstrap superuser
    std::string name;
    bool superuser = false;
    bool login = false;
    bool bypass_rls = false;
    bool create_role = false;
    int connection_limit = -1;
    Micros valid_until = 0;
    std::vector<std::string> member_of;  // roles granted to it directly (pg_* roles included)
    std::vector<std::string> config;     // ALTER ROLE ... SET, "statement_timeout=60s"
};

// One server process, as pg_stat_activity shows it to the reading role (other users' state
// and query are empty without pg_read_all_stats).
struct Activity {
    int32_t pid = 0;
    std::string user;
    std::string database;
    std::string application_name;
    std::string backend_type;  // "client backend", "autovacuum worker", ...
    std::string state;         // "active", "idle", "idle in transaction", ... ("" hidden)
    std::string wait_event_type;
    std::string query;  // "" when hidden
    Micros backend_start = 0;
    Micros xact_start = 0;
    Micros query_start = 0;
    Micros state_change = 0;
    int64_t backend_xmin_age = -1;
    bool ssl = false;
    bool ssl_known = false;
    bool local = false;  // unix socket (no client address)
    std::string wait_event;
    int64_t backend_xid_age = -1;     // age(backend_xid): the transaction has written
    bool own = false;                 // the backend that read this snapshot
    bool details_hidden = false;      // the server hid its state and query from the reader
    std::vector<int32_t> blocked_by;  // pg_blocking_pids() while waiting on a lock
    std::string client_addr;          // host(client_addr), "" for sockets or when hidden
};

// pg_hba.conf rules (only superusers can read them; empty otherwise).
struct HbaRule {
    int line = 0;
    std::string type;  // local, host, hostssl, hostnossl
    std::vector<std::string> databases;
    std::vector<std::string> users;
    std::string address;
    std::string auth_method;
    std::string netmask;
};

// A transaction prepared for two-phase commit (pg_prepared_xacts).
struct PreparedXact {
    std::string gid;
    std::string owner;
    std::string database;
    Micros prepared = 0;
    int64_t xid_age = -1;  // age(transaction): how far it holds back the xmin horizon
};

// A replication slot (pg_replication_slots).
struct ReplicationSlot {
    std::string name;
    std::string plugin;  // logical decoding plugin, "" for physical slots
    std::string type;    // "physical", "logical"
    std::string database;
    bool active = false;
    bool temporary = false;
    int64_t xmin_age = -1;          // age(xmin), -1 when the slot holds no xmin
    int64_t catalog_xmin_age = -1;  // age(catalog_xmin)
    std::string wal_status;         // reserved, extended, unreserved, lost
    int64_t retained_bytes = -1;    // WAL kept for it (current LSN - restart_lsn), -1 unknown
    int64_t safe_wal_size = -1;     // bytes left before max_slot_wal_keep_size, -1 no limit
};

// A user trigger (pg_trigger, not internal).
struct Trigger {
    uint32_t table = 0;
    std::string name;
    char enabled = 'O';  // 'O' origin, 'D' disabled, 'R' replica, 'A' always
};

// Checkpoints since the statistics reset (pg_stat_checkpointer, pg_stat_bgwriter before 17).
struct Checkpoints {
    bool present = false;
    int64_t timed = -1;
    int64_t requested = -1;
    double write_ms = -1;
    double sync_ms = -1;
    Micros stats_reset = 0;
};

struct Database {
    std::string name;
    std::string server_version;  // "15.18"
    int server_version_num = 0;
    Micros now = 0;          // when the snapshot was taken (server clock)
    Micros stats_reset = 0;  // pg_stat_database.stats_reset (0: never reset)
    Micros postmaster_start = 0;
    int64_t xid_age = -1;  // age(datfrozenxid)
    int64_t mxid_age = -1;
    int64_t size_bytes = -1;  // sum of pg_class.relpages x block_size (as of the last VACUUM)
    int64_t temp_bytes = -1;
    int64_t blks_hit = -1;
    int64_t blks_read = -1;
    int64_t xact_commit = -1;
    int64_t xact_rollback = -1;
    bool read_all_stats = false;  // the reading role sees every user's statistics
    bool superuser = false;       // the reading role is a superuser
    // The reading role may read pg_statistic (superusers, pg_read_all_data): column statistics
    // then come from it rather than from the much slower pg_stats (relation_sections.cpp).
    bool statistic_readable = false;
    bool hba_readable = false;  // hba_rules below came from pg_hba_file_rules
    std::string current_user;
    std::map<std::string, std::string> settings;  // name -> current_setting() (see snapshot_sql)
    // From the cluster family's database_usage section (-1 unknown): sessions since the
    // statistics reset (PG14+), and how many relations the catalog holds.
    int64_t sessions = -1;
    double session_time_ms = -1;
    int64_t relation_count = -1;  // pg_class rows (tables, indexes, TOAST, views, ...)
    int64_t table_count = -1;     // ordinary and partitioned tables
    std::string setting(const std::string &name, const std::string &fallback = "") const;
    double setting_number(const std::string &name, double fallback) const;
};

struct CatalogSnapshot {
    Database database;
    std::vector<Schema> schemas;
    std::vector<Table>
        tables;  // tables, partitioned tables, views, materialized views, foreign tables
    std::vector<Constraint> constraints;
    std::vector<Sequence> sequences;
    std::vector<Policy> policies;
    std::vector<Function> functions;
    std::vector<Extension> extensions;
    std::vector<Role> roles;
    std::vector<Activity> activity;
    std::vector<HbaRule> hba_rules;
    std::vector<PreparedXact> prepared_xacts;
    std::vector<ReplicationSlot> replication_slots;
    std::vector<Trigger> triggers;
    Checkpoints checkpoints;

    // Lookups (built by index()).
    const Table *table(uint32_t oid) const;
    const Schema *schema(const std::string &name) const;
    // Builds the lookup maps; call after filling (the loaders do).
    void index();

  private:
    std::unordered_map<uint32_t, size_t> table_by_oid_;
    std::unordered_map<std::string, size_t> schema_by_name_;
};

// Quotes an identifier the way quote_ident() does (only when needed).
std::string quote_ident(const std::string &name);
// "schema"."name", each part quoted where needed.
std::string qualified_name(const std::string &schema, const std::string &name);
// A string literal for SQL ('it''s').
std::string quote_literal(const std::string &value);

}  // namespace pg_advisor::catalog
