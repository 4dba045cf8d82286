// A token stream over one SQL statement, built on the lexer (sql_lexer.h): words, quoted
// identifiers, literals, $n parameters and punctuation, with comments and whitespace dropped and
// the parenthesis depth of every token. Enough to recognise the shape of a normalised statement
// (its select list, FROM, ORDER BY, IN-lists); not a parser.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pg_advisor::sql {

enum class TokenKind { Word, QuotedIdent, String, Number, Param, Punct };

struct Token {
    TokenKind kind = TokenKind::Punct;
    size_t begin = 0;  // byte range in the text
    size_t end = 0;
    int depth = 0;  // parentheses and brackets open before it
    std::string_view text;
    // A word compared without case ("select" matches SELECT); false for other kinds.
    bool is_word(std::string_view lower) const;
    bool is_punct(char c) const {
        return kind == TokenKind::Punct && text.size() == 1 && text[0] == c;
    }
};

std::vector<Token> tokenize(std::string_view text);

}  // namespace pg_advisor::sql
