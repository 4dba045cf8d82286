// ddl::Facts answered over libpq for `pg_advisor lint --dsn`: table sizes, columns and indexes,
// function volatility, enum labels, the sessions holding conflicting locks right now, and the
// captured queries that use a table or column (advisor.query_patterns when the pg_advisor
// extension is installed, else pg_stat_statements when it is, else none). Each answer is read
// when a rule first asks for it and kept for the rest of the run. The session's search_path is
// read once (to resolve unqualified names as the migration would) and then pinned to
// pg_catalog, pg_temp so no user object can stand in for a catalog one.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ddl/facts.h"

struct pg_conn;

namespace pg_advisor::cli {

class LibpqFacts : public ddl::Facts {
  public:
    // Connects; throws std::runtime_error with libpq's message when it cannot.
    explicit LibpqFacts(const std::string &dsn);
    ~LibpqFacts() override;
    LibpqFacts(const LibpqFacts &) = delete;
    LibpqFacts &operator=(const LibpqFacts &) = delete;

    bool live() const override { return true; }
    int server_version() const override { return server_version_; }
    std::optional<ddl::TableFacts> table(const ddl::Name &name) const override;
    std::optional<ddl::IndexFacts> index(const ddl::Name &name) const override;
    std::vector<ddl::QueryUse> queries_using(const ddl::Name &table,
                                             const std::string &column) const override;
    std::vector<ddl::LockHolder> conflicting_locks(const ddl::Name &table,
                                                   ddl::LockMode mode) const override;
    std::optional<char> function_volatility(const std::string &name) const override;
    std::vector<std::string> enum_labels(const ddl::Name &type) const override;

    // Where captured queries come from: "advisor.query_patterns", "pg_stat_statements" or "".
    const std::string &query_source() const { return query_source_; }

  private:
    using Rows = std::vector<std::vector<std::optional<std::string>>>;
    Rows query(const std::string &sql, const std::vector<std::string> &params) const;
    std::optional<std::string> relation_oid(const ddl::Name &name, const char *kinds) const;
    std::vector<ddl::ColumnFacts> columns(const std::string &oid) const;
    std::vector<ddl::IndexFacts> indexes(const std::string &where, const std::string &param) const;

    pg_conn *conn_ = nullptr;
    int server_version_ = 0;
    std::string search_path_;   // the session's schemas, as a text[] literal
    std::string query_source_;  // see query_source()
    std::string pgss_schema_;
    mutable std::map<std::string, std::optional<ddl::TableFacts>> tables_;
    mutable std::map<std::string, std::optional<ddl::IndexFacts>> indexes_;
    mutable std::map<std::string, std::vector<ddl::QueryUse>> uses_;
    mutable std::map<std::string, std::vector<ddl::LockHolder>> locks_;
    mutable std::map<std::string, std::optional<char>> volatility_;
    mutable std::map<std::string, std::vector<std::string>> labels_;
};

// PostgreSQL's type name and typmod as the parser would write the type: "varchar" {20},
// "numeric" {10, 2}, "bpchar" {3}, "timestamptz" {3}; -1 has no modifiers.
std::vector<int64_t> decode_typmod(const std::string &type, int typmod);

}  // namespace pg_advisor::cli
