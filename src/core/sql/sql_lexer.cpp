#include "core/sql/sql_lexer.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::sql {
namespace {

constexpr size_t npos = std::string_view::npos;

bool is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}
bool is_hex(unsigned char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

// End of a single '...' segment whose opening quote is at pos.
size_t quoted_string_end(std::string_view text, size_t pos, bool backslash_escapes, bool *closed) {
    const size_t n = text.size();
    size_t p = pos + 1;
    while (p < n) {
        char c = text[p];
        if (c == '\\' && backslash_escapes) {
            p += 2;
        } else if (c == '\'') {
            if (p + 1 < n && text[p + 1] == '\'') {
                p += 2;
            } else {
                if (closed) *closed = true;
                return p + 1;
            }
        } else {
            p++;
        }
    }
    if (closed) *closed = false;
    return n;
}

// A string constant: one segment plus any segments continued across a newline
// ('foo'<newline>'bar' is one constant in SQL).
size_t string_constant_end(std::string_view text, size_t quote, bool backslash_escapes,
                           bool *closed) {
    size_t end = quoted_string_end(text, quote, backslash_escapes, closed);
    const size_t n = text.size();
    for (;;) {
        size_t p = end;
        bool newline = false;
        while (p < n && is_space(static_cast<unsigned char>(text[p]))) {
            if (text[p] == '\n' || text[p] == '\r') newline = true;
            p++;
        }
        if (!newline || p >= n || text[p] != '\'') return end;
        end = quoted_string_end(text, p, backslash_escapes, closed);
    }
}

// Length of the dollar-quote delimiter ($tag$ or $$) starting at pos, or 0.
size_t dollar_delimiter_length(std::string_view text, size_t pos) {
    const size_t n = text.size();
    if (pos >= n || text[pos] != '$') return 0;
    if (pos > 0 && is_ident_char(static_cast<unsigned char>(text[pos - 1]))) return 0;
    size_t p = pos + 1;
    if (p < n && text[p] == '$') return 2;
    if (p >= n || !is_ident_start(static_cast<unsigned char>(text[p]))) return 0;
    while (p < n && text[p] != '$' && is_ident_char(static_cast<unsigned char>(text[p])))
        p++;
    if (p < n && text[p] == '$') return p - pos + 1;
    return 0;
}

size_t dollar_quote_end(std::string_view text, size_t pos, size_t delim_len, bool *closed) {
    std::string_view delim = text.substr(pos, delim_len);
    size_t close = text.find(delim, pos + delim_len);
    if (closed) *closed = close != npos;
    return close == npos ? text.size() : close + delim_len;
}

size_t number_end(std::string_view text, size_t pos) {
    const size_t n = text.size();
    size_t p = pos;
    auto digits = [&](auto pred) {
        while (p < n && (pred(static_cast<unsigned char>(text[p])) || text[p] == '_'))
            p++;
    };
    if (text[p] == '0' && p + 2 < n) {
        char base = text[p + 1];
        auto valid = [&](auto pred) { return pred(static_cast<unsigned char>(text[p + 2])); };
        if ((base == 'x' || base == 'X') && valid(is_hex)) {
            p += 2;
            digits(is_hex);
            return p;
        }
        auto is_oct = [](unsigned char c) { return c >= '0' && c <= '7'; };
        auto is_bin = [](unsigned char c) { return c == '0' || c == '1'; };
        if ((base == 'o' || base == 'O') && valid(is_oct)) {
            p += 2;
            digits(is_oct);
            return p;
        }
        if ((base == 'b' || base == 'B') && valid(is_bin)) {
            p += 2;
            digits(is_bin);
            return p;
        }
    }
    digits(is_digit);
    if (p < n && text[p] == '.' && !(p + 1 < n && text[p + 1] == '.')) {
        p++;
        digits(is_digit);
    }
    if (p < n && (text[p] == 'e' || text[p] == 'E')) {
        size_t q = p + 1;
        if (q < n && (text[q] == '+' || text[q] == '-')) q++;
        if (q < n && is_digit(static_cast<unsigned char>(text[q]))) {
            p = q;
            digits(is_digit);
        }
    }
    return p;
}

bool starts_number(std::string_view text, size_t pos) {
    if (pos >= text.size()) return false;
    unsigned char c = static_cast<unsigned char>(text[pos]);
    if (is_digit(c)) return true;
    return c == '.' && pos + 1 < text.size() && is_digit(static_cast<unsigned char>(text[pos + 1]));
}

size_t identifier_end(std::string_view text, size_t pos) {
    size_t p = pos;
    while (p < text.size() && is_ident_char(static_cast<unsigned char>(text[p])))
        p++;
    return p;
}

size_t quoted_identifier_end(std::string_view text, size_t pos, bool *closed) {
    const size_t n = text.size();
    size_t p = pos + 1;
    while (p < n) {
        if (text[p] == '"') {
            if (p + 1 < n && text[p + 1] == '"') {
                p += 2;
                continue;
            }
            if (closed) *closed = true;
            return p + 1;
        }
        p++;
    }
    if (closed) *closed = false;
    return n;
}

size_t block_comment_end(std::string_view text, size_t pos) {
    const size_t n = text.size();
    int depth = 1;
    size_t p = pos + 2;
    while (p + 1 < n) {
        if (text[p] == '/' && text[p + 1] == '*') {
            depth++;
            p += 2;
        } else if (text[p] == '*' && text[p + 1] == '/') {
            p += 2;
            if (--depth == 0) return p;
        } else {
            p++;
        }
    }
    return npos;
}

size_t skip_space_and_comments(std::string_view text, size_t pos) {
    const size_t n = text.size();
    while (pos < n) {
        unsigned char c = static_cast<unsigned char>(text[pos]);
        if (is_space(c)) {
            pos++;
        } else if (c == '-' && pos + 1 < n && text[pos + 1] == '-') {
            size_t nl = text.find('\n', pos);
            pos = nl == npos ? n : nl + 1;
        } else if (c == '/' && pos + 1 < n && text[pos + 1] == '*') {
            size_t end = block_comment_end(text, pos);
            if (end == npos) return n;
            pos = end;
        } else {
            break;
        }
    }
    return pos;
}

size_t skip_token(std::string_view text, size_t pos, const LexOptions &opts) {
    const size_t n = text.size();
    if (pos >= n) return n;
    unsigned char c = static_cast<unsigned char>(text[pos]);
    switch (c) {
        case '\'': {
            bool escapes = !opts.standard_conforming_strings;
            if (pos > 0 && (text[pos - 1] == 'E' || text[pos - 1] == 'e') &&
                (pos < 2 || !is_ident_char(static_cast<unsigned char>(text[pos - 2]))))
                escapes = true;
            return quoted_string_end(text, pos, escapes);
        }
        case '"':
            return quoted_identifier_end(text, pos);
        case '$': {
            size_t d = dollar_delimiter_length(text, pos);
            if (d) return dollar_quote_end(text, pos, d);
            size_t p = pos + 1;  // $n parameter
            while (p < n && is_digit(static_cast<unsigned char>(text[p])))
                p++;
            return p;
        }
        case '-':
            if (pos + 1 < n && text[pos + 1] == '-') {
                size_t nl = text.find('\n', pos);
                return nl == npos ? n : nl + 1;
            }
            return pos + 1;
        case '/':
            if (pos + 1 < n && text[pos + 1] == '*') {
                size_t end = block_comment_end(text, pos);
                return end == npos ? n : end;
            }
            return pos + 1;
        default:
            if (is_ident_start(c)) return identifier_end(text, pos);
            return pos + 1;
    }
}

size_t constant_length(std::string_view text, size_t pos, const LexOptions &opts) {
    const size_t n = text.size();
    if (pos >= n) return 0;
    unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c == '-') {
        size_t p = skip_space_and_comments(text, pos + 1);
        return starts_number(text, p) ? number_end(text, p) - pos : 0;
    }
    if (starts_number(text, pos)) return number_end(text, pos) - pos;
    if (c == '\'') return string_constant_end(text, pos, !opts.standard_conforming_strings) - pos;
    if (pos + 1 < n && text[pos + 1] == '\'') {
        switch (c) {
            case 'E':
            case 'e':
                return string_constant_end(text, pos + 1, true) - pos;
            case 'B':
            case 'b':
            case 'X':
            case 'x':
            case 'N':
            case 'n':
                return string_constant_end(text, pos + 1, !opts.standard_conforming_strings) - pos;
            default:
                break;
        }
    }
    if ((c == 'U' || c == 'u') && pos + 2 < n && text[pos + 1] == '&' && text[pos + 2] == '\'')
        return string_constant_end(text, pos + 2, false) - pos;
    if (c == '$') {
        size_t d = dollar_delimiter_length(text, pos);
        return d ? dollar_quote_end(text, pos, d) - pos : 0;
    }
    if (is_ident_start(c)) return identifier_end(text, pos) - pos;
    return 0;
}

}  // namespace pg_advisor::sql
