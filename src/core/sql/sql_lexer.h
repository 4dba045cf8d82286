// Minimal lexical scanning of PostgreSQL SQL text: where constants end, where comments are.
//
// This is not a parser. The server tells us where each constant starts (the query jumble's
// constant locations); these functions find how long it is, and find block comments while
// stepping over string literals, quoted identifiers, dollar quotes and line comments, so that
// a "/*" inside a string is never mistaken for a comment.
#pragma once

#include <cstddef>
#include <string_view>

namespace pg_advisor::sql {

struct LexOptions {
    // standard_conforming_strings: when false, backslash escapes apply inside '...' too.
    bool standard_conforming_strings = true;
};

inline bool is_ident_start(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
inline bool is_ident_char(unsigned char c) {
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}
inline bool is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Length in bytes of the constant whose first byte is text[pos], the way PostgreSQL records a
// constant's location: a number (optionally negated: "- 5"), a string literal with any prefix
// (E'', B'', X'', N'', U&'') including continuation across a newline, a dollar-quoted string, or
// a bare keyword constant (TRUE, FALSE, NULL). Returns 0 if no constant starts at pos.
size_t constant_length(std::string_view text, size_t pos, const LexOptions &opts = {});

// End (exclusive) of the quoted construct, comment or word starting at pos; pos + 1 for an
// ordinary character. Unterminated constructs end at text.size().
size_t skip_token(std::string_view text, size_t pos, const LexOptions &opts = {});

// Position of the end (exclusive, after "*/") of the block comment starting at pos ("/*"),
// honouring nesting; std::string_view::npos when it is not terminated.
size_t block_comment_end(std::string_view text, size_t pos);

// Calls visit(begin, end) for every complete block comment, outermost only, in text order.
// Returns false early if visit returns false.
// Characters that can open a quoted construct or a comment. Everything else, identifiers
// included, is skipped without tokenising: skip_token() looks back for the E'' and $tag$ cases.
inline bool opens_construct(unsigned char c) {
    return c == '\'' || c == '"' || c == '$' || c == '-' || c == '/';
}

template <class Visit>
void for_each_block_comment(std::string_view text, Visit &&visit, const LexOptions &opts = {}) {
    size_t pos = 0;
    const size_t n = text.size();
    while (pos < n) {
        unsigned char c = static_cast<unsigned char>(text[pos]);
        if (!opens_construct(c)) {
            pos++;
        } else if (c == '/' && pos + 1 < n && text[pos + 1] == '*') {
            size_t end = block_comment_end(text, pos);
            if (end == std::string_view::npos) return;  // unterminated: not a comment we trust
            if (!visit(pos, end)) return;
            pos = end;
        } else {
            pos = skip_token(text, pos, opts);
        }
    }
}

// Skips whitespace and comments (line and block) from pos; returns the next position.
size_t skip_space_and_comments(std::string_view text, size_t pos);

// Building blocks (each takes the position of the construct's first byte and returns its end,
// exclusive; unterminated constructs end at text.size(), and *closed, when asked, says whether
// the construct was terminated):
// a '...' segment (backslash escapes when asked; '' is a quote)
size_t quoted_string_end(std::string_view text, size_t quote, bool backslash_escapes,
                         bool *closed = nullptr);
// a string constant: the segment plus segments continued across a newline ('a'<newline>'b')
size_t string_constant_end(std::string_view text, size_t quote, bool backslash_escapes,
                           bool *closed = nullptr);
// length of the $tag$ or $$ delimiter at pos (0 if none starts there)
size_t dollar_delimiter_length(std::string_view text, size_t pos);
// a dollar-quoted string whose delimiter (of delim_len bytes) starts at pos
size_t dollar_quote_end(std::string_view text, size_t pos, size_t delim_len,
                        bool *closed = nullptr);
// a number: digits, fraction, exponent, 0x / 0o / 0b prefixes and '_' separators
size_t number_end(std::string_view text, size_t pos);
// whether a number starts at pos (a digit, or '.' followed by a digit)
bool starts_number(std::string_view text, size_t pos);
// an unquoted identifier or keyword
size_t identifier_end(std::string_view text, size_t pos);
// a "quoted identifier" ("" is a quote)
size_t quoted_identifier_end(std::string_view text, size_t pos, bool *closed = nullptr);

}  // namespace pg_advisor::sql
