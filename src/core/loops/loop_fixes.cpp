#include "core/loops/loop_fixes.h"

#include <cctype>

#include "core/loops/loop_finding.h"
#include "core/workload/scan_shape.h"
#include "core/sql/sql_lexer.h"
#include "core/common/no_postgres.h"

namespace pg_advisor {

namespace {

using sql::is_ident_char;
using sql::is_ident_start;
using sql::is_space;

bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); i++)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

struct Token {
    size_t begin = 0, end = 0;
    std::string_view text;
};

// Next token at or after pos (whitespace and comments skipped); empty at the end.
Token next_token(std::string_view sql, size_t pos) {
    Token t;
    t.begin = sql::skip_space_and_comments(sql, pos);
    if (t.begin >= sql.size()) {
        t.begin = t.end = sql.size();
        return t;
    }
    unsigned char c = static_cast<unsigned char>(sql[t.begin]);
    // Operators are single characters here except the ones we must not confuse with '='.
    if (c == '<' || c == '>' || c == '!' || c == '=') {
        t.end = t.begin + 1;
        while (t.end < sql.size() && (sql[t.end] == '=' || sql[t.end] == '>' || sql[t.end] == '<'))
            t.end++;
    } else if (c == ':' && t.begin + 1 < sql.size() && sql[t.begin + 1] == ':') {
        t.end = t.begin + 2;
    } else {
        t.end = sql::skip_token(sql, t.begin);
    }
    t.text = sql.substr(t.begin, t.end - t.begin);
    return t;
}

// Does identifier token t name column (bare: case-insensitive; "quoted": exact)?
bool names_column(const Token &t, std::string_view column) {
    if (t.text.empty() || column.empty()) return false;
    if (t.text.front() == '"' && t.text.size() >= 2 && t.text.back() == '"')
        return t.text.substr(1, t.text.size() - 2) == column;
    if (!is_ident_start(static_cast<unsigned char>(t.text.front()))) return false;
    return iequal(t.text, column);
}

bool is_param(const Token &t) {
    if (t.text.size() < 2 || t.text[0] != '$') return false;
    for (size_t i = 1; i < t.text.size(); i++)
        if (t.text[i] < '0' || t.text[i] > '9') return false;
    return true;
}

bool is_keyword(const Token &t, std::string_view kw) {
    return !t.text.empty() && is_ident_start(static_cast<unsigned char>(t.text.front())) &&
           iequal(t.text, kw);
}

// Largest $n in the text.
int max_param(std::string_view sql) {
    int best = 0;
    for (size_t pos = 0; pos < sql.size();) {
        Token t = next_token(sql, pos);
        if (t.end == t.begin) break;
        if (is_param(t)) {
            int v = 0;
            for (size_t i = 1; i < t.text.size() && v < 100000; i++)
                v = v * 10 + (t.text[i] - '0');
            if (v > best) best = v;
        }
        pos = t.end;
    }
    return best;
}

// Copies sql with every $n shifted by offset.
void add_shifted(std::string_view sql, int offset, TextBuffer &out) {
    size_t copied = 0;
    for (size_t pos = 0; pos < sql.size();) {
        Token t = next_token(sql, pos);
        if (t.end == t.begin) break;
        if (is_param(t)) {
            out.add(sql.substr(copied, t.begin - copied));
            int v = 0;
            for (size_t i = 1; i < t.text.size() && v < 100000; i++)
                v = v * 10 + (t.text[i] - '0');
            out.put('$');
            out.add_int(v + offset);
            copied = t.end;
        }
        pos = t.end;
    }
    out.add(sql.substr(copied));
}

// Position of the matching ')' for the '(' at open, or npos.
size_t closing_paren(std::string_view sql, size_t open) {
    int depth = 0;
    for (size_t pos = open; pos < sql.size();) {
        Token t = next_token(sql, pos);
        if (t.end == t.begin) break;
        if (t.text == "(") depth++;
        if (t.text == ")" && --depth == 0) return t.begin;
        pos = t.end;
    }
    return std::string_view::npos;
}

// Top-level keyword position (outside parentheses) at or after pos, or npos.
size_t find_keyword(std::string_view sql, std::string_view kw, size_t pos = 0) {
    int depth = 0;
    while (pos < sql.size()) {
        Token t = next_token(sql, pos);
        if (t.end == t.begin) break;
        if (t.text == "(") depth++;
        if (t.text == ")") depth--;
        if (depth == 0 && is_keyword(t, kw)) return t.begin;
        pos = t.end;
    }
    return std::string_view::npos;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && is_space(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

bool select_list_mentions(std::string_view sql, std::string_view column) {
    size_t from = find_keyword(sql, "FROM");
    if (from == std::string_view::npos) return true;
    std::string_view list = sql.substr(0, from);
    for (size_t pos = 0; pos < list.size();) {
        Token t = next_token(list, pos);
        if (t.end == t.begin) break;
        if (t.text == "*" || names_column(t, column)) return true;
        pos = t.end;
    }
    return false;
}

void add_batched_select(const LoopFixInput &in, TextBuffer &out) {
    FixedText<4096> rewritten;
    bool ok =
        !in.key_column.empty() && rewrite_equality_to_any(in.child_text, in.key_column, rewritten);
    if (!ok) {
        out.add("SELECT * FROM ").add(in.child_table_sql).add(" WHERE ");
        out.add(in.key_column_sql.empty() ? std::string_view("<key>") : in.key_column_sql);
        out.add(" = ANY($1)");
        return;
    }
    std::string_view sql = rewritten.view();
    // The caller needs the key to match rows to parents; add it to the select list.
    Token first = next_token(sql, 0);
    Token second = next_token(sql, first.end);
    bool plain_select = is_keyword(first, "SELECT") && !is_keyword(second, "DISTINCT");
    if (plain_select && (in.aggregate || !select_list_mentions(sql, in.key_column))) {
        out.add(sql.substr(0, first.end)).put(' ');
        out.add(in.key_column_sql).add(",");
        out.add(sql.substr(first.end));
    } else {
        out.add(sql);
    }
    if (in.aggregate && find_keyword(sql, "GROUP") == std::string_view::npos)
        out.add(" GROUP BY ").add(in.key_column_sql);
}

void add_batched_insert(const LoopFixInput &in, TextBuffer &out) {
    std::string_view sql = in.child_text;
    size_t values = find_keyword(sql, "VALUES");
    if (values != std::string_view::npos) {
        Token open = next_token(sql, values + 6);
        size_t close = open.text == "(" ? closing_paren(sql, open.begin) : std::string_view::npos;
        if (close != std::string_view::npos) {
            std::string_view tuple = sql.substr(open.begin, close + 1 - open.begin);
            int k = max_param(tuple);
            if (k > 0) {
                out.add(sql.substr(0, close + 1));
                for (int i = 1; i <= 2; i++) {
                    out.add(", ");
                    add_shifted(tuple, i * k, out);
                }
                out.add(sql.substr(close + 1));
                out.add("\n-- one statement for all rows: one tuple per row (");
                out.add(in.typical_repeats).add(" rows per loop here); for thousands of rows use ");
                out.add("COPY ").add(in.child_table_sql).add(" FROM STDIN");
                return;
            }
        }
    }
    out.add("INSERT INTO ").add(in.child_table_sql).add(" (...) VALUES (...), (...), ...");
    out.add("\n-- one multi-row INSERT (or COPY ")
        .add(in.child_table_sql)
        .add(" FROM STDIN) for all rows");
}

void add_batched_update(const LoopFixInput &in, TextBuffer &out) {
    std::string_view sql = in.child_text;
    size_t set = find_keyword(sql, "SET");
    size_t where = find_keyword(sql, "WHERE");
    bool simple = set != std::string_view::npos && where != std::string_view::npos && where > set &&
                  find_keyword(sql, "FROM") == std::string_view::npos &&
                  find_keyword(sql, "RETURNING") == std::string_view::npos &&
                  !in.key_column.empty();
    // Assignments "col = $n" and the key "key = $m" only.
    constexpr int kMax = 32;
    std::string_view cols[kMax];
    int ncols = 0;
    if (simple) {
        std::string_view assigns = sql.substr(set + 3, where - set - 3);
        size_t pos = 0;
        while (simple && pos < assigns.size()) {
            Token col = next_token(assigns, pos);
            if (col.end == col.begin) break;
            Token eq = next_token(assigns, col.end);
            Token val = next_token(assigns, eq.end);
            Token sep = next_token(assigns, val.end);
            simple = eq.text == "=" && is_param(val) && (sep.text == "," || sep.end == sep.begin) &&
                     ncols < kMax;
            if (simple) cols[ncols++] = col.text;
            pos = sep.end;
        }
        std::string_view cond = trim(sql.substr(where + 5));
        Token k = next_token(cond, 0);
        Token eq = next_token(cond, k.end);
        Token p = next_token(cond, eq.end);
        Token rest = next_token(cond, p.end);
        simple = simple && ncols > 0 && names_column(k, in.key_column) && eq.text == "=" &&
                 is_param(p) && rest.end == rest.begin;
    }
    if (simple) {
        out.add("UPDATE ").add(in.child_table_sql).add(" AS t SET ");
        for (int i = 0; i < ncols; i++) {
            if (i) out.add(", ");
            out.add(cols[i]).add(" = v.").add(cols[i]);
        }
        out.add(" FROM (VALUES ");
        int width = ncols + 1;
        for (int row = 0; row < 2; row++) {
            out.add(row ? ", (" : "(");
            for (int c = 0; c < width; c++) {
                if (c) out.add(", ");
                out.put('$');
                out.add_int(row * width + c + 1);
            }
            out.add(")");
        }
        out.add(", ...) AS v(").add(in.key_column_sql);
        for (int i = 0; i < ncols; i++)
            out.add(", ").add(cols[i]);
        out.add(") WHERE t.").add(in.key_column_sql).add(" = v.").add(in.key_column_sql);
        out.add("\n-- one statement for all rows: one (key, values) tuple per row");
        return;
    }
    out.add("UPDATE ")
        .add(in.child_table_sql)
        .add(" AS t SET ... FROM (VALUES (...), (...)) AS v(");
    out.add(in.key_column_sql.empty() ? std::string_view("key") : in.key_column_sql);
    out.add(", ...) WHERE t.");
    out.add(in.key_column_sql.empty() ? std::string_view("key") : in.key_column_sql);
    out.add(" = v.");
    out.add(in.key_column_sql.empty() ? std::string_view("key") : in.key_column_sql);
}

std::string_view strip_id(std::string_view column) {
    if (column.size() > 3 && iequal(column.substr(column.size() - 3), "_id"))
        return column.substr(0, column.size() - 3);
    if (column.size() > 2 && column.substr(column.size() - 2) == "Id")
        return column.substr(0, column.size() - 2);
    return column;
}

const char *command_verb(uint8_t command) {
    switch (static_cast<CommandKind>(command)) {
        case CommandKind::Insert:
            return "INSERT";
        case CommandKind::Update:
            return "UPDATE";
        case CommandKind::Delete:
            return "DELETE";
        case CommandKind::Merge:
            return "MERGE";
        default:
            return "SELECT";
    }
}

}  // namespace

bool rewrite_equality_to_any(std::string_view sql, std::string_view column, TextBuffer &out) {
    size_t found_at = std::string_view::npos, eq_begin = 0, param_end = 0, cast_end = 0;
    std::string_view param, cast;
    int matches = 0;
    for (size_t pos = 0; pos < sql.size();) {
        Token t = next_token(sql, pos);
        if (t.end == t.begin) break;
        pos = t.end;
        if (!names_column(t, column)) continue;
        Token eq = next_token(sql, t.end);
        if (eq.text != "=") continue;
        Token p = next_token(sql, eq.end);
        if (!is_param(p)) continue;
        matches++;
        found_at = t.begin;
        eq_begin = eq.begin;
        param = p.text;
        param_end = p.end;
        cast = {};
        cast_end = p.end;
        Token c = next_token(sql, p.end);
        if (c.text == "::") {
            Token type = next_token(sql, c.end);
            if (!type.text.empty() &&
                (is_ident_start(static_cast<unsigned char>(type.text[0])) || type.text[0] == '"')) {
                cast = type.text;
                cast_end = type.end;
            }
        }
    }
    if (matches != 1 || found_at == std::string_view::npos) return false;
    out.add(sql.substr(0, eq_begin)).add("= ANY(").add(param);
    if (!cast.empty()) out.add("::").add(cast).add("[]");
    out.add(")");
    out.add(sql.substr(cast.empty() ? param_end : cast_end));
    return true;
}

void write_suggested_sql(const LoopFixInput &in, TextBuffer &out) {
    switch (in.kind) {
        case LoopKind::NPlusOne:
            add_batched_select(in, out);
            out.add("\n-- one query for all parent rows: $1 is the array of their ");
            if (in.key_column_sql.empty())
                out.add("keys");
            else
                out.add(in.key_column_sql).add(" values");
            return;
        case LoopKind::Duplicate:
            out.add(in.child_text);
            out.add(
                "\n-- identical statement and parameters: run it once per request and reuse "
                "the result");
            return;
        case LoopKind::WriteLoop:
            switch (static_cast<CommandKind>(in.command)) {
                case CommandKind::Insert:
                    add_batched_insert(in, out);
                    return;
                case CommandKind::Update:
                    add_batched_update(in, out);
                    return;
                default: {
                    FixedText<4096> rewritten;
                    if (!in.key_column.empty() &&
                        rewrite_equality_to_any(in.child_text, in.key_column, rewritten)) {
                        out.add(rewritten.view());
                    } else {
                        out.add(command_verb(in.command)).add(" ... WHERE ");
                        out.add(in.key_column_sql.empty() ? std::string_view("<key>")
                                                          : in.key_column_sql);
                        out.add(" = ANY($1)");
                    }
                    out.add("\n-- one statement for all rows: $1 is the array of keys");
                    return;
                }
            }
    }
}

void write_orm_fix(const LoopFixInput &in, TextBuffer &out) {
    std::string_view fw = in.framework;
    std::string_view rel = in.child_table;
    std::string_view fk = strip_id(in.parent_fk_column);
    bool many_to_one = in.key_is_unique && !fk.empty();
    std::string_view name = many_to_one ? fk : rel;
    auto command = static_cast<CommandKind>(in.command);

    if (in.kind == LoopKind::NPlusOne) {
        if (fw == "django") {
            if (many_to_one)
                out.add("Django: add .select_related(\"")
                    .add(name)
                    .add("\") to the queryset that loads the parent rows");
            else
                out.add("Django: add .prefetch_related(\"")
                    .add(name)
                    .add("\") (the related name of ")
                    .add(rel)
                    .add(".")
                    .add(in.key_column)
                    .add(") to the queryset that loads the parent rows");
        } else if (fw == "sqlalchemy" || fw == "sqlmodel" || fw == "flask" || fw == "fastapi") {
            out.add(fw == "sqlmodel" ? "SQLModel" : "SQLAlchemy");
            if (many_to_one)
                out.add(": .options(joinedload(Parent.")
                    .add(name)
                    .add(")) on the query that loads the parents");
            else
                out.add(": .options(selectinload(Parent.")
                    .add(name)
                    .add(")) on the query that loads the parents");
        } else if (fw == "rails") {
            out.add("Rails: .includes(:").add(name).add(") on the relation that loads the parents");
        } else if (fw == "prisma") {
            out.add("Prisma: include: { ")
                .add(name)
                .add(": true } in the findMany that loads the parents");
        } else if (fw == "sequelize") {
            out.add("Sequelize: include: [{ association: '")
                .add(name)
                .add("' }] in the findAll that loads the parents");
        } else if (fw == "peewee") {
            if (many_to_one)
                out.add(
                    "Peewee: .join() the related model and .select() its columns, or "
                    "prefetch(parents, Related)");
            else
                out.add("Peewee: prefetch(parents_query, ChildModel.select()) for the rows of ")
                    .add(rel)
                    .add(" instead of reading the back-reference per row");
        } else if (fw == "objection") {
            out.add("Objection: .withGraphFetched('")
                .add(name)
                .add("') on the query that loads the parents");
        } else if (fw == "knex") {
            out.add("Knex: collect the parent keys and run one .whereIn('")
                .add(in.key_column)
                .add("', keys) query");
        } else if (fw == "typeorm") {
            out.add("TypeORM: relations: ['")
                .add(name)
                .add("'] (or leftJoinAndSelect) when loading the parents");
        } else {
            out.add(
                "Load the related rows together with the parents: eager loading in your ORM "
                "(Django prefetch_related/select_related, SQLAlchemy selectinload/joinedload, "
                "Rails includes, Prisma include, Sequelize include, Peewee prefetch), or "
                "collect the keys and run the batched query once");
        }
        return;
    }
    if (in.kind == LoopKind::Duplicate) {
        if (fw == "django")
            out.add(
                "Django: evaluate the queryset once and reuse it (assign it to a variable, or "
                "cached_property)");
        else if (fw == "rails")
            out.add("Rails: memoize the result (@x ||= ...) instead of querying it again");
        else
            out.add(
                "Run the query once per request and reuse the result (a local variable or a "
                "request-scoped cache)");
        return;
    }
    // Write loops.
    bool insert = command == CommandKind::Insert, update = command == CommandKind::Update;
    if (fw == "django")
        out.add(insert   ? "Django: Model.objects.bulk_create(objs)"
                : update ? "Django: Model.objects.bulk_update(objs, fields)"
                         : "Django: Model.objects.filter(pk__in=keys).delete()");
    else if (fw == "sqlalchemy" || fw == "sqlmodel")
        out.add(
            insert ? "SQLAlchemy: session.execute(insert(Table), [rows]) (executemany) or "
                     "session.add_all()"
            : update
                ? "SQLAlchemy: session.execute(update(Table), [rows]) (bulk UPDATE by primary key)"
                : "SQLAlchemy: session.execute(delete(Table).where(Table.key.in_(keys)))");
    else if (fw == "rails")
        out.add(insert   ? "Rails: Model.insert_all(rows)"
                : update ? "Rails: Model.upsert_all(rows) (or update_all for one value)"
                         : "Rails: Model.where(id: keys).delete_all");
    else if (fw == "prisma")
        out.add(insert   ? "Prisma: createMany({ data: rows })"
                : update ? "Prisma: updateMany, or one $executeRaw UPDATE ... FROM (VALUES ...)"
                         : "Prisma: deleteMany({ where: { id: { in: keys } } })");
    else if (fw == "sequelize")
        out.add(insert   ? "Sequelize: Model.bulkCreate(rows)"
                : update ? "Sequelize: Model.bulkCreate(rows, { updateOnDuplicate: [fields] })"
                         : "Sequelize: Model.destroy({ where: { id: keys } })");
    else if (fw == "peewee")
        out.add(insert   ? "Peewee: Model.insert_many(rows).execute()"
                : update ? "Peewee: Model.bulk_update(objs, fields=[...])"
                         : "Peewee: Model.delete().where(Model.id.in_(keys)).execute()");
    else if (fw == "objection" || fw == "knex")
        out.add(
            insert ? "Knex/Objection: insert(rows) with an array (or knex.batchInsert)"
                   : "Knex/Objection: one statement for all keys (whereIn) instead of one per row");
    else if (fw == "typeorm")
        out.add(insert ? "TypeORM: repository.insert(rows)"
                       : "TypeORM: one query builder statement for all rows");
    else
        out.add(
            insert
                ? "Write all rows with one multi-row INSERT (or COPY) instead of one INSERT per row"
                : "Change all rows with one set-based statement instead of one per row");
}

void write_expected_queries(const LoopFixInput &in, TextBuffer &out) {
    uint64_t n = in.typical_repeats;
    if (in.kind == LoopKind::NPlusOne) {
        out.add(n + 1).add(" -> 2");
    } else {
        out.add(n).add(" -> 1");
    }
}

void write_loop_reason(const LoopReasonInput &in, TextBuffer &out) {
    const char *scope = scope_kind_name(in.scope_kind);
    switch (in.kind) {
        case LoopKind::NPlusOne:
            out.add(command_verb(in.command)).add(" on ").add(in.child_table).add(" ran up to ");
            out.add(in.max_repeats).add(" times in one ").add(scope);
            if (!in.example_scope.empty()) out.add(" (").add(in.example_scope).add(")");
            out.add(" with up to ").add(in.max_distinct).add(" distinct parameter sets, ");
            if (in.parent_choice == ParentChoice::MultiRow && in.max_parent_rows == 0) {
                out.add(
                    "after a parent query that returns a list (its row count is not known): "
                    "one query per parent row");
            } else if (in.parent_choice == ParentChoice::MultiRow) {
                out.add("after a parent query returned ")
                    .add(in.max_parent_rows)
                    .add(" rows: one query per parent row");
            } else {
                out.add(
                    "after the preceding statement (no earlier statement in the scope returned "
                    "several rows): one query per item of a list the application holds");
            }
            break;
        case LoopKind::WriteLoop:
            out.add(in.max_repeats)
                .add(" single-row ")
                .add(command_verb(in.command))
                .add(" statements on ");
            out.add(in.child_table).add(" in one ").add(scope);
            if (!in.example_scope.empty()) out.add(" (").add(in.example_scope).add(")");
            out.add(": one round trip per row");
            break;
        case LoopKind::Duplicate:
            out.add("The same statement with identical parameters ran up to ").add(in.max_repeats);
            out.add(" times in one ").add(scope);
            if (!in.example_scope.empty()) out.add(" (").add(in.example_scope).add(")");
            break;
    }
    out.add(". Seen in ").add(in.occurrences).add(in.occurrences == 1 ? " " : " ").add(scope);
    out.add(in.occurrences == 1 ? "" : "s")
        .add(", ")
        .add(in.executions)
        .add(" executions in total");
    out.add(" (threshold: ").add(static_cast<uint64_t>(in.min_repeats)).add(" repeats).");
}

LoopReasonInput loop_reason_input(const FindingEntry &e, LoopKind kind,
                                  std::string_view child_table, std::string_view parent_text,
                                  uint32_t min_repeats) {
    LoopReasonInput r;
    r.kind = kind;
    r.command = e.child_command;
    r.scope_kind = static_cast<ScopeKind>(e.scope_kind);
    r.parent_choice = static_cast<ParentChoice>(e.parent_choice);
    r.child_table = child_table;
    r.parent_text = parent_text;
    r.example_scope = e.example_scope();
    r.occurrences = e.occurrences;
    r.executions = e.executions;
    r.max_repeats = e.max_repeats;
    r.max_distinct = e.max_distinct;
    r.max_parent_rows = e.max_parent_rows;
    r.min_repeats = min_repeats;
    return r;
}

}  // namespace pg_advisor
