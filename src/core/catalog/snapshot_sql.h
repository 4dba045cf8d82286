// The SQL that fills a CatalogSnapshot, and the loaders that read its rows. The same queries run
// inside the server (src/pg, over SPI, as the calling role) and from the command line (over
// libpq), so both see the same evidence and the rules give the same findings.
//
// Rules for every query here:
//   - read only catalogs, statistics views and functions that take no lock on user relations
//     (no pg_relation_size(), no pg_get_viewdef(): sizes come from relpages), so reading the
//     review never waits behind DDL nor blocks it;
//   - return only what the reading role may see (see catalog_snapshot.h);
//   - every column is read as text (NULL allowed); the loader parses it and throws
//     SnapshotError naming the section, row and column when a value does not parse.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalog/catalog_snapshot.h"

namespace pg_advisor::catalog {

struct SnapshotError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One row: text values, std::nullopt for NULL.
using Row = std::vector<std::optional<std::string>>;

// A query result as the server or libpq hands it over: row-major NUL-terminated texts,
// nullptr for NULL, owned by the caller (read in place: a catalog of 10,000 tables has a
// million of them).
struct TextCells {
    const char *const *cells = nullptr;
    size_t nrows = 0;
    size_t ncols = 0;
    const char *const *row(size_t r) const { return cells + r * ncols; }
};

// Typed access to one row of a section, with errors that name what was wrong.
class RowReader {
  public:
    RowReader(std::string_view section, size_t row_number, const char *const *cells, size_t ncols)
        : section_(section), row_number_(row_number), cells_(cells), ncols_(ncols) {}
    RowReader(std::string_view section, size_t row_number, const Row &row);
    RowReader(const RowReader &) = delete;
    RowReader &operator=(const RowReader &) = delete;
    size_t size() const { return ncols_; }
    bool is_null(size_t col) const;
    std::string text(size_t col) const;  // "" for NULL
    int64_t integer(size_t col, int64_t if_null = -1) const;
    double number(size_t col, double if_null = -1) const;
    bool boolean(size_t col, bool if_null = false) const;  // "t"/"f", "true"/"false"
    char character(size_t col, char if_null = '\0') const;
    Micros micros(
        size_t col) const;  // from a float8 epoch in seconds (extract(epoch ...)); 0 for NULL
    // A PostgreSQL array literal of text ({a,"b c",NULL}): elements unquoted; NULL elements "".
    std::vector<std::string> text_array(size_t col) const;
    std::vector<int64_t> int_array(size_t col) const;  // int2vector/oidvector ("1 2 3") or {1,2,3}
    [[noreturn]] void fail(size_t col, std::string_view what) const;

  private:
    const char *value(size_t col) const;  // not NULL (is_null() checked first)
    std::string_view section_;
    size_t row_number_;
    std::vector<const char *> owned_;  // the pointers into a Row
    const char *const *cells_;
    size_t ncols_;
};

// One section of the snapshot: its query (for a server version) and how its rows are loaded.
struct SnapshotSection {
    const char *name;
    std::string (*sql)(int server_version_num);
    void (*load)(CatalogSnapshot &snapshot, const RowReader &row);
    // Runs after every section is loaded (links rows to tables, etc.); may be null.
    void (*finish)(CatalogSnapshot &snapshot);
    // Whether the query can run for this reader (e.g. pg_hba_file_rules needs privileges the
    // database section reports); null = always.
    bool (*available)(const CatalogSnapshot &snapshot);
};

// The database section (server version, settings, the reading role): read first, because the
// other queries depend on the server version.
const SnapshotSection &database_section();
// Every other section, in load order (tables before the sections that refer to them).
const std::vector<const SnapshotSection *> &snapshot_sections();

// The families of sections (one file each).
const std::vector<SnapshotSection>
    &relation_sections();  // tables, columns, stats, indexes, constraints, sequences
const std::vector<SnapshotSection>
    &cluster_sections();  // schemas, roles, functions, policies, extensions, activity, hba

// Loads the rows of one query into the snapshot; throws SnapshotError on malformed rows.
void load_rows(CatalogSnapshot &snapshot, const SnapshotSection &section, const TextCells &rows);
void load_rows(CatalogSnapshot &snapshot, const SnapshotSection &section,
               const std::vector<Row> &rows);
// After every section: runs the sections' finish steps and builds the lookups.
void finish_snapshot(CatalogSnapshot &snapshot);

}  // namespace pg_advisor::catalog
