// Snapshot sections of the relation family (see catalog/snapshot_sql.h): tables, columns, table
// statistics, indexes, constraints and sequences. One query per section, whatever the number of
// tables, and every query reads only what the reading role may see (relation_ctes()).
//
// Locks. Catalogs and statistics functions take no lock on user relations, but the server's
// deparser does: pg_get_expr() with a relation, pg_get_indexdef() and pg_get_constraintdef() of
// CHECK and EXCLUDE constraints open the table with AccessShareLock for a moment (released at
// once), so they would queue behind an ACCESS EXCLUSIVE lock held or awaited by DDL; they also
// cost tens of microseconds each. So: index definitions, PRIMARY KEY, UNIQUE and FOREIGN KEY
// definitions are built from the catalog (definitions.h); column defaults, which cannot refer
// to columns, deparse without the table; index expressions and predicates, generated columns,
// CHECK and EXCLUDE texts are deparsed only for relations no other session holds or awaits such
// a lock on (the `locked` CTE), the others being flagged Table::ddl_locked with those texts
// left empty.
// pg_sequences is not used: pg_sequence_last_value() locks every sequence it reads until the
// transaction ends, which on a database with thousands of sequences fills the shared lock table
// ("out of shared memory" on 10,000 sequences). The last value is read only for sequences that
// can overflow a 32-bit key (their own bound, the owning column's type, or an integer
// foreign-key column referencing that column), at most 1000 of them (smallest capacity first,
// index_sections.cpp); rules fall back to the owning column's largest value in pg_stats.
#include "core/catalog/relation_sections.h"

#include <algorithm>
#include <cstdlib>

#include "core/common/no_postgres.h"

namespace pg_advisor::catalog {

// The relations every section reads: relkinds r, p, m, f, v outside the system schemas that the
// role owns or holds any privilege on (every one for superusers and pg_read_all_stats), and
// those another session holds or awaits an ACCESS EXCLUSIVE lock on.
std::string relation_ctes() {
    return "WITH reader AS MATERIALIZED ("
           "SELECT pg_has_role('pg_read_all_stats', 'USAGE') AS all_tables), "
           "rel AS MATERIALIZED (SELECT c.oid, n.nspname, c.relname, c.relkind "
           "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN reader "
           "WHERE c.relkind IN ('r', 'p', 'm', 'f', 'v') "
           "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
           "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
           "AND (reader.all_tables OR pg_has_role(c.relowner, 'USAGE') "
           "OR has_table_privilege(c.oid, "
           "'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') "
           "OR has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'))), "
           "locked AS MATERIALIZED (SELECT DISTINCT l.relation AS oid FROM pg_locks l "
           "WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock' "
           "AND l.pid IS DISTINCT FROM pg_backend_pid() "
           "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())) ";
}

Table *table_of(CatalogSnapshot &snap, const RowReader &r, size_t col) {
    int64_t oid = r.integer(col, 0);
    if (oid <= 0) r.fail(col, "not a relation oid");
    // The snapshot is ours to fill: the const lookup is the only one the model offers.
    return const_cast<Table *>(snap.table(static_cast<uint32_t>(oid)));
}

uint32_t oid_of(const RowReader &r, size_t col) {
    int64_t v = r.integer(col, 0);
    if (v < 0 || v > 0xFFFFFFFFLL) r.fail(col, "not an oid");
    return static_cast<uint32_t>(v);
}

namespace {

int16_t attnum_of(const RowReader &r, int64_t v, size_t col) {
    if (v < -32768 || v > 32767) r.fail(col, "not an attribute number");
    return static_cast<int16_t>(v);
}

}  // namespace

std::vector<int16_t> attnums(const RowReader &r, size_t col) {
    std::vector<int16_t> out;
    for (int64_t v : r.int_array(col))
        out.push_back(attnum_of(r, v, col));
    return out;
}

std::vector<std::string> split_expressions(std::string_view list) {
    std::vector<std::string> out;
    std::string item;
    int depth = 0;
    char quote = 0;  // inside '...' or "..."
    for (char ch : list) {
        if (quote) {
            if (ch == quote) quote = 0;  // a doubled quote closes and reopens: same result
        } else if (ch == '\'' || ch == '"') {
            quote = ch;
        } else if (ch == '(' || ch == '[') {
            depth++;
        } else if (ch == ')' || ch == ']') {
            depth--;
        } else if (ch == ',' && depth == 0) {
            out.push_back(item);
            item.clear();
            continue;
        }
        if (item.empty() && ch == ' ' && !quote) continue;
        item += ch;
    }
    if (!item.empty() || !out.empty()) out.push_back(item);
    return out;
}

namespace {

// ---- tables

enum TableCol {
    kTabOid,
    kTabSchema,
    kTabName,
    kTabKind,
    kTabPersistence,
    kTabOwner,
    kTabTuples,
    kTabPages,
    kTabToastPages,
    kTabIsPartition,
    kTabParent,
    kTabReplident,
    kTabRls,
    kTabRlsForced,
    kTabOptions,
    kTabXidAge,
    kTabMxidAge,
    kTabExtension,
    kTabComment,
    kTabGrantees,
    kTabPrivileges,
    kTabViewReads,
    kTabLocked,
    kTabDefaultAcl,
};

std::string tables_sql(int) {
    return relation_ctes() +
           "SELECT c.oid, rel.nspname, c.relname, c.relkind, c.relpersistence, "
           "pg_get_userbyid(c.relowner), c.reltuples, c.relpages, t.relpages, c.relispartition, "
           "inh.inhparent, c.relreplident, c.relrowsecurity, c.relforcerowsecurity, c.reloptions, "
           "CASE WHEN c.relkind IN ('r', 'm') THEN greatest(age(c.relfrozenxid), "
           "CASE WHEN t.oid IS NOT NULL THEN age(t.relfrozenxid) END) END, "
           "CASE WHEN c.relkind IN ('r', 'm') THEN greatest(mxid_age(c.relminmxid), "
           "CASE WHEN t.oid IS NOT NULL THEN mxid_age(t.relminmxid) END) END, "
           "ext.objid IS NOT NULL, d.description, acl.grantees, acl.privileges, vr.reads, "
           "lk.oid IS NOT NULL, c.relacl IS NULL "
           "FROM rel JOIN pg_class c ON c.oid = rel.oid "
           "LEFT JOIN pg_class t ON t.oid = c.reltoastrelid "
           "LEFT JOIN pg_inherits inh ON c.relispartition AND inh.inhrelid = c.oid "
           "LEFT JOIN (SELECT DISTINCT objid FROM pg_depend WHERE classid = "
           "'pg_class'::regclass AND deptype = 'e') ext ON ext.objid = c.oid "
           "LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass "
           "AND d.objoid = c.oid AND d.objsubid = 0 "
           "LEFT JOIN LATERAL (SELECT array_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' "
           "ELSE pg_get_userbyid(a.grantee) END) AS grantees, "
           "array_agg(a.privilege_type) AS privileges "
           // NULL relacl: the owner's default privileges, filled in by the loader.
           // One row per grantee and privilege: two grantors of one privilege are one grant.
           "FROM (SELECT DISTINCT grantee, privilege_type FROM aclexplode(c.relacl)) a) acl "
           "ON true "
           "LEFT JOIN (SELECT r.ev_class, array_agg(DISTINCT dep.refobjid) AS reads "
           "FROM pg_rewrite r JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass "
           "AND dep.objid = r.oid AND dep.refclassid = 'pg_class'::regclass "
           "AND dep.refobjid <> r.ev_class WHERE r.ev_type = '1' GROUP BY r.ev_class) vr "
           "ON vr.ev_class = c.oid "
           "LEFT JOIN locked lk ON lk.oid = c.oid";
}

// What acldefault('r', owner) grants: every table privilege to the owner, none to PUBLIC.
void default_grants(Table &t, int server_version_num) {
    for (const char *p : {"INSERT", "SELECT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES",
                          "TRIGGER", "MAINTAIN"}) {
        if (std::string(p) == "MAINTAIN" && server_version_num < 170000) continue;
        t.grants.push_back(Grant{t.owner, p});
    }
}

void load_table(CatalogSnapshot &snap, const RowReader &r) {
    Table t;
    t.oid = oid_of(r, kTabOid);
    t.schema = r.text(kTabSchema);
    t.name = r.text(kTabName);
    t.relkind = r.character(kTabKind, 'r');
    t.persistence = r.character(kTabPersistence, 'p');
    t.owner = r.text(kTabOwner);
    t.reltuples = r.number(kTabTuples, -1);
    t.relpages = r.number(kTabPages, 0);
    t.toast_pages = r.number(kTabToastPages, 0);
    t.is_partition = r.boolean(kTabIsPartition);
    t.parent = oid_of(r, kTabParent);
    t.replica_identity = r.character(kTabReplident, 'd');
    t.rls_enabled = r.boolean(kTabRls);
    t.rls_forced = r.boolean(kTabRlsForced);
    t.options = r.text_array(kTabOptions);
    t.xid_age = r.integer(kTabXidAge, -1);
    t.mxid_age = r.integer(kTabMxidAge, -1);
    t.extension_member = r.boolean(kTabExtension);
    t.comment = r.text(kTabComment);
    std::vector<std::string> grantees = r.text_array(kTabGrantees);
    std::vector<std::string> privileges = r.text_array(kTabPrivileges);
    if (grantees.size() != privileges.size())
        r.fail(kTabPrivileges, "as many privileges as grantees expected");
    for (size_t i = 0; i < grantees.size(); i++) {
        bool seen = std::any_of(t.grants.begin(), t.grants.end(), [&](const Grant &g) {
            return g.grantee == grantees[i] && g.privilege == privileges[i];
        });
        if (!seen) t.grants.push_back(Grant{grantees[i], privileges[i]});
    }
    if (r.boolean(kTabDefaultAcl)) default_grants(t, snap.database.server_version_num);
    for (int64_t oid : r.int_array(kTabViewReads))
        t.view_reads.push_back(static_cast<uint32_t>(oid));
    t.ddl_locked = r.boolean(kTabLocked);
    snap.tables.push_back(std::move(t));
}

// ---- columns

enum ColumnCol {
    kColTable,
    kColAttnum,
    kColName,
    kColType,
    kColTypeOid,
    kColCategory,
    kColTypmod,
    kColTyplen,
    kColNotNull,
    kColHasDefault,
    kColDefault,
    kColIdentity,
    kColGenerated,
    kColCollation,
    kColNullFrac,
    kColDistinct,
    kColWidth,
    kColCorrelation,
    kColFreqs,
    kColCommonValue,
    kColIntMax,
    kColHasStats,
};

// pg_statistic's slot of one kind (stakindN): its numbers or values.
std::string stat_slot(const char *what, int kind) {
    std::string sql = "CASE " + std::to_string(kind);
    for (int i = 1; i <= 5; i++)
        sql += " WHEN s.stakind" + std::to_string(i) + " THEN s." + what + std::to_string(i);
    return sql + " END";
}

// Where the statistics of a column come from, as SQL: pg_statistic (superusers and
// pg_read_all_data; five times cheaper on 10,000 tables) or pg_stats (everyone else: the view
// checks column privileges on every column of the database). A query must not even name
// pg_statistic for a role that may not read it: the permission check covers every relation in
// the query.
struct StatsSource {
    std::string cte;   // extra CTE
    std::string join;  // LEFT JOIN ... (a: pg_attribute, rel)
    std::string null_frac, n_distinct, avg_width, correlation, freqs, mcv, hist, present;
};

StatsSource pg_statistic_source() {
    return {"",
            "LEFT JOIN pg_statistic s ON s.starelid = a.attrelid AND s.staattnum = a.attnum "
            "AND s.stainherit = (rel.relkind = 'p') ",
            "s.stanullfrac",
            "s.stadistinct",
            "s.stawidth",
            "(" + stat_slot("stanumbers", 3) + ")[1]",
            "(" + stat_slot("stanumbers", 1) + ")",
            stat_slot("stavalues", 1),
            stat_slot("stavalues", 2),
            "s.starelid IS NOT NULL"};
}

StatsSource pg_stats_source() {
    return {
        ", ps AS (SELECT a.attrelid AS relid, a.attnum, ps.inherited, ps.null_frac, "
        "ps.n_distinct, ps.avg_width, ps.correlation, ps.most_common_freqs, "
        "ps.most_common_vals, ps.histogram_bounds FROM pg_stats ps "
        "JOIN rel ON rel.nspname = ps.schemaname AND rel.relname = ps.tablename "
        "JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attname = ps.attname) ",
        "LEFT JOIN ps ON ps.relid = a.attrelid AND ps.attnum = a.attnum "
        "AND ps.inherited = (rel.relkind = 'p') ",
        "ps.null_frac",
        "ps.n_distinct",
        "ps.avg_width",
        "ps.correlation",
        "ps.most_common_freqs",
        "ps.most_common_vals",
        "ps.histogram_bounds",
        "ps.relid IS NOT NULL"};
}

// Defaults cannot refer to columns, so they deparse without the table (no lock); generated
// columns' expressions need it, and are read only when no one locks the table. Statistics are
// reduced to what the rules read (the arrays themselves are large).
std::string columns_sql(const StatsSource &st) {
    return relation_ctes() + st.cte +
           "SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), "
           "a.atttypid, ty.typcategory, a.atttypmod, ty.typlen, a.attnotnull, ad.oid IS NOT NULL, "
           "CASE WHEN ad.oid IS NULL THEN NULL WHEN a.attgenerated = '' "
           "THEN pg_get_expr(ad.adbin, 0) WHEN lk.oid IS NULL "
           "THEN pg_get_expr(ad.adbin, ad.adrelid) END, "
           "nullif(a.attidentity, ''), nullif(a.attgenerated, ''), "
           "CASE WHEN a.attcollation <> ty.typcollation THEN co.collname END, " +
           st.null_frac + ", " + st.n_distinct + ", " + st.avg_width + ", " + st.correlation +
           ", " + st.freqs + "[1:5], CASE WHEN " + st.freqs + "[1] >= 0.5 THEN (" + st.mcv +
           "::text::text[])[1] END, "
           // The largest value of NOT NULL smallint / integer columns (the keys among them: the
           // overflow rule).
           "CASE WHEN a.attnotnull AND a.atttypid IN (21, 23) THEN greatest(substring(" +
           st.hist + "::text FROM '([^,{}]+)}$')::bigint, (SELECT max(v) FROM unnest(" + st.mcv +
           "::text::bigint[]) v)) END, " + st.present +
           " FROM rel JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attnum > 0 "
           "AND NOT a.attisdropped "
           "JOIN pg_type ty ON ty.oid = a.atttypid "
           "LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
           "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
           "LEFT JOIN locked lk ON lk.oid = rel.oid " +
           st.join;
}

std::string columns_from_statistic_sql(int) {
    return columns_sql(pg_statistic_source());
}

std::string columns_from_pg_stats_sql(int) {
    return columns_sql(pg_stats_source());
}

std::string statistic_access_sql(int) {
    return "SELECT has_table_privilege('pg_catalog.pg_statistic', 'SELECT')";
}

void load_statistic_access(CatalogSnapshot &snap, const RowReader &r) {
    snap.database.statistic_readable = r.boolean(0);
}

bool statistic_readable(const CatalogSnapshot &snap) {
    return snap.database.statistic_readable;
}

bool statistic_not_readable(const CatalogSnapshot &snap) {
    return !snap.database.statistic_readable;
}

// Rows come in no particular order (sorting 100,000 of them in the server spills to disk).
void sort_columns(CatalogSnapshot &snap) {
    for (Table &t : snap.tables)
        std::sort(t.columns.begin(), t.columns.end(),
                  [](const Column &a, const Column &b) { return a.attnum < b.attnum; });
}

ColumnStats column_stats(const RowReader &r) {
    ColumnStats s;
    s.present = r.boolean(kColHasStats);
    if (!s.present) return s;
    s.null_frac = r.number(kColNullFrac, 0);
    s.n_distinct = r.number(kColDistinct, 0);
    s.avg_width = r.number(kColWidth, 0);
    s.correlation = r.number(kColCorrelation, 0);
    for (const std::string &f : r.text_array(kColFreqs)) {
        char *end = nullptr;
        double v = std::strtod(f.c_str(), &end);
        if (f.empty() || *end != '\0') r.fail(kColFreqs, "not an array of numbers");
        s.most_common_freqs.push_back(v);
    }
    s.most_common_value = r.text(kColCommonValue);
    s.has_int_max = !r.is_null(kColIntMax);
    s.int_max = r.integer(kColIntMax, 0);
    return s;
}

void load_column(CatalogSnapshot &snap, const RowReader &r) {
    Table *t = table_of(snap, r, kColTable);
    if (t == nullptr) return;  // created after the tables section was read
    Column c;
    c.attnum = attnum_of(r, r.integer(kColAttnum, 0), kColAttnum);
    c.name = r.text(kColName);
    c.type = r.text(kColType);
    c.type_oid = oid_of(r, kColTypeOid);
    c.type_category = r.text(kColCategory);
    c.typmod = static_cast<int32_t>(r.integer(kColTypmod, -1));
    c.typlen = static_cast<int16_t>(r.integer(kColTyplen, 0));
    c.not_null = r.boolean(kColNotNull);
    c.has_default = r.boolean(kColHasDefault);
    c.default_expr = r.text(kColDefault);
    c.identity = r.character(kColIdentity, '\0');
    c.generated = r.character(kColGenerated, '\0');
    c.collation = r.text(kColCollation);
    c.stats = column_stats(r);
    t->columns.push_back(std::move(c));
}

// ---- table statistics

enum StatCol {
    kStTable,
    kStSeqScan,
    kStSeqRead,
    kStIdxScan,
    kStIdxFetch,
    kStIns,
    kStUpd,
    kStDel,
    kStHotUpd,
    kStNewpageUpd,
    kStLive,
    kStDead,
    kStModAnalyze,
    kStInsVacuum,
    kStLastVacuum,
    kStLastAutovacuum,
    kStLastAnalyze,
    kStLastAutoanalyze,
    kStLastSeqScan,
    kStLastIdxScan,
};

// What pg_stat_all_tables shows, from the same functions, but only for these tables (the view
// computes every relation of the database, and sums index scans per table with a join).
std::string table_stats_sql(int version) {
    bool pg16 = version >= 160000;
    std::string sql = relation_ctes();
    sql +=
        ", ix AS MATERIALIZED (SELECT i.indrelid, sum(pg_stat_get_numscans(i.indexrelid)) "
        "AS scans, sum(pg_stat_get_tuples_fetched(i.indexrelid)) AS fetched";
    sql += pg16 ? ", max(pg_stat_get_lastscan(i.indexrelid)) AS last_scan " : " ";
    sql +=
        "FROM rel JOIN pg_index i ON i.indrelid = rel.oid GROUP BY i.indrelid) "
        "SELECT rel.oid, pg_stat_get_numscans(rel.oid), pg_stat_get_tuples_returned(rel.oid), "
        "ix.scans, ix.fetched + pg_stat_get_tuples_fetched(rel.oid), "
        "pg_stat_get_tuples_inserted(rel.oid), pg_stat_get_tuples_updated(rel.oid), "
        "pg_stat_get_tuples_deleted(rel.oid), pg_stat_get_tuples_hot_updated(rel.oid), ";
    sql += pg16 ? "pg_stat_get_tuples_newpage_updated(rel.oid), " : "NULL, ";
    sql +=
        "pg_stat_get_live_tuples(rel.oid), pg_stat_get_dead_tuples(rel.oid), "
        "pg_stat_get_mod_since_analyze(rel.oid), ";
    sql += version >= 130000 ? "pg_stat_get_ins_since_vacuum(rel.oid), " : "NULL, ";
    sql +=
        "extract(epoch FROM pg_stat_get_last_vacuum_time(rel.oid)), "
        "extract(epoch FROM pg_stat_get_last_autovacuum_time(rel.oid)), "
        "extract(epoch FROM pg_stat_get_last_analyze_time(rel.oid)), "
        "extract(epoch FROM pg_stat_get_last_autoanalyze_time(rel.oid)), ";
    sql += pg16 ? "extract(epoch FROM pg_stat_get_lastscan(rel.oid)), "
                  "extract(epoch FROM ix.last_scan) "
                : "NULL, NULL ";
    sql += "FROM rel LEFT JOIN ix ON ix.indrelid = rel.oid WHERE rel.relkind IN ('r', 'm', 'p')";
    return sql;
}

void load_table_stats(CatalogSnapshot &snap, const RowReader &r) {
    Table *t = table_of(snap, r, kStTable);
    if (t == nullptr) return;
    TableStats &s = t->stats;
    s.present = true;
    s.seq_scan = r.integer(kStSeqScan);
    s.seq_tup_read = r.integer(kStSeqRead);
    s.idx_scan = r.integer(kStIdxScan);
    s.idx_tup_fetch = r.integer(kStIdxFetch);
    s.n_tup_ins = r.integer(kStIns);
    s.n_tup_upd = r.integer(kStUpd);
    s.n_tup_del = r.integer(kStDel);
    s.n_tup_hot_upd = r.integer(kStHotUpd);
    s.n_tup_newpage_upd = r.integer(kStNewpageUpd);
    s.n_live_tup = r.integer(kStLive);
    s.n_dead_tup = r.integer(kStDead);
    s.n_mod_since_analyze = r.integer(kStModAnalyze);
    s.n_ins_since_vacuum = r.integer(kStInsVacuum);
    s.last_vacuum = r.micros(kStLastVacuum);
    s.last_autovacuum = r.micros(kStLastAutovacuum);
    s.last_analyze = r.micros(kStLastAnalyze);
    s.last_autoanalyze = r.micros(kStLastAutoanalyze);
    s.last_seq_scan = r.micros(kStLastSeqScan);
    s.last_idx_scan = r.micros(kStLastIdxScan);
}

}  // namespace

const std::vector<SnapshotSection> &relation_sections() {
    static const std::vector<SnapshotSection> sections = {
        {"tables", tables_sql, load_table, sort_columns, nullptr},
        // One of the two, by the reader's privileges (see StatsSource).
        {"statistic_access", statistic_access_sql, load_statistic_access, nullptr, nullptr},
        {"columns", columns_from_statistic_sql, load_column, nullptr, statistic_readable},
        {"columns", columns_from_pg_stats_sql, load_column, nullptr, statistic_not_readable},
        {"table_stats", table_stats_sql, load_table_stats, nullptr, nullptr},
        index_section(),
        constraint_section(),
        sequence_section(),
    };
    return sections;
}

}  // namespace pg_advisor::catalog
