// Following a migration through its statements (see migration_state.h).
#include "core/ddl/migration_state.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "core/common/no_postgres.h"

namespace pg_advisor::ddl {

bool same_table(const Name &a, const Name &b) {
    if (a.name != b.name) return false;
    return a.schema == b.schema || a.schema.empty() || b.schema.empty();
}

namespace {

bool contains(const std::vector<Name> &names, const Name &n) {
    return std::any_of(names.begin(), names.end(), [&](const Name &x) { return same_table(x, n); });
}

void remove(std::vector<Name> &names, const Name &n) {
    names.erase(
        std::remove_if(names.begin(), names.end(), [&](const Name &x) { return same_table(x, n); }),
        names.end());
}

// Changes that leave ACCESS EXCLUSIVE held on their table until commit.
bool takes_access_exclusive(const Change &c) {
    return lock_taken(c) == LockMode::AccessExclusive;
}

}  // namespace

int64_t parse_timeout_ms(const std::string &value) {
    std::string v;
    for (char ch : value)
        if (!std::isspace(static_cast<unsigned char>(ch))) v += static_cast<char>(std::tolower(ch));
    if (v.empty()) return -1;
    if (v == "default") return -1;
    char *end = nullptr;
    double number = std::strtod(v.c_str(), &end);
    if (end == v.c_str()) return -1;
    std::string unit(end);
    double ms;
    if (unit.empty() || unit == "ms")
        ms = number;
    else if (unit == "us")
        ms = number / 1000;
    else if (unit == "s")
        ms = number * 1000;
    else if (unit == "min")
        ms = number * 60000;
    else if (unit == "h")
        ms = number * 3600000;
    else if (unit == "d")
        ms = number * 86400000;
    else
        return -1;
    // PostgreSQL refuses values above INT_MAX milliseconds (and NaN): so do we.
    if (!(ms >= 0) || ms > 2147483647.0) return -1;
    return static_cast<int64_t>(ms);
}

bool MigrationState::records_nothing() const {
    return created_tables.empty() && transaction_tables.empty() && created_indexes.empty() &&
           created_index_names.empty() && dropped_indexes.empty() && exclusive_tables.empty() &&
           not_valid_in_transaction.empty();
}

bool MigrationState::is_initial() const {
    return records_nothing() && lock_timeout_ms == -1 && statement_timeout_ms == -1 &&
           lock_timeout_outside_ms == -1 && statement_timeout_outside_ms == -1 &&
           !lock_timeout_local && !statement_timeout_local;
}

void MigrationState::forget_records() {
    created_tables.clear();
    transaction_tables.clear();
    created_indexes.clear();
    created_index_names.clear();
    dropped_indexes.clear();
    exclusive_tables.clear();
    not_valid_in_transaction.clear();
}

bool MigrationState::created(const Name &table) const {
    return contains(created_tables, table) || contains(transaction_tables, table);
}

bool MigrationState::holds_exclusive(const Name &table) const {
    return contains(exclusive_tables, table);
}

void MigrationState::end_transaction(bool committed) {
    in_transaction = false;
    begin_depth = 0;
    if (lock_timeout_local) lock_timeout_ms = lock_timeout_outside_ms;
    if (statement_timeout_local) statement_timeout_ms = statement_timeout_outside_ms;
    lock_timeout_local = statement_timeout_local = false;
    if (!committed)
        for (const Name &t : transaction_tables)
            remove(created_tables, t);
    transaction_tables.clear();
    exclusive_tables.clear();
    not_valid_in_transaction.clear();
}

void MigrationState::apply(const Statement &stmt) {
    for (const Change &c : stmt.changes) {
        switch (c.action) {
            case Action::Begin:
                if (begin_depth == 0) {
                    lock_timeout_outside_ms = lock_timeout_ms;
                    statement_timeout_outside_ms = statement_timeout_ms;
                }
                in_transaction = true;
                begin_depth++;
                break;
            case Action::Commit:
            case Action::Rollback:
                end_transaction(c.action == Action::Commit);
                break;
            case Action::Set: {
                int64_t ms = c.value.empty() ? -1 : parse_timeout_ms(c.value);
                if (c.setting == "lock_timeout") {
                    if (c.local && !in_transaction) break;  // SET LOCAL outside a block: no effect
                    if (c.local && !lock_timeout_local) {
                        lock_timeout_local = true;
                        lock_timeout_outside_ms = lock_timeout_ms;
                    } else if (!c.local && in_transaction) {
                        lock_timeout_outside_ms = ms;
                    }
                    lock_timeout_ms = ms;
                } else if (c.setting == "statement_timeout") {
                    if (c.local && !in_transaction) break;
                    if (c.local && !statement_timeout_local) {
                        statement_timeout_local = true;
                        statement_timeout_outside_ms = statement_timeout_ms;
                    } else if (!c.local && in_transaction) {
                        statement_timeout_outside_ms = ms;
                    }
                    statement_timeout_ms = ms;
                }
                break;
            }
            case Action::CreateTable:
            case Action::CreateTableAs:
                if (!contains(created_tables, c.target)) created_tables.push_back(c.target);
                if (in_transaction && !contains(transaction_tables, c.target))
                    transaction_tables.push_back(c.target);
                break;
            case Action::DropTable:
                remove(created_tables, c.target);
                remove(transaction_tables, c.target);
                break;
            case Action::RenameTable:
                if (contains(created_tables, c.target)) {
                    remove(created_tables, c.target);
                    created_tables.push_back({c.target.schema, c.new_name});
                }
                break;
            case Action::CreateIndex:
                created_indexes.push_back(c.index);
                created_index_names.push_back({c.index.table.schema, c.object});
                break;
            case Action::DropIndex:
                dropped_indexes.push_back(c.target);
                break;
            case Action::AddConstraint:
                if (in_transaction && c.constraint.not_valid)
                    not_valid_in_transaction.push_back({c.target, c.constraint.name});
                break;
            default:
                break;
        }
        if (in_transaction && takes_access_exclusive(c) && !c.target.empty() &&
            !contains(exclusive_tables, c.target))
            exclusive_tables.push_back(c.target);
    }
}

}  // namespace pg_advisor::ddl
