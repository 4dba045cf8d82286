// Builders for the migration rule tests: statements and changes by hand, a fake database.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ddl/lint.h"

namespace pg_advisor::ddl::test {

inline Name T(const std::string &name, const std::string &schema = "") {
    return {schema, name};
}

inline TypeSpec type(const std::string &name, std::vector<int64_t> mods = {}) {
    TypeSpec t;
    t.name = name;
    t.modifiers = std::move(mods);
    return t;
}

inline Change change(Action a, Name target = {}) {
    Change c;
    c.action = a;
    c.target = std::move(target);
    return c;
}

inline Statement stmt(std::string text, std::vector<Change> changes) {
    Statement s;
    s.text = std::move(text);
    s.changes = std::move(changes);
    return s;
}

inline Statement stmt(std::string text, Change c) {
    return stmt(std::move(text), std::vector<Change>{std::move(c)});
}

inline Statement begin() {
    return stmt("BEGIN", change(Action::Begin));
}
inline Statement commit() {
    return stmt("COMMIT", change(Action::Commit));
}
inline Statement set(const std::string &name, const std::string &value, bool local = false) {
    Change c = change(Action::Set);
    c.setting = name;
    c.value = value;
    c.local = local;
    return stmt("SET " + name + " = '" + value + "'", c);
}

inline Statement create_table(const std::string &name, std::vector<ColumnSpec> cols = {}) {
    Change c = change(Action::CreateTable, T(name));
    c.columns = std::move(cols);
    return stmt("CREATE TABLE " + name + " (...)", c);
}

inline ColumnSpec column(const std::string &name, TypeSpec t) {
    ColumnSpec c;
    c.name = name;
    c.type = std::move(t);
    return c;
}

inline Statement create_index(const std::string &text, const std::string &table,
                              std::vector<std::string> cols, const std::string &name = "",
                              bool concurrently = false) {
    Change c = change(Action::CreateIndex);
    c.index.table = T(table);
    c.index.columns = std::move(cols);
    c.object = name;
    c.concurrently = concurrently;
    return stmt(text, c);
}

inline Constraint constraint(ConstraintKind kind, const std::string &name,
                             std::vector<std::string> cols) {
    Constraint k;
    k.kind = kind;
    k.name = name;
    k.columns = std::move(cols);
    return k;
}

inline Statement add_constraint(const std::string &text, const std::string &table, Constraint k) {
    Change c = change(Action::AddConstraint, T(table));
    c.constraint = std::move(k);
    return stmt(text, c);
}

inline Statement add_column(const std::string &text, const std::string &table, ColumnSpec col) {
    Change c = change(Action::AddColumn, T(table));
    c.column_def = std::move(col);
    return stmt(text, c);
}

inline Statement column_change(const std::string &text, Action a, const std::string &table,
                               const std::string &column) {
    Change c = change(a, T(table));
    c.column = column;
    return stmt(text, c);
}

// A database that knows what the test tells it.
class FakeFacts : public Facts {
  public:
    bool is_live = true;
    int version = 150000;
    std::vector<TableFacts> tables;
    std::vector<IndexFacts> indexes;
    std::vector<QueryUse> queries;
    std::vector<LockHolder> holders;
    std::map<std::string, char> volatility;
    std::vector<std::string> labels;

    bool live() const override { return is_live; }
    int server_version() const override { return version; }
    std::optional<TableFacts> table(const Name &n) const override {
        for (const TableFacts &t : tables)
            if (same_table(t.name, n)) return t;
        return std::nullopt;
    }
    std::optional<IndexFacts> index(const Name &n) const override {
        for (const IndexFacts &i : indexes)
            if (same_table(i.name, n)) return i;
        return std::nullopt;
    }
    std::vector<QueryUse> queries_using(const Name &, const std::string &) const override {
        return queries;
    }
    std::vector<LockHolder> conflicting_locks(const Name &, LockMode) const override {
        return holders;
    }
    std::optional<char> function_volatility(const std::string &name) const override {
        auto it = volatility.find(name);
        if (it == volatility.end()) return std::nullopt;
        return it->second;
    }
    std::vector<std::string> enum_labels(const Name &) const override { return labels; }

    // A table of `bytes` with `rows` rows.
    TableFacts &add_table(const std::string &name, int64_t bytes, double rows) {
        TableFacts t;
        t.name = T(name, "public");
        t.bytes = bytes;
        t.rows = rows;
        tables.push_back(t);
        return tables.back();
    }
};

constexpr int64_t kMB = 1024 * 1024;
constexpr int64_t kGB = 1024 * kMB;

// The findings of one rule, linting `statements` from a fresh state.
inline std::vector<review::Finding> run(const std::string &rule, std::vector<Statement> statements,
                                        const Facts &facts, LintOptions options = {}) {
    MigrationState state;
    for (size_t i = 0; i < statements.size(); i++)
        statements[i].line = static_cast<int>(i) + 1;
    LintResult r = lint(statements, facts, state, options);
    std::vector<review::Finding> out;
    for (DdlFinding &d : r.findings)
        if (d.finding.rule == rule) out.push_back(std::move(d.finding));
    return out;
}

inline std::vector<review::Finding> run(const std::string &rule,
                                        std::vector<Statement> statements) {
    static const Facts offline;
    return run(rule, std::move(statements), offline);
}

}  // namespace pg_advisor::ddl::test
