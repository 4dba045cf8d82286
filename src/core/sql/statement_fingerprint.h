// One pass over a statement's text that gives the per-statement capture path what it needs
// without the server's query jumble:
//
//   shape   a hash of the statement with every literal replaced by its lexical class. Two texts
//           of the same shape are, for PostgreSQL's parser, the same statement up to constant
//           values, so (under the same search_path and catalogs) they have the same query id:
//           pg_advisor computes the id with the server's jumble once per shape and reuses it
//           (src/pg/query_id.cpp).
//   values  a fingerprint of the literal values (equal values, equal fingerprint), which the
//           N+1 detector compares between executions. Values themselves are never kept.
//
// The shape keeps everything that can change how the server analyses a statement: every token
// but whitespace and comments, the class of each literal (string, bit string, int4 / int8 /
// numeric range of an integer, decimal), and the value of the integer literals whose value is
// structural rather than a constant: ORDER BY / GROUP BY / DISTINCT ON positions
// ("ORDER BY 2") and type modifiers ("::varchar(5)", "CAST(x AS numeric(10,2))").
// Whitespace and comment placement, keyword case and literal values are left out; a shape that
// keeps more than the server distinguishes costs only a second cache entry, never a wrong id.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/sql/literal_hash.h"
#include "core/sql/query_normalizer.h"
#include "core/sql/sql_lexer.h"
#include "core/sql/tracked_literals.h"

namespace pg_advisor {

struct StatementFingerprint {
    uint64_t shape = 0;
    uint64_t values = 0;    // 0 when the statement has no literal (values_result)
    uint32_t literals = 0;  // literal tokens seen
    // Of the first kTrackedLiterals literals (in text order, TRUE / FALSE / NULL included):
    // a hash of each value (never 0). Where they are: literal_offsets().
    uint32_t literal_hash[kTrackedLiterals] = {};
    bool has_params = false;  // a $n parameter: the text alone does not fix the types
    bool has_block_comment = false;
    bool complete = true;  // false: an unterminated quote or comment (the shape is not trusted)
};

// Lexical class of a literal, as it affects parse analysis.
enum class LiteralClass : uint8_t {
    String = 1,      // '...', also continued across newlines
    EscapeString,    // E'...'
    BitString,       // B'...', X'...'
    NationalString,  // N'...'
    UnicodeString,   // U&'...'
    DollarString,    // $$...$$, $tag$...$tag$
    Int4,            // an integer that fits int4
    Int4Negated,     // 2147483648: int4 after a unary minus, int8 otherwise
    Int8,            // fits int8
    Int8Negated,     // 9223372036854775808: int8 after a unary minus, numeric otherwise
    BigInteger,      // beyond int8: numeric
    Decimal,         // with a fraction or an exponent: numeric
};

// Class of the number token text (digits, optional 0x/0o/0b prefix and '_' separators,
// fraction, exponent).
LiteralClass classify_number(std::string_view number);

// Where the literals and comments of a statement are (fingerprint_cache.h replays a statement
// that differs from an earlier one only inside them).
enum class RegionKind : uint8_t {
    Number,   // a number starting with a digit
    String,   // a plain '...' string
    Comment,  // -- ... or /* ... */
    Other,    // any other literal (E'', $$, TRUE, ...): never replayed
};
struct Region {
    uint32_t begin, end;  // from the span's start
    RegionKind kind;
    LiteralClass cls;
    bool structural;  // a literal whose value is part of the shape (ORDER BY 2, varchar(5))
    bool negated;     // after an operator ending in '-'
    uint8_t literal;  // index among the statement's literals (a comment: of the next one)
    uint64_t mixed;   // the literal's value hash, mixed (literal_mix)
};
struct FingerprintRegions {
    static constexpr uint32_t kMax = 32;
    uint32_t n = 0;
    bool overflow = false;  // more than kMax: not all recorded
    Region r[kMax];
};

// nul_terminated: source.data()[source.size()] is readable and '\0' (a C string).
// regions: if given, where the literals and comments are (in text order).
StatementFingerprint fingerprint_statement(std::string_view source, StatementSpan span,
                                           const sql::LexOptions &opts = {},
                                           bool nul_terminated = false,
                                           FingerprintRegions *regions = nullptr);

// Where the first literals start in the text (offsets from the text's start, not the span's),
// from the regions of a scan: how many (at most kTrackedLiterals; fewer if regions overflowed).
uint32_t literal_offsets(const FingerprintRegions &regions, StatementSpan span,
                         uint32_t (&offsets)[kTrackedLiterals]);

// The scanner's pieces, for the replay (fingerprint_cache.cpp):
// a number token starting with a digit at pos: its class, and where it ends;
LiteralClass lex_number(std::string_view text, size_t pos, size_t end, bool stops_at_end,
                        size_t *number_end);
// whether words and numbers stop at `end` by themselves (see fingerprint_statement);
bool stops_at(std::string_view text, size_t end, bool nul_terminated);
// where a "--" comment starting at pos ends (the literal hashes: literal_hash.h).
size_t line_comment_end(std::string_view text, size_t pos, size_t end);

}  // namespace pg_advisor
