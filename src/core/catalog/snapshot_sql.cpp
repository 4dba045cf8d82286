#include "core/catalog/snapshot_sql.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "core/common/no_postgres.h"

namespace pg_advisor::catalog {

// ---- RowReader

RowReader::RowReader(std::string_view section, size_t row_number, const Row &row)
    : section_(section), row_number_(row_number), cells_(nullptr), ncols_(row.size()) {
    owned_.reserve(row.size());
    for (const std::optional<std::string> &v : row)
        owned_.push_back(v ? v->c_str() : nullptr);
    cells_ = owned_.data();
}

const char *RowReader::value(size_t col) const {
    return cells_[col];
}

void RowReader::fail(size_t col, std::string_view what) const {
    std::string value =
        col < ncols_ && cells_[col] != nullptr ? std::string(cells_[col]) : std::string("NULL");
    if (value.size() > 64) value = value.substr(0, 64) + "...";
    throw SnapshotError("catalog snapshot, section " + std::string(section_) + ", row " +
                        std::to_string(row_number_ + 1) + ", column " + std::to_string(col + 1) +
                        ": " + std::string(what) + " (value: " + value + ")");
}

bool RowReader::is_null(size_t col) const {
    if (col >= ncols_) fail(col, "the query returned fewer columns than the loader reads");
    return cells_[col] == nullptr;
}

std::string RowReader::text(size_t col) const {
    return is_null(col) ? std::string() : std::string(value(col));
}

int64_t RowReader::integer(size_t col, int64_t if_null) const {
    if (is_null(col)) return if_null;
    const char *s = value(col);
    errno = 0;
    char *end = nullptr;
    long long v = std::strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno == ERANGE) {
        // Large counters arrive as numeric ("1234.0") from some expressions.
        double d = std::strtod(s, &end);
        if (*s == '\0' || *end != '\0' || !std::isfinite(d)) fail(col, "not an integer");
        return static_cast<int64_t>(d);
    }
    return v;
}

double RowReader::number(size_t col, double if_null) const {
    if (is_null(col)) return if_null;
    const char *s = value(col);
    char *end = nullptr;
    double v = std::strtod(s, &end);
    if (*s == '\0' || *end != '\0') fail(col, "not a number");
    return v;
}

bool RowReader::boolean(size_t col, bool if_null) const {
    if (is_null(col)) return if_null;
    std::string_view s = value(col);
    if (s == "t" || s == "true" || s == "on") return true;
    if (s == "f" || s == "false" || s == "off") return false;
    fail(col, "not a boolean");
}

char RowReader::character(size_t col, char if_null) const {
    if (is_null(col)) return if_null;
    std::string_view s = value(col);
    if (s.size() != 1) fail(col, "not a single character");
    return s[0];
}

Micros RowReader::micros(size_t col) const {
    if (is_null(col)) return 0;
    double seconds = number(col);
    return static_cast<Micros>(std::llround(seconds * 1e6));
}

std::vector<std::string> RowReader::text_array(size_t col) const {
    std::vector<std::string> out;
    if (is_null(col)) return out;
    std::string_view s = value(col);
    if (s.size() < 2 || s.front() != '{' || s.back() != '}') fail(col, "not an array");
    size_t i = 1, end = s.size() - 1;
    while (i < end) {
        std::string item;
        bool quoted = false;
        if (s[i] == '"') {
            quoted = true;
            i++;
            while (i < end && s[i] != '"') {
                if (s[i] == '\\' && i + 1 < end) i++;
                item += s[i++];
            }
            if (i >= end) fail(col, "unterminated quoted array element");
            i++;  // closing quote
        } else {
            while (i < end && s[i] != ',')
                item += s[i++];
        }
        if (!quoted && item == "NULL") item.clear();
        out.push_back(std::move(item));
        if (i < end && s[i] != ',') fail(col, "malformed array");
        if (i < end) i++;  // ','
    }
    return out;
}

std::vector<int64_t> RowReader::int_array(size_t col) const {
    std::vector<int64_t> out;
    if (is_null(col)) return out;
    std::string s = value(col);
    if (!s.empty() && s.front() == '{') {
        if (s.back() != '}') fail(col, "not an array");
        s = s.substr(1, s.size() - 2);
    }
    const char *p = s.c_str();
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p) break;
        char *end = nullptr;
        long long v = std::strtoll(p, &end, 10);
        if (end == p) fail(col, "not an integer array");
        out.push_back(v);
        p = end;
    }
    return out;
}

// ---- Sections

namespace {

// Settings the rules read, as pg_settings.setting (raw value in pg_settings.unit).
constexpr const char *kSettings =
    "'autovacuum', 'autovacuum_analyze_scale_factor', 'autovacuum_analyze_threshold', "
    "'autovacuum_freeze_max_age', 'autovacuum_max_workers', "
    "'autovacuum_multixact_freeze_max_age', 'autovacuum_vacuum_cost_limit', "
    "'autovacuum_vacuum_insert_scale_factor', 'autovacuum_vacuum_insert_threshold', "
    "'autovacuum_vacuum_scale_factor', 'autovacuum_vacuum_threshold', 'block_size', "
    "'effective_cache_size', 'idle_in_transaction_session_timeout', 'lock_timeout', "
    "'log_min_duration_statement', 'maintenance_work_mem', 'max_connections', "
    "'password_encryption', 'random_page_cost', 'reserved_connections', 'shared_buffers', "
    "'shared_preload_libraries', 'ssl', 'statement_timeout', 'superuser_reserved_connections', "
    "'track_counts', 'vacuum_freeze_min_age', 'work_mem'";

std::string database_sql(int) {
    return std::string(
               "SELECT current_database(), current_setting('server_version'), "
               "current_setting('server_version_num'), extract(epoch FROM now()), "
               "extract(epoch FROM pg_postmaster_start_time()), extract(epoch FROM s.stats_reset), "
               "age(d.datfrozenxid), mxid_age(d.datminmxid), "
               // pg_database_size() stats every file (a tenth of a second at 10,000
               // tables); the pages the catalog records are close enough for a ratio.
               "(SELECT sum(relpages)::bigint * current_setting('block_size')::bigint "
               "FROM pg_class), s.temp_bytes, s.blks_hit, s.blks_read, "
               "s.xact_commit, s.xact_rollback, pg_has_role('pg_read_all_stats', 'USAGE'), "
               "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user), current_user, "
               "has_function_privilege('pg_catalog.pg_hba_file_rules()', 'EXECUTE') AND "
               "has_table_privilege('pg_catalog.pg_hba_file_rules', 'SELECT'), "
               "(SELECT array_agg(name || '=' || setting ORDER BY name) FROM pg_settings "
               "WHERE name IN (") +
           kSettings +
           ")) FROM pg_database d LEFT JOIN pg_stat_database s ON s.datid = d.oid "
           "WHERE d.datname = current_database()";
}

void load_database(CatalogSnapshot &snap, const RowReader &r) {
    Database &d = snap.database;
    d.name = r.text(0);
    d.server_version = r.text(1);
    d.server_version_num = static_cast<int>(r.integer(2, 0));
    d.now = r.micros(3);
    d.postmaster_start = r.micros(4);
    d.stats_reset = r.micros(5);
    d.xid_age = r.integer(6);
    d.mxid_age = r.integer(7);
    d.size_bytes = r.integer(8);
    d.temp_bytes = r.integer(9);
    d.blks_hit = r.integer(10);
    d.blks_read = r.integer(11);
    d.xact_commit = r.integer(12);
    d.xact_rollback = r.integer(13);
    d.read_all_stats = r.boolean(14);
    d.superuser = r.boolean(15);
    d.current_user = r.text(16);
    d.hba_readable = r.boolean(17);
    for (const std::string &kv : r.text_array(18)) {
        size_t eq = kv.find('=');
        if (eq == std::string::npos) r.fail(18, "a setting without '='");
        d.settings[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
}

}  // namespace

const SnapshotSection &database_section() {
    static const SnapshotSection section{"database", database_sql, load_database, nullptr, nullptr};
    return section;
}

const std::vector<const SnapshotSection *> &snapshot_sections() {
    static const std::vector<const SnapshotSection *> sections = [] {
        std::vector<const SnapshotSection *> v;
        for (const std::vector<SnapshotSection> *family :
             {&relation_sections(), &cluster_sections()})
            for (const SnapshotSection &s : *family)
                v.push_back(&s);
        return v;
    }();
    return sections;
}

void load_rows(CatalogSnapshot &snapshot, const SnapshotSection &section, const TextCells &rows) {
    for (size_t i = 0; i < rows.nrows; i++)
        section.load(snapshot, RowReader(section.name, i, rows.row(i), rows.ncols));
    // Sections that refer to tables look them up while loading.
    snapshot.index();
}

void load_rows(CatalogSnapshot &snapshot, const SnapshotSection &section,
               const std::vector<Row> &rows) {
    for (size_t i = 0; i < rows.size(); i++)
        section.load(snapshot, RowReader(section.name, i, rows[i]));
    snapshot.index();
}

void finish_snapshot(CatalogSnapshot &snapshot) {
    snapshot.index();
    for (const SnapshotSection *s : snapshot_sections())
        if (s->finish) s->finish(snapshot);
    snapshot.index();
}

}  // namespace pg_advisor::catalog
