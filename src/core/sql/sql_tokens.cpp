#include "core/sql/sql_tokens.h"

#include "core/sql/sql_lexer.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::sql {

bool Token::is_word(std::string_view lower) const {
    if (kind != TokenKind::Word || text.size() != lower.size()) return false;
    for (size_t i = 0; i < text.size(); i++) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != lower[i]) return false;
    }
    return true;
}

namespace {

bool string_prefix(std::string_view text, size_t pos) {
    if (pos + 1 >= text.size()) return false;
    switch (text[pos]) {
        case 'E':
        case 'e':
        case 'B':
        case 'b':
        case 'X':
        case 'x':
        case 'N':
        case 'n':
            return text[pos + 1] == '\'';
        case 'U':
        case 'u':
            return text[pos + 1] == '&' && pos + 2 < text.size() && text[pos + 2] == '\'';
        default:
            return false;
    }
}

// Kind and end of the token starting at pos (not whitespace, not a comment).
TokenKind classify(std::string_view text, size_t pos, size_t *end) {
    unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c == '\'' || string_prefix(text, pos)) {
        *end = pos + constant_length(text, pos);
        return TokenKind::String;
    }
    if (c == '$') {
        bool digit = pos + 1 < text.size() && text[pos + 1] >= '0' && text[pos + 1] <= '9';
        if (digit || dollar_delimiter_length(text, pos) > 0) {
            *end = skip_token(text, pos);
            return digit ? TokenKind::Param : TokenKind::String;
        }
    }
    if (starts_number(text, pos)) {
        *end = number_end(text, pos);
        return TokenKind::Number;
    }
    if (c == '"') {
        *end = quoted_identifier_end(text, pos);
        return TokenKind::QuotedIdent;
    }
    if (is_ident_start(c)) {
        *end = identifier_end(text, pos);
        return TokenKind::Word;
    }
    *end = pos + 1;
    return TokenKind::Punct;
}

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> out;
    int depth = 0;
    size_t pos = skip_space_and_comments(text, 0);
    while (pos < text.size()) {
        Token t;
        t.begin = pos;
        t.kind = classify(text, pos, &t.end);
        t.text = text.substr(t.begin, t.end - t.begin);
        if (t.is_punct(')') || t.is_punct(']')) depth = depth > 0 ? depth - 1 : 0;
        t.depth = depth;
        if (t.is_punct('(') || t.is_punct('[')) depth++;
        out.push_back(t);
        pos = skip_space_and_comments(text, t.end);
    }
    return out;
}

}  // namespace pg_advisor::sql
