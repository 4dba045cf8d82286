// Index candidates from captured scan shapes: which btree indexes could serve the scans a
// workload performs on one table. Rules:
//   - equality columns first (IN / = ANY and OR-of-equalities count as equality), most
//     selective first (pg_stats n_distinct), then one range column (or a LIKE prefix), or the
//     ORDER BY columns with their per-column direction when the statement orders by this table;
//   - the narrower equality-only index as an alternative, so that verification can tell whether
//     the wider one is worth it;
//   - INCLUDE of the few other columns the statement reads, for index-only scans;
//   - partial indexes for recurring constant predicates (status = 'pending' on an enum-like
//     column whose common values include it, deleted_at IS NULL, a rare boolean), keyed on
//     what remains;
//   - expression indexes for quals on a function of columns (lower(email) = $1);
//   - text_pattern_ops (or varchar/bpchar_pattern_ops) for LIKE 'prefix%' under a non-C collation;
//   - join keys, including the foreign-key column an N+1 child looks up;
//   - for an OR over several columns (a = $1 OR b = $2), one index per arm (after the
//     statement's equality columns), which only pay together (Candidate::or_arm_of).
// Columns without a btree operator class (json, jsonb, point, ...) are never keys; catalogs and
// temporary tables get no candidates; the candidates of tables below a size floor are rejected
// (so that "why not?" has an answer), as is a candidate an existing valid index already serves
// (same leading columns), with that index's name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/indexes/btree_size.h"
#include "core/workload/scan_shape.h"

namespace pg_advisor {

struct ColumnInfo {
    int16_t attnum = 0;
    std::string name;             // as stored in the catalog
    std::string name_sql;         // quoted for SQL
    std::string type_name;        // e.g. "jsonb", for messages
    bool btree = true;            // has a default btree operator class
    bool dedup = true;            // ... that can deduplicate (not numeric, float, jsonb, ...)
    std::string pattern_opclass;  // e.g. "text_pattern_ops" when LIKE prefixes need one, else ""
    double n_distinct = 0;        // pg_stats: > 0 absolute, < 0 fraction of rows, 0 unknown
    double null_frac = 0;
    int32_t avg_width = 8;
    bool is_bool = false;
    char type_category = 0;    // PostgreSQL's typcategory: 'S' string, 'E' enum, 'B' boolean
    bool foreign_key = false;  // a column of one of the table's foreign keys
    // Most common values and their frequencies (pg_stats), for constant predicates.
    std::vector<std::string> mcv_values;
    std::vector<double> mcv_freqs;
};

struct ExistingIndex {
    uint32_t oid = 0;
    std::string name;
    std::vector<int16_t> keys;       // key columns; 0 for an expression
    std::vector<std::string> exprs;  // text of each expression key (parallel, "" for columns)
    std::vector<bool> desc;          // per key column
    std::vector<int16_t> include;    // INCLUDE columns
    bool partial = false;
    std::string predicate;  // SQL text when partial
    bool valid = true;
    bool btree = true;
};

struct TableInfo {
    uint32_t relid = 0;    // the table indexes are created on (a partitioned parent)
    std::string name;      // unquoted, for messages
    std::string name_sql;  // quoted, schema-qualified when needed
    char relkind = 'r';    // r, p (partitioned), m (materialized view)
    bool catalog = false;
    bool temporary = false;
    double reltuples = 0;
    double relpages = 0;
    double allvisible = 0;  // share of pages the visibility map has all-visible
    std::vector<ColumnInfo> columns;
    std::vector<ExistingIndex> indexes;
    std::vector<int16_t> primary_key;

    const ColumnInfo *column(int16_t attnum) const;
    double distinct_values(const ColumnInfo &c) const;  // n_distinct resolved against reltuples
};

// One captured scan of the table by one statement.
struct ScanUse {
    uint64_t queryid = 0;
    double calls = 0;  // executions of the statement
    struct Q {
        int16_t attnum;
        QualKind kind;
        QualSource source;
        std::string expr;   // expression text (attnum 0)
        std::string value;  // constant text (source Const)
        uint16_t nvalues;
        // An equality's constant is a setting of the statement, not a value it looks up:
        // written in its text (WHERE active), or a literal that kept its value over enough
        // executions (PatternEntry::literal_varied). Only such constants become partial
        // predicates (IS [NOT] NULL always may).
        bool recurring = false;
    };
    std::vector<Q> quals;
    struct Order {
        int16_t attnum;
        bool desc;
        bool nulls_first;
    };
    std::vector<Order> order;  // the statement's ORDER BY, when entirely on this table's columns
    int64_t limit = -1;
    uint64_t needed_columns = 0;  // bit n-1: column n read by the statement
    bool needs_more = true;       // needs columns beyond the mask or the whole row
    bool parameterized = false;
    double est_rows = 0;
};

struct IndexKey {
    int16_t attnum = 0;  // 0 for an expression
    std::string expr;    // SQL text of the expression key
    bool desc = false;
    bool nulls_first = false;
    std::string opclass;  // "" for the default
    bool operator==(const IndexKey &o) const {
        return attnum == o.attnum && expr == o.expr && desc == o.desc &&
               nulls_first == o.nulls_first && opclass == o.opclass;
    }
};

enum class CandidateRule : uint8_t {
    Equality,       // equality columns
    EqualityRange,  // + one range column
    EqualityOrder,  // + ORDER BY columns
    Covering,       // + INCLUDE
    Partial,        // constant predicate moved to WHERE
    Expression,     // expression key
    PatternOps,     // LIKE prefix with pattern operator class
    JoinKey,        // join column of a (parameterised) inner scan
    OrArm,          // one arm of an OR over several columns (a BitmapOr needs them all)
};
const char *candidate_rule_name(CandidateRule r);

struct Candidate {
    uint32_t relid = 0;
    std::vector<IndexKey> keys;
    std::vector<int16_t> include;
    std::string predicate;          // SQL, "" for a full index
    double predicate_fraction = 1;  // estimated share of rows the predicate keeps
    double distinct_keys = 0;       // sampled distinct keys (key_distinct.h), 0 when not sampled
    CandidateRule rule = CandidateRule::Equality;
    std::vector<uint64_t> queryids;  // statements it was derived from
    // Statements whose OR over several columns it serves one arm of: a BitmapOr needs the
    // index of every arm, so these are planned and chosen as one set.
    std::vector<uint64_t> or_arm_of;

    // Identity: table, keys, include and predicate (not the rule or the queries).
    std::string signature() const;
    bool same_index(const Candidate &o) const { return signature() == o.signature(); }
    // True if this index is a wider version of `narrower`: same predicate, its keys start with
    // all of narrower's keys, its INCLUDE holds narrower's, and it has more of either.
    bool extends(const Candidate &narrower) const;
};

struct CandidateLimits {
    double min_table_rows = 1000;  // smaller tables are read sequentially at no real cost
    size_t max_key_columns = 4;
    size_t max_include_columns = 3;
    int32_t max_include_width = 64;     // bytes of INCLUDE columns
    double partial_max_fraction = 0.2;  // constant predicates keeping at most this share of rows
    double partial_max_distinct = 10;   // ... on columns with at most this many distinct values
    size_t max_candidates_per_table = 24;
};

struct RejectedCandidate {
    Candidate candidate;
    std::string reason;
};

struct CandidateSet {
    std::vector<Candidate> candidates;
    std::vector<RejectedCandidate> rejected;
    std::string table_skipped;  // why the whole table gets nothing ("" if it was considered)
};

CandidateSet generate_candidates(const TableInfo &table, const std::vector<ScanUse> &uses,
                                 const CandidateLimits &limits);

// The existing index that already serves the candidate (its keys start with the candidate's
// equality columns in any order, then its remaining keys in order and direction), or null.
const ExistingIndex *serving_index(const TableInfo &table, const Candidate &c);

// "(a, b DESC) INCLUDE (c) WHERE p": the index's form, as DDL and reasons spell it.
std::string candidate_form(const TableInfo &table, const Candidate &c);

// CREATE INDEX statement; CONCURRENTLY unless the table is partitioned.
std::string candidate_ddl(const TableInfo &table, const Candidate &c, bool concurrently = true);

// Human form of the key list, e.g. {"customer_id", "created_at DESC", "(lower(email))"}.
std::vector<std::string> key_column_names(const TableInfo &table, const Candidate &c);
std::vector<std::string> include_column_names(const TableInfo &table, const Candidate &c);

// Average bytes of one entry's key and INCLUDE values (pg_stats widths; for an expression key:
// the width of lower()/upper() of a column, 32 for md5(), else the model's default).
double index_data_width(const TableInfo &table, const Candidate &c,
                        SizeModel model = SizeModel::Statistics);
// Distinct key values (what deduplication works with, key_distinct.h): the sampled count when
// there is one, else the column's (one key) or the upper bound (several keys); 0 when
// deduplication does not apply (every entry its own index tuple).
double index_distinct_keys(const TableInfo &table, const Candidate &c);
// Size from the table's statistics (btree_size.h), rows scaled by the predicate's share.
BtreeSize estimate_index_size(const TableInfo &table, const Candidate &c,
                              SizeModel model = SizeModel::Statistics);
double estimate_index_bytes(const TableInfo &table, const Candidate &c);

// Comparable form of a predicate: no parentheses or casts, lower-case keywords and
// identifiers, AND-ed terms sorted. "((status = 'pending'::text) AND (deleted_at IS NULL))" and
// "deleted_at IS NULL AND status = 'pending'" compare equal.
std::string canonical_predicate(std::string_view text);

// Quotes a constant for SQL ('it''s').
std::string quote_literal(const std::string &value);

}  // namespace pg_advisor
