#include "core/sql/statement_fingerprint.h"

#include <cstring>

#include "core/common/hash.h"
#include "core/sql/literal_hash.h"
#include "core/common/no_postgres.h"

namespace pg_advisor {
namespace {

// The shape hash: each token hashed with hash_token (literal_hash.h); a literal is one word with
// its class (0x40 << 56 | class). Mixed once more at the end.
constexpr uint64_t kShapeSeed = 0xcbf29ce484222325ULL;

enum CharClass : uint8_t {
    kOther = 0,
    kSpace,
    kIdent,
    kDigit,
    kQuote,
    kDoubleQuote,
    kDollar,
    kOperator,
    kOpen,
    kClose,
    kColon,
    kDot,
};

// One byte per character (four cache lines): the class in the low 4 bits, then flags.
constexpr uint8_t kClassMask = 0x0f;
constexpr uint8_t kIdentChar = 0x10;     // may continue an identifier (letters, digits, _, $)
constexpr uint8_t kStringPrefix = 0x20;  // may prefix a string literal (E'', B'', X'', N'', U&'')
constexpr uint8_t kConstantWord = 0x40;  // starts TRUE, FALSE, NULL

struct CharTable {
    uint8_t bits[256];
    constexpr void set(const char *chars, uint8_t bit) {
        for (; *chars; chars++)
            bits[static_cast<unsigned char>(*chars)] |= bit;
    }
    constexpr CharTable() : bits() {
        for (int c = 0; c < 256; c++) {
            bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
            bool digit = c >= '0' && c <= '9';
            bits[c] = letter ? kIdent : digit ? kDigit : kOther;
            if (letter || digit || c == '$') bits[c] |= kIdentChar;
        }
        set(" \t\n\r\f\v", kSpace);
        set("'", kQuote);
        set("\"", kDoubleQuote);
        set("$", kDollar);
        set("(", kOpen);
        set(")", kClose);
        set(":", kColon);
        set(".", kDot);
        set("~!@#^&|`?+-*/%<>=", kOperator);
        set("EeBbXxNnUu", kStringPrefix);
        set("TtFfNn", kConstantWord);
    }
};
constexpr CharTable kChars;

inline uint8_t char_class(char c) {
    return kChars.bits[static_cast<unsigned char>(c)] & kClassMask;
}

inline bool has_flag(char c, uint8_t flag) {
    return (kChars.bits[static_cast<unsigned char>(c)] & flag) != 0;
}

inline bool ident_char(char c) {
    return has_flag(c, kIdentChar);
}

// Class of a plain decimal integer of n digits (no sign; leading zeros do not count: the
// server reads "007" as 7).
LiteralClass decimal_integer_class(const char *p, size_t n) {
    while (n > 1 && *p == '0')
        p++, n--;
    if (n < 10) return LiteralClass::Int4;
    if (n == 10) {
        int c = std::memcmp(p, "2147483648", 10);
        return c < 0 ? LiteralClass::Int4 : c == 0 ? LiteralClass::Int4Negated : LiteralClass::Int8;
    }
    if (n < 19) return LiteralClass::Int8;
    if (n == 19) {
        int c = std::memcmp(p, "9223372036854775808", 19);
        return c < 0    ? LiteralClass::Int8
               : c == 0 ? LiteralClass::Int8Negated
                        : LiteralClass::BigInteger;
    }
    return LiteralClass::BigInteger;
}

// Case-insensitive comparison with a lower-case keyword.
bool is_keyword(std::string_view token, std::string_view keyword) {
    if (token.size() != keyword.size()) return false;
    for (size_t i = 0; i < token.size(); i++) {
        char c = token[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != keyword[i]) return false;
    }
    return true;
}

template <size_t N>
bool is_any_keyword(std::string_view token, const std::string_view (&keywords)[N]) {
    for (std::string_view k : keywords)
        if (is_keyword(token, k)) return true;
    return false;
}

// Keywords that end an ORDER BY / GROUP BY list at its own nesting depth.
constexpr std::string_view kListEnders[] = {"limit",     "offset", "fetch",     "for",    "having",
                                            "window",    "union",  "intersect", "except", "from",
                                            "returning", "where",  "into"};

// Type names whose parenthesised integers are type modifiers (length, precision, scale).
constexpr std::string_view kModifiedTypes[] = {
    "varchar", "char",   "character", "bpchar",      "nchar",   "numeric",
    "decimal", "dec",    "float",     "bit",         "varbit",  "varying",
    "time",    "timetz", "timestamp", "timestamptz", "interval"};

// Whether a word may be one of kModifiedTypes, from its first letter (most words before a
// parenthesis are function and table names: they are turned away without a comparison).
inline bool may_be_modified_type(std::string_view word) {
    constexpr uint32_t kFirstLetters =
        (1u << ('v' - 'a')) | (1u << ('c' - 'a')) | (1u << ('b' - 'a')) | (1u << ('n' - 'a')) |
        (1u << ('d' - 'a')) | (1u << ('f' - 'a')) | (1u << ('t' - 'a')) | (1u << ('i' - 'a'));
    if (word.size() < 3 || word.size() > 11) return false;
    unsigned letter = static_cast<unsigned>((word[0] | 0x20) - 'a');
    return letter < 26 && ((kFirstLetters >> letter) & 1) != 0;
}

enum class Prev : uint8_t { None, Ident, Operator, Punct, Literal, Cast };

}  // namespace

size_t line_comment_end(std::string_view text, size_t pos, size_t end) {
    size_t nl = text.find('\n', pos);
    return nl == std::string_view::npos || nl >= end ? end : nl + 1;
}

LiteralClass classify_number(std::string_view t) {
    unsigned base = 10;
    size_t p = 0;
    if (t.size() > 2 && t[0] == '0') {
        char b = t[1];
        if (b == 'x' || b == 'X') base = 16, p = 2;
        if (b == 'o' || b == 'O') base = 8, p = 2;
        if (b == 'b' || b == 'B') base = 2, p = 2;
    }
    if (base == 10) {
        bool plain = true;
        for (char c : t) {
            if (c == '.' || c == 'e' || c == 'E') return LiteralClass::Decimal;
            if (c == '_') plain = false;
        }
        if (plain) return decimal_integer_class(t.data(), t.size());
    }
    uint64_t value = 0;
    bool overflow = false;
    for (; p < t.size(); p++) {
        char c = t[p];
        if (c == '_') continue;
        unsigned d;
        if (c >= '0' && c <= '9')
            d = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = static_cast<unsigned>(c - 'A' + 10);
        else
            break;
        if (value > (UINT64_MAX - d) / base) {
            overflow = true;
            break;
        }
        value = value * base + d;
    }
    if (overflow) return LiteralClass::BigInteger;
    if (value <= 2147483647ULL) return LiteralClass::Int4;
    if (value == 2147483648ULL) return LiteralClass::Int4Negated;
    if (value <= 9223372036854775807ULL) return LiteralClass::Int8;
    if (value == 9223372036854775808ULL) return LiteralClass::Int8Negated;
    return LiteralClass::BigInteger;
}

LiteralClass lex_number(std::string_view text, size_t pos, size_t end, bool stops_at_end,
                        size_t *number_end) {
    const char *data = text.data();
    size_t e = pos + 1;
    if (stops_at_end) {
        while (char_class(data[e]) == kDigit)
            e++;
    } else {
        while (e < end && char_class(data[e]) == kDigit)
            e++;
    }
    if (e < end && (ident_char(data[e]) || data[e] == '.')) {
        // A fraction, an exponent, a 0x / 0o / 0b prefix or '_' separators.
        e = sql::number_end(text, pos);
        *number_end = e;
        return classify_number(text.substr(pos, e - pos));
    }
    *number_end = e;
    return decimal_integer_class(data + pos, e - pos);
}

bool stops_at(std::string_view text, size_t end, bool nul_terminated) {
    return end < text.size() ? !ident_char(text[end]) : nul_terminated;
}

StatementFingerprint fingerprint_statement(std::string_view text, StatementSpan span,
                                           const sql::LexOptions &opts, bool nul_terminated,
                                           FingerprintRegions *regions) {
    StatementFingerprint fp;
    uint64_t h = kShapeSeed;  // the shape
    const char *limit = text.data() + text.size();
    uint64_t values = kValuesSeed;
    const bool plain_escapes = !opts.standard_conforming_strings;
    const char *data = text.data();
    const size_t end = span.end;
    // Identifiers and numbers are scanned without a bound check when the byte at `end` can
    // continue neither (a ';', a space or the terminating NUL): they stop there by themselves.
    const bool stops_at_end = stops_at(text, end, nul_terminated);

    int depth = 0;
    int list_depth = -1;      // inside ORDER BY / GROUP BY / DISTINCT ON (...) at this depth
    int modifier_depth = -1;  // inside a type modifier's parentheses
    bool distinct_on = false;
    Prev prev = Prev::None;
    std::string_view last_ident;      // the previous token, when it was an identifier
    bool last_ident_is_type = false;  // ... in a type position (after :: or AS)
    bool minus_before = false;        // the previous token was an operator ending in '-'

    if (regions) regions->n = 0, regions->overflow = false;
    auto region = [&](RegionKind kind, size_t b, size_t e, LiteralClass cls, bool structural,
                      uint64_t v) {
        if (regions == nullptr) return;
        if (regions->n == FingerprintRegions::kMax) {
            regions->overflow = true;
            return;
        }
        regions->r[regions->n++] = {static_cast<uint32_t>(b - span.begin),
                                    static_cast<uint32_t>(e - span.begin),
                                    kind,
                                    cls,
                                    structural,
                                    minus_before,
                                    static_cast<uint8_t>(fp.literals),
                                    v};
    };
    auto token = [&](size_t b, size_t e) { h = hash_token(h, data + b, e - b, data, limit); };
    // One more literal, its value hash mixed: the values fingerprint and the tracked literals.
    auto value = [&](uint64_t mixed) {
        if (fp.literals < kTrackedLiterals) fp.literal_hash[fp.literals] = literal_hash32(mixed);
        values += values_term(mixed, fp.literals);
        fp.literals++;
    };
    auto literal = [&](LiteralClass cls, size_t b, size_t e, RegionKind kind = RegionKind::Other) {
        bool structural = (list_depth >= 0 && depth >= list_depth) ||
                          (modifier_depth >= 0 && depth >= modifier_depth);
        if (structural) token(b, e);  // a position or a type modifier: the value counts
        h = word_step(h, (0x40ULL << 56) | static_cast<uint64_t>(cls));
        uint64_t mixed = literal_mix(literal_value(text, b, e, minus_before));
        region(kind, b, e, cls, structural, mixed);
        value(mixed);
        prev = Prev::Literal;
        minus_before = false;
    };
    // A "quoted identifier" (or U&"..."), its quote at `quote`: returns where it ends.
    auto quoted_identifier = [&](size_t b, size_t quote) {
        bool closed;
        size_t e = sql::quoted_identifier_end(text, quote, &closed);
        if (!closed || e > end) fp.complete = false;
        token(b, e);
        prev = Prev::Ident;
        last_ident = std::string_view();
        last_ident_is_type = false;
        minus_before = false;
        return e;
    };
    auto punct = [&](size_t b, size_t e) {
        token(b, e);
        prev = Prev::Punct;
        minus_before = false;
    };

    size_t pos = span.begin;
    while (pos < end) {
        const char c = data[pos];
        switch (char_class(c)) {
            case kSpace:
                do
                    pos++;
                while (pos < end && char_class(data[pos]) == kSpace);
                continue;
            case kDigit: {
                size_t e;
                LiteralClass cls = lex_number(text, pos, end, stops_at_end, &e);
                literal(cls, pos, e, RegionKind::Number);
                pos = e;
                continue;
            }
            case kDot:
                if (pos + 1 < end && char_class(data[pos + 1]) == kDigit) {
                    size_t e = sql::number_end(text, pos);
                    literal(LiteralClass::Decimal, pos, e);
                    pos = e;
                } else {
                    punct(pos, pos + 1);
                    pos++;
                }
                continue;
            case kQuote: {
                bool closed;
                size_t e = sql::string_constant_end(text, pos, plain_escapes, &closed);
                if (!closed || e > end) fp.complete = false;
                literal(LiteralClass::String, pos, e, RegionKind::String);
                pos = e;
                continue;
            }
            case kDoubleQuote:
                pos = quoted_identifier(pos, pos);
                continue;
            case kDollar: {
                size_t d = sql::dollar_delimiter_length(text, pos);
                if (d > 0) {
                    bool closed;
                    size_t e = sql::dollar_quote_end(text, pos, d, &closed);
                    if (!closed || e > end) fp.complete = false;
                    literal(LiteralClass::DollarString, pos, e);
                    pos = e;
                    continue;
                }
                size_t e = pos + 1;
                while (e < end && char_class(data[e]) == kDigit)
                    e++;
                if (e > pos + 1) fp.has_params = true;
                punct(pos, e);
                pos = e;
                continue;
            }
            case kIdent: {
                // Prefixed string literals: E'', B'', X'', N'', U&'' (and U&"" identifiers).
                const char next =
                    has_flag(c, kStringPrefix) && pos + 1 < end ? data[pos + 1] : '\0';
                if (next == '\'') {
                    LiteralClass cls;
                    bool escapes = plain_escapes;
                    switch (c) {
                        case 'E':
                        case 'e':
                            cls = LiteralClass::EscapeString;
                            escapes = true;
                            break;
                        case 'B':
                        case 'b':
                        case 'X':
                        case 'x':
                            cls = LiteralClass::BitString;
                            break;
                        case 'N':
                        case 'n':
                            cls = LiteralClass::NationalString;
                            break;
                        default:
                            cls = LiteralClass::String;
                            break;
                    }
                    if (cls != LiteralClass::String) {
                        bool closed;
                        size_t e = sql::string_constant_end(text, pos + 1, escapes, &closed);
                        if (!closed || e > end) fp.complete = false;
                        literal(cls, pos, e);
                        pos = e;
                        continue;
                    }
                }
                if ((c == 'U' || c == 'u') && next == '&' && pos + 2 < end) {
                    if (data[pos + 2] == '\'') {
                        bool closed;
                        size_t e = sql::string_constant_end(text, pos + 2, false, &closed);
                        if (!closed || e > end) fp.complete = false;
                        literal(LiteralClass::UnicodeString, pos, e);
                        pos = e;
                        continue;
                    }
                    if (data[pos + 2] == '"') {
                        pos = quoted_identifier(pos, pos + 2);
                        continue;
                    }
                }
                size_t e = pos + 1;
                if (stops_at_end) {
                    while (ident_char(data[e]))
                        e++;
                } else {
                    while (e < end && ident_char(data[e]))
                        e++;
                }
                std::string_view word(data + pos, e - pos);
                token(pos, e);
                bool type_position =
                    prev == Prev::Cast ||
                    (prev == Prev::Ident && last_ident.size() == 2 && is_keyword(last_ident, "as"));
                if (word.size() == 2 && prev == Prev::Ident) {
                    if (is_keyword(word, "by") &&
                        (is_keyword(last_ident, "order") || is_keyword(last_ident, "group")))
                        list_depth = depth;
                    else if (is_keyword(word, "on") && is_keyword(last_ident, "distinct"))
                        distinct_on = true;
                } else if (list_depth >= 0 && depth == list_depth &&
                           is_any_keyword(word, kListEnders)) {
                    list_depth = -1;
                }
                // TRUE, FALSE and NULL are constants to the server: their values count.
                if ((word.size() == 4 || word.size() == 5) && has_flag(word[0], kConstantWord) &&
                    (is_keyword(word, "true") || is_keyword(word, "false") ||
                     is_keyword(word, "null"))) {
                    uint64_t mixed = literal_mix(mix64((word[0] | 0x20) ^ (word.size() << 8)));
                    region(RegionKind::Other, pos, e, LiteralClass::String, false, mixed);
                    value(mixed);
                }
                prev = Prev::Ident;
                last_ident = word;
                last_ident_is_type = type_position;
                minus_before = false;
                // Most words are followed by one space: skip it without another dispatch.
                pos = e < end && data[e] == ' ' ? e + 1 : e;
                continue;
            }
            case kOperator: {
                // A run of operator characters; "--" and "/*" start comments, also inside it.
                if (c == '-' && pos + 1 < end && data[pos + 1] == '-') {
                    size_t e = line_comment_end(text, pos, end);
                    region(RegionKind::Comment, pos, e, LiteralClass::String, false, 0);
                    pos = e;
                    continue;
                }
                if (c == '/' && pos + 1 < end && data[pos + 1] == '*') {
                    size_t e = sql::block_comment_end(text, pos);
                    fp.has_block_comment = true;
                    if (e == std::string_view::npos || e > end) {
                        fp.complete = false;
                        pos = end;
                    } else {
                        region(RegionKind::Comment, pos, e, LiteralClass::String, false, 0);
                        pos = e;
                    }
                    continue;
                }
                size_t e = pos + 1;
                while (e < end && char_class(data[e]) == kOperator &&
                       !((data[e] == '-' && e + 1 < end && data[e + 1] == '-') ||
                         (data[e] == '/' && e + 1 < end && data[e + 1] == '*')))
                    e++;
                token(pos, e);
                prev = Prev::Operator;
                minus_before = data[e - 1] == '-';
                pos = e;
                continue;
            }
            case kOpen: {
                if (distinct_on) {
                    distinct_on = false;
                    if (prev == Prev::Ident && is_keyword(last_ident, "on")) list_depth = depth + 1;
                }
                if (prev == Prev::Ident && modifier_depth < 0 &&
                    (last_ident_is_type || (may_be_modified_type(last_ident) &&
                                            is_any_keyword(last_ident, kModifiedTypes))))
                    modifier_depth = depth + 1;
                depth++;
                punct(pos, pos + 1);
                pos++;
                continue;
            }
            case kClose:
                depth--;
                if (list_depth > depth) list_depth = -1;
                if (modifier_depth > depth) modifier_depth = -1;
                punct(pos, pos + 1);
                pos++;
                continue;
            case kColon:
                if (pos + 1 < end && data[pos + 1] == ':') {
                    token(pos, pos + 2);
                    prev = Prev::Cast;
                    minus_before = false;
                    pos += 2;
                } else {
                    punct(pos, pos + 1);
                    pos++;
                }
                continue;
            default:
                punct(pos, pos + 1);
                pos++;
                continue;
        }
    }
    fp.shape = mix64(h) | 1;
    fp.values = values_result(values, fp.literals);
    return fp;
}

}  // namespace pg_advisor

namespace pg_advisor {

uint32_t literal_offsets(const FingerprintRegions &regions, StatementSpan span,
                         uint32_t (&offsets)[kTrackedLiterals]) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < regions.n && n < kTrackedLiterals; i++)
        if (regions.r[i].kind != RegionKind::Comment)
            offsets[n++] = static_cast<uint32_t>(span.begin + regions.r[i].begin);
    return n;
}

}  // namespace pg_advisor
