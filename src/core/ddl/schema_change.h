// A neutral model of a schema change: what one SQL statement of a migration creates, alters or
// drops, with the options that decide how it locks. Two front ends fill it from the same raw
// parse tree shape (PostgreSQL's grammar): src/pg/ddl from the server's own parser
// (raw_parser), src/cli/pg_query from libpg_query's JSON. The migration rules
// (review/rules/migration_*.cpp) read only this model, so one rule serves the live server,
// advisor.lint_ddl and `pg_advisor lint` alike, and golden fixtures run through both front ends
// must give the same findings.
//
// Conventions both front ends follow (tested by the same fixtures):
// - Names are as PostgreSQL folds them (unquoted identifiers lower-cased by the parser); an
//   unqualified name has schema "".
// - Type names are the parser's: `integer` is "int4", `bigint` "int8", `varchar(20)` "varchar"
//   with modifiers {20}, `serial` stays "serial" (the parser does not expand it); a
//   pg_catalog-qualified system type has schema "" ("pg_catalog" dropped).
// - Expression texts (defaults, CHECK, index expressions, WHERE) are slices of the statement
//   text, cut by ddl::expression_text() from the expression's location, so both front ends cut
//   the same bytes. The location is PostgreSQL's exprLocation() of the raw expression (the
//   leftmost of a node and its operands; a cast's type name does not count, so `interval
//   '1 day'` starts at the string); stop_at_constraint_keyword is true for column DEFAULTs of
//   CREATE TABLE / ADD COLUMN only. Expr::functions lists FuncCall names in tree order through
//   calls' arguments, operators, casts, AND/OR/NOT, IS NULL, COALESCE and CASE (duplicates kept).
// - Column-level REFERENCES / CHECK go to ColumnSpec::constraints (a REFERENCES with the column
//   as its key column); a GENERATED ... STORED expression is not a default (default_value stays
//   empty); ALTER COLUMN SET DEFAULT puts the expression in column_def.default_value; ATTACH /
//   DETACH PARTITION name the partition in `object` (Name::plain()); btree is method "".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pg_advisor::ddl {

// Table-level lock modes, weakest first (lock.h's order).
enum class LockMode : uint8_t {
    None,
    AccessShare,
    RowShare,
    RowExclusive,
    ShareUpdateExclusive,
    Share,
    ShareRowExclusive,
    Exclusive,
    AccessExclusive,
};
std::string_view lock_mode_name(LockMode m);  // "ACCESS EXCLUSIVE", "" for None
// What the mode blocks for other sessions, in words: "reads and writes", "writes", ...
std::string_view lock_blocks(LockMode m);

// The mode of a pg_locks.mode name ("RowExclusiveLock"); None for any other text.
LockMode lock_mode_of(std::string_view pg_locks_mode);
// Whether two table-level lock modes conflict (lock.c's conflict table; symmetric).
bool locks_conflict(LockMode a, LockMode b);

struct Change;
// The table lock a change takes (CREATE INDEX: SHARE, or SHARE UPDATE EXCLUSIVE concurrently;
// ADD FOREIGN KEY: SHARE ROW EXCLUSIVE; most ALTER TABLE forms: ACCESS EXCLUSIVE; data changes:
// ROW EXCLUSIVE); None for statements that lock no table.
LockMode lock_taken(const Change &c);

struct Name {
    std::string schema;  // "" = unqualified (found through search_path)
    std::string name;
    bool empty() const { return name.empty(); }
    // "schema"."name" or "name", identifiers quoted where needed (quote_ident rules).
    std::string sql() const;
    // schema.name without quotes ("name" alone when unqualified), for keys and messages.
    std::string plain() const;
    bool operator==(const Name &o) const { return schema == o.schema && name == o.name; }
    bool operator!=(const Name &o) const { return !(*this == o); }
};
// Identifiers are quoted with catalog::quote_ident (core/catalog/catalog_snapshot.h).

struct TypeSpec {
    std::string schema;  // "" for system types
    std::string name;    // parser's name: "int4", "varchar", "serial", "numeric", "my_enum"
    std::vector<int64_t> modifiers;  // integer type modifiers, in order ({20}, {10, 2})
    bool array = false;
    bool empty() const { return name.empty(); }
    std::string sql() const;  // "varchar(20)", "numeric(10,2)", "int4[]"
};

// An expression as written: its text (a slice of the statement) and what the rules need to know
// about it without evaluating it.
struct Expr {
    std::string text;                    // "" when absent
    std::vector<std::string> functions;  // names of the functions it calls, lower case, unqualified
    bool constant = false;               // a literal, optionally cast (no function, no column)
    bool present() const { return !text.empty(); }
};

struct ForeignKeyRef {
    Name table;
    std::vector<std::string> columns;  // referenced columns ("" list = the primary key)
};

enum class ConstraintKind : uint8_t { PrimaryKey, Unique, ForeignKey, Check, Exclusion, NotNull };
std::string_view constraint_kind_name(ConstraintKind k);  // "PRIMARY KEY", "FOREIGN KEY", ...

struct Constraint {
    ConstraintKind kind = ConstraintKind::Check;
    std::string name;                  // "" when the statement leaves it to PostgreSQL
    std::vector<std::string> columns;  // key / FK columns
    ForeignKeyRef references;          // ForeignKey
    Expr check;                        // Check
    bool not_valid = false;            // NOT VALID
    std::string using_index;           // ADD ... UNIQUE/PRIMARY KEY USING INDEX <name>
};

struct ColumnSpec {
    std::string name;
    TypeSpec type;
    bool not_null = false;
    bool primary_key = false;
    bool unique = false;
    Expr default_value;  // DEFAULT
    bool generated_stored = false;
    bool identity = false;                // GENERATED ... AS IDENTITY
    std::vector<Constraint> constraints;  // column-level CHECK / REFERENCES, as table-level ones
    bool serial() const;                  // smallserial / serial / bigserial (and serial2/4/8)
};

struct IndexSpec {
    Name table;
    std::vector<std::string> columns;  // key columns or expression texts, in order
    std::vector<std::string> include;  // INCLUDE columns
    bool unique = false;
    std::string method;  // "" = btree
    Expr predicate;      // WHERE
};

// What one change does. A statement yields one change per object or ALTER TABLE subcommand.
enum class Action : uint8_t {
    // transaction control and settings
    Begin,
    Commit,
    Rollback,
    Set,  // SET [LOCAL] name = value / RESET name (value "" = reset to default)
    // tables and columns
    CreateTable,
    CreateTableAs,
    DropTable,
    RenameTable,
    Truncate,
    AddColumn,
    DropColumn,
    RenameColumn,
    AlterColumnType,
    SetNotNull,
    DropNotNull,
    SetDefault,
    DropDefault,
    AddConstraint,
    ValidateConstraint,
    DropConstraint,
    AttachPartition,
    DetachPartition,
    // indexes
    CreateIndex,
    DropIndex,
    Reindex,
    // schemas, databases, types
    RenameSchema,
    DropSchema,
    DropDatabase,
    CreateDomain,
    AlterDomainAddConstraint,
    AlterEnumAddValue,
    AlterEnumRenameValue,
    // maintenance
    VacuumFull,
    Cluster,
    // data changes (for backfills inside a migration)
    Update,
    Delete,
    Insert,
    // any other statement (lock level None unless known)
    Other,
};
std::string_view action_name(Action a);  // "create_index", ... (for fixtures and debugging)

struct Change {
    Action action = Action::Other;
    Name target;           // table, index (DropIndex/Reindex of an index), type, schema, database
    std::string column;    // the column of column actions
    std::string object;    // constraint / index name (CreateIndex: the new index's name; may be "")
                           // Attach/DetachPartition: the partition (target: the parent)
    std::string new_name;  // Rename*: the new name; AlterEnumRenameValue: the new label
    ColumnSpec column_def;                // AddColumn
    TypeSpec new_type;                    // AlterColumnType
    Expr using_expr;                      // AlterColumnType ... USING
    Constraint constraint;                // AddConstraint, CreateDomain/AlterDomainAddConstraint
    std::vector<ColumnSpec> columns;      // CreateTable
    std::vector<Constraint> constraints;  // CreateTable: table-level constraints
    IndexSpec index;                      // CreateIndex
    bool concurrently = false;
    bool if_exists = false;
    bool if_not_exists = false;
    bool cascade = false;
    bool temporary = false;      // CREATE TEMP / UNLOGGED is not
    bool has_where = false;      // Update / Delete
    bool enum_position = false;  // AlterEnumAddValue: BEFORE / AFTER given
    std::string enum_value;      // AlterEnumAddValue / AlterEnumRenameValue: the label
    std::string reindex_kind;    // Reindex: "index", "table", "schema", "database"
    std::string setting;         // Set: lower-case name
    std::string value;           // Set: value as written, unquoted ("" = RESET/DEFAULT)
    bool local = false;          // SET LOCAL
};

// One statement of the input, with where it starts.
struct Statement {
    std::string text;   // the statement as written (without the trailing ';')
    size_t offset = 0;  // byte offset of its first token in the input
    int line = 1;       // 1-based line of its first token
    int column = 1;     // 1-based column (in characters) of its first token
    std::vector<Change> changes;
    std::string parse_error;  // not "" when the statement could not be parsed (no changes)
    size_t error_offset = 0;  // byte offset of the error in the input
    std::vector<std::string> ignored_rules;  // from /* pg_advisor:ignore rule[, rule] */
};

// --- Helpers both front ends use, so they produce the same model from the same text --------

// Statement boundaries of a SQL script: each statement's [begin, end) in the text, end before its
// ';', begin at its first token (comments and white space skipped), string literals, quoted
// identifiers, dollar quotes, comments and BEGIN ... END bodies of SQL-standard functions
// respected. Empty statements are left out.
struct Span {
    size_t begin = 0;
    size_t end = 0;
};
std::vector<Span> split_statements(std::string_view script);

// The statements of a script, each with its text, offset, line, column and ignored rules (from
// pg_advisor:ignore comments inside it or between the previous statement and it); the front end
// fills `changes` (or `parse_error`).
std::vector<Statement> script_statements(std::string_view script);

// 1-based line and column (counted in UTF-8 characters) of a byte offset.
void line_and_column(std::string_view text, size_t offset, int *line, int *column);

// The text of the expression starting at byte `start` of `statement`: up to the first ',' or
// unbalanced ')' at nesting depth 0, or the end, or (when stop_at_constraint_keyword) a column
// constraint keyword at depth 0 (NOT NULL, NULL, CHECK, REFERENCES, PRIMARY, UNIQUE, CONSTRAINT,
// DEFAULT, GENERATED, COLLATE). Trailing white space trimmed.
std::string expression_text(std::string_view statement, size_t start,
                            bool stop_at_constraint_keyword);

// The rules named by /* pg_advisor:ignore rule_a, rule_b */ comments in the text (also
// "-- pg_advisor:ignore rule"), lower case.
std::vector<std::string> ignored_rules(std::string_view text);

}  // namespace pg_advisor::ddl
