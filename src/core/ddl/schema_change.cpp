// The schema-change model's names and the text helpers both front ends share.
#include "core/ddl/schema_change.h"

#include "core/ddl/facts.h"

#include <cctype>

#include "core/catalog/catalog_snapshot.h"
#include "core/sql/sql_lexer.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::ddl {

std::string_view lock_mode_name(LockMode m) {
    switch (m) {
        case LockMode::None:
            return "";
        case LockMode::AccessShare:
            return "ACCESS SHARE";
        case LockMode::RowShare:
            return "ROW SHARE";
        case LockMode::RowExclusive:
            return "ROW EXCLUSIVE";
        case LockMode::ShareUpdateExclusive:
            return "SHARE UPDATE EXCLUSIVE";
        case LockMode::Share:
            return "SHARE";
        case LockMode::ShareRowExclusive:
            return "SHARE ROW EXCLUSIVE";
        case LockMode::Exclusive:
            return "EXCLUSIVE";
        case LockMode::AccessExclusive:
            return "ACCESS EXCLUSIVE";
    }
    return "";
}

std::string_view lock_blocks(LockMode m) {
    switch (m) {
        case LockMode::None:
        case LockMode::AccessShare:
            return "nothing but ACCESS EXCLUSIVE";
        case LockMode::RowShare:
            return "EXCLUSIVE and ACCESS EXCLUSIVE locks";
        case LockMode::RowExclusive:
            return "SHARE locks and stronger (CREATE INDEX, not reads)";
        case LockMode::ShareUpdateExclusive:
            return "other schema changes and VACUUM, not reads or writes";
        case LockMode::Share:
            return "writes (INSERT, UPDATE, DELETE), not reads";
        case LockMode::ShareRowExclusive:
            return "writes (INSERT, UPDATE, DELETE), not reads";
        case LockMode::Exclusive:
            return "writes and SELECT ... FOR UPDATE, not plain reads";
        case LockMode::AccessExclusive:
            return "reads and writes";
    }
    return "";
}

LockMode lock_taken(const Change &c) {
    switch (c.action) {
        case Action::CreateIndex:
        case Action::Reindex:
            return c.concurrently ? LockMode::ShareUpdateExclusive : LockMode::Share;
        case Action::DropIndex:
        case Action::DetachPartition:
            return c.concurrently ? LockMode::ShareUpdateExclusive : LockMode::AccessExclusive;
        case Action::AddConstraint:
            if (c.constraint.kind == ConstraintKind::ForeignKey) return LockMode::ShareRowExclusive;
            return LockMode::AccessExclusive;
        case Action::ValidateConstraint:
        case Action::AttachPartition:
            return LockMode::ShareUpdateExclusive;
        case Action::DropTable:
        case Action::RenameTable:
        case Action::Truncate:
        case Action::AddColumn:
        case Action::DropColumn:
        case Action::RenameColumn:
        case Action::AlterColumnType:
        case Action::SetNotNull:
        case Action::DropNotNull:
        case Action::SetDefault:
        case Action::DropDefault:
        case Action::DropConstraint:
        case Action::VacuumFull:
        case Action::Cluster:
            return LockMode::AccessExclusive;
        case Action::Update:
        case Action::Delete:
        case Action::Insert:
            return LockMode::RowExclusive;
        default:
            return LockMode::None;
    }
}

bool asks_captured_queries(const Change &c) {
    switch (c.action) {
        case Action::RenameColumn:
        case Action::RenameTable:
        case Action::RenameSchema:
        case Action::AlterEnumRenameValue:
        case Action::DropColumn:
        case Action::DropTable:
        case Action::DropSchema:
        case Action::DropDatabase:
        case Action::Truncate:
            return true;
        default:
            return false;
    }
}

LockMode lock_mode_of(std::string_view mode) {
    static const char *const kNames[] = {"",
                                         "AccessShareLock",
                                         "RowShareLock",
                                         "RowExclusiveLock",
                                         "ShareUpdateExclusiveLock",
                                         "ShareLock",
                                         "ShareRowExclusiveLock",
                                         "ExclusiveLock",
                                         "AccessExclusiveLock"};
    for (int i = 1; i <= static_cast<int>(LockMode::AccessExclusive); i++)
        if (mode == kNames[i]) return static_cast<LockMode>(i);
    return LockMode::None;
}

bool locks_conflict(LockMode a, LockMode b) {
    // Row i: the modes (bit per LockMode) that mode i conflicts with, weakest first.
    static const uint16_t kConflicts[9] = {
        0,
        1u << 8,
        (1u << 7) | (1u << 8),
        (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8),
        (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8),
        (1u << 3) | (1u << 4) | (1u << 6) | (1u << 7) | (1u << 8),
        (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8),
        (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8),
        0x1fe,
    };
    return (kConflicts[static_cast<int>(a)] >> static_cast<int>(b)) & 1u;
}

std::string Name::sql() const {
    if (schema.empty()) return catalog::quote_ident(name);
    return catalog::quote_ident(schema) + "." + catalog::quote_ident(name);
}

std::string Name::plain() const {
    return schema.empty() ? name : schema + "." + name;
}

std::string TypeSpec::sql() const {
    std::string out =
        schema.empty() ? name : catalog::quote_ident(schema) + "." + catalog::quote_ident(name);
    if (!modifiers.empty()) {
        out += "(";
        for (size_t i = 0; i < modifiers.size(); i++) {
            if (i > 0) out += ",";
            out += std::to_string(modifiers[i]);
        }
        out += ")";
    }
    if (array) out += "[]";
    return out;
}

bool ColumnSpec::serial() const {
    return type.schema.empty() &&
           (type.name == "serial" || type.name == "bigserial" || type.name == "smallserial" ||
            type.name == "serial2" || type.name == "serial4" || type.name == "serial8");
}

std::string_view constraint_kind_name(ConstraintKind k) {
    switch (k) {
        case ConstraintKind::PrimaryKey:
            return "PRIMARY KEY";
        case ConstraintKind::Unique:
            return "UNIQUE";
        case ConstraintKind::ForeignKey:
            return "FOREIGN KEY";
        case ConstraintKind::Check:
            return "CHECK";
        case ConstraintKind::Exclusion:
            return "EXCLUDE";
        case ConstraintKind::NotNull:
            return "NOT NULL";
    }
    return "";
}

std::string_view action_name(Action a) {
    static const char *const kNames[] = {"begin",
                                         "commit",
                                         "rollback",
                                         "set",
                                         "create_table",
                                         "create_table_as",
                                         "drop_table",
                                         "rename_table",
                                         "truncate",
                                         "add_column",
                                         "drop_column",
                                         "rename_column",
                                         "alter_column_type",
                                         "set_not_null",
                                         "drop_not_null",
                                         "set_default",
                                         "drop_default",
                                         "add_constraint",
                                         "validate_constraint",
                                         "drop_constraint",
                                         "attach_partition",
                                         "detach_partition",
                                         "create_index",
                                         "drop_index",
                                         "reindex",
                                         "rename_schema",
                                         "drop_schema",
                                         "drop_database",
                                         "create_domain",
                                         "alter_domain_add_constraint",
                                         "alter_enum_add_value",
                                         "alter_enum_rename_value",
                                         "vacuum_full",
                                         "cluster",
                                         "update",
                                         "delete",
                                         "insert",
                                         "other"};
    static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<size_t>(Action::Other) + 1,
                  "one name per action");
    return kNames[static_cast<size_t>(a)];
}

namespace {

bool word_at(std::string_view text, size_t pos, size_t end, std::string_view word) {
    if (end - pos != word.size()) return false;
    for (size_t i = 0; i < word.size(); i++)
        if (std::tolower(static_cast<unsigned char>(text[pos + i])) != word[i]) return false;
    return true;
}

}  // namespace

std::vector<Span> split_statements(std::string_view script) {
    std::vector<Span> out;
    size_t pos = 0;
    const size_t n = script.size();
    auto start_statement = [&](size_t from) { return sql::skip_space_and_comments(script, from); };
    size_t begin = start_statement(0);
    int depth = 0;   // parentheses
    int atomic = 0;  // BEGIN ATOMIC ... END bodies
    bool prev_begin = false;
    pos = begin;
    while (pos < n) {
        unsigned char c = static_cast<unsigned char>(script[pos]);
        if (c == ';' && depth == 0 && atomic == 0) {
            if (pos > begin) out.push_back({begin, pos});
            begin = start_statement(pos + 1);
            pos = begin;
            prev_begin = false;
            continue;
        }
        if (sql::is_ident_start(c) &&
            (pos == 0 || !sql::is_ident_char(static_cast<unsigned char>(script[pos - 1])))) {
            size_t end = sql::identifier_end(script, pos);
            if (prev_begin && word_at(script, pos, end, "atomic"))
                atomic++;
            else if (atomic > 0 && word_at(script, pos, end, "end"))
                atomic--;
            prev_begin = word_at(script, pos, end, "begin");
            pos = end;
            continue;
        }
        if (c == '(')
            depth++;
        else if (c == ')' && depth > 0)
            depth--;
        if (!sql::is_space(c)) prev_begin = false;
        size_t next = sql::opens_construct(c) ? sql::skip_token(script, pos) : pos + 1;
        if (sql::opens_construct(c) && next > pos + 1) {
            // a comment keeps "BEGIN /* */ ATOMIC" together; anything else breaks it
            bool comment =
                (c == '-' && script[pos + 1] == '-') || (c == '/' && script[pos + 1] == '*');
            if (!comment) prev_begin = false;
        }
        pos = next;
    }
    if (begin < n) {
        // a last statement without ';' (trailing white space and comments are not one)
        size_t end = n;
        while (end > begin && sql::is_space(static_cast<unsigned char>(script[end - 1])))
            end--;
        if (end > begin) out.push_back({begin, end});
    }
    return out;
}

std::vector<Statement> script_statements(std::string_view script) {
    std::vector<Statement> out;
    size_t prev_end = 0;
    int line = 1, column = 1;
    size_t counted = 0;  // line/column are counted incrementally from here
    for (const Span &s : split_statements(script)) {
        Statement st;
        st.text = std::string(script.substr(s.begin, s.end - s.begin));
        st.offset = s.begin;
        int dl = 0, dc = 0;
        line_and_column(script.substr(counted, s.begin - counted), s.begin - counted, &dl, &dc);
        if (dl > 1) {
            line += dl - 1;
            column = dc;
        } else {
            column += dc - 1;
        }
        counted = s.begin;
        st.line = line;
        st.column = column;
        st.ignored_rules = ignored_rules(script.substr(prev_end, s.end - prev_end));
        prev_end = s.end;
        out.push_back(std::move(st));
    }
    return out;
}

void line_and_column(std::string_view text, size_t offset, int *line, int *column) {
    int l = 1, col = 1;
    if (offset > text.size()) offset = text.size();
    for (size_t i = 0; i < offset; i++) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            l++;
            col = 1;
        } else if ((c & 0xC0) != 0x80) {
            col++;
        }
    }
    *line = l;
    *column = col;
}

std::string expression_text(std::string_view statement, size_t start,
                            bool stop_at_constraint_keyword) {
    static const std::string_view kStops[] = {"not",       "null",   "check",      "references",
                                              "primary",   "unique", "constraint", "default",
                                              "generated", "collate"};
    const size_t n = statement.size();
    size_t pos = start;
    int depth = 0;
    size_t last = start;  // end of the last token of the expression
    while (pos < n) {
        unsigned char c = static_cast<unsigned char>(statement[pos]);
        if (sql::is_space(c)) {
            pos++;
            continue;
        }
        if (depth == 0 && (c == ',' || c == ')' || c == ';')) break;
        if (sql::is_ident_start(c)) {
            size_t end = sql::identifier_end(statement, pos);
            if (depth == 0 && stop_at_constraint_keyword && pos > start) {
                bool stop = false;
                for (std::string_view w : kStops)
                    if (word_at(statement, pos, end, w)) stop = true;
                if (stop) break;
            }
            pos = last = end;
            continue;
        }
        if (c == '(')
            depth++;
        else if (c == ')')
            depth--;
        size_t next = sql::opens_construct(c) ? sql::skip_token(statement, pos) : pos + 1;
        bool comment = next > pos + 1 && ((c == '-' && statement[pos + 1] == '-') ||
                                          (c == '/' && statement[pos + 1] == '*'));
        if (!comment) last = next;
        pos = next;
    }
    if (last > n) last = n;
    return std::string(statement.substr(start, last > start ? last - start : 0));
}

std::vector<std::string> ignored_rules(std::string_view text) {
    std::vector<std::string> out;
    static const std::string_view kMarker = "pg_advisor:ignore";
    size_t pos = 0;
    while ((pos = text.find(kMarker, pos)) != std::string_view::npos) {
        pos += kMarker.size();
        // the rest of the comment: up to "*/" or the end of the line
        size_t end = text.find_first_of("\n*", pos);
        if (end == std::string_view::npos) end = text.size();
        std::string word;
        for (size_t i = pos; i <= end; i++) {
            unsigned char c = i < end ? static_cast<unsigned char>(text[i]) : ',';
            if (std::isalnum(c) || c == '_') {
                word += static_cast<char>(std::tolower(c));
            } else if (!word.empty()) {
                out.push_back(word);
                word.clear();
            }
        }
        pos = end;
    }
    return out;
}

}  // namespace pg_advisor::ddl
