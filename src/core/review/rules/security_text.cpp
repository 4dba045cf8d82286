// Text helpers of the security family: policy names, always-true policy expressions, column
// names that look like secrets.
#include <array>
#include <string>
#include <vector>

#include "core/catalog/catalog_snapshot.h"
#include "core/review/rules/security_rules.h"
#include "core/sql/sql_tokens.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::review::security {

using sql::Token;
using sql::TokenKind;

std::string policy_object(const catalog::Policy &p, const catalog::Table &t) {
    return catalog::quote_ident(p.name) + " ON " + t.qualified();
}

std::string comma_list(const std::vector<std::string> &privileges) {
    std::string out;
    for (const std::string &p : privileges)
        out += (out.empty() ? "" : ", ") + p;
    return out;
}

// ---- always-true policy expressions (deparsed by pg_get_expr, so the spelling is canonical)

namespace {

using Tokens = std::vector<Token>;

// Index of the ')' closing the '(' at open.
size_t closing(const Tokens &t, size_t open) {
    for (size_t i = open + 1; i < t.size(); i++)
        if (t[i].is_punct(')') && t[i].depth == t[open].depth) return i;
    return t.size();
}

// A side of a comparison that is a constant: literals, parentheses, casts ("::type name").
bool constant_side(const Tokens &t, size_t b, size_t e) {
    bool literal = false, after_cast = false;
    for (size_t i = b; i < e; i++) {
        const Token &k = t[i];
        if (k.kind == TokenKind::Number || k.kind == TokenKind::String) {
            literal = true;
        } else if (k.is_word("true") || k.is_word("false")) {
            literal = true;
        } else if (k.is_punct(':')) {
            after_cast = true;
        } else if (k.kind == TokenKind::Word || k.kind == TokenKind::QuotedIdent) {
            if (!after_cast) return false;  // a column or a function: not constant
        } else if (!k.is_punct('(') && !k.is_punct(')') && !k.is_punct('-')) {
            return false;
        }
    }
    return literal;
}

bool same_tokens(const Tokens &t, size_t b1, size_t e1, size_t b2, size_t e2) {
    if (e1 - b1 != e2 - b2) return false;
    for (size_t i = 0; i < e1 - b1; i++)
        if (t[b1 + i].text != t[b2 + i].text) return false;
    return true;
}

// "A = A" over constant sides; '=' that is part of "<=", ">=", "!=" does not count.
bool constant_equality(const Tokens &t, size_t b, size_t e) {
    for (size_t i = b + 1; i + 1 < e; i++) {
        if (!t[i].is_punct('=') || t[i].depth != t[b].depth) continue;
        const Token &prev = t[i - 1], &next = t[i + 1];
        bool glued_before = prev.kind == TokenKind::Punct && prev.end == t[i].begin;
        bool glued_after =
            next.kind == TokenKind::Punct && next.begin == t[i].end && !next.is_punct('(');
        if (glued_before || glued_after) return false;
        return constant_side(t, b, i) && same_tokens(t, b, i, i + 1, e);
    }
    return false;
}

bool tautology(const Tokens &t, size_t b, size_t e) {
    while (e - b >= 2 && t[b].is_punct('(') && closing(t, b) == e - 1) {
        b++;
        e--;
    }
    if (e <= b) return false;
    for (size_t i = b; i < e; i++)
        if (t[i].depth == t[b].depth && t[i].is_word("or"))
            return tautology(t, b, i) || tautology(t, i + 1, e);
    if (e - b == 1) return t[b].is_word("true");
    if (e - b == 2 && t[b].is_word("not") && t[b + 1].is_word("false")) return true;
    return constant_equality(t, b, e);
}

}  // namespace

std::string without_tautologies(const std::string &expr) {
    Tokens t = sql::tokenize(expr);
    size_t b = 0, e = t.size();
    while (e - b >= 2 && t[b].is_punct('(') && closing(t, b) == e - 1) {
        b++;
        e--;
    }
    std::vector<std::string> kept;
    size_t start = b;
    for (size_t i = b; i <= e; i++) {
        if (i < e && !(t[i].depth == t[b].depth && t[i].is_word("or"))) continue;
        if (i > start && !tautology(t, start, i))
            kept.push_back(expr.substr(t[start].begin, t[i - 1].end - t[start].begin));
        start = i + 1;
    }
    std::string out;
    for (const std::string &k : kept)
        out += (out.empty() ? "" : " OR ") + k;
    return out;
}

bool always_true(const std::string &expr) {
    Tokens t = sql::tokenize(expr);
    return tautology(t, 0, t.size());
}

// ---- column names that look like secrets or personal data

namespace {

// Lower-case words of an identifier: split at non-alphanumerics and camelCase boundaries.
std::vector<std::string> name_words(const std::string &name) {
    std::vector<std::string> words;
    std::string cur;
    char prev = '\0';
    for (char c : name) {
        bool upper = c >= 'A' && c <= 'Z';
        bool alnum = upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum || (upper && prev >= 'a' && prev <= 'z')) {
            if (!cur.empty()) words.push_back(cur);
            cur.clear();
        }
        if (alnum) cur += upper ? static_cast<char>(c - 'A' + 'a') : c;
        prev = c;
    }
    if (!cur.empty()) words.push_back(cur);
    return words;
}

struct Pattern {
    std::array<const char *, 2> words;  // one or two words in a row
};

constexpr Pattern kSensitive[] = {
    {{"password", nullptr}},  {{"passwd", nullptr}}, {{"pwd", nullptr}},    {{"pass", "hash"}},
    {{"secret", nullptr}},    {{"token", nullptr}},  {{"apikey", nullptr}}, {{"api", "key"}},
    {{"private", "key"}},     {{"access", "key"}},   {{"secret", "key"}},   {{"ssn", nullptr}},
    {{"social", "security"}}, {{"credit", "card"}},  {{"card", "number"}},  {{"cc", "number"}},
    {{"cvv", nullptr}},       {{"cvc", nullptr}},    {{"iban", nullptr}},   {{"passport", nullptr}},
    {{"tax", "id"}},          {{"national", "id"}},  {{"otp", nullptr}},    {{"totp", "secret"}},
};

// Last words that make the column about the secret rather than the secret itself
// (password_changed_at, token_count, api_key_id).
constexpr const char *kMetaWords[] = {
    "at",      "on",       "date",    "time", "timestamp", "count", "len",    "length",
    "expires", "expiry",   "expired", "type", "kind",      "hint",  "policy", "changed",
    "updated", "required", "enabled", "set",  "version",   "id",    "ids",    "attempts"};

bool is_meta_word(const std::string &w) {
    for (const char *m : kMetaWords)
        if (w == m) return true;
    return false;
}

}  // namespace

bool sensitive_column_name(const std::string &name) {
    std::vector<std::string> w = name_words(name);
    for (size_t i = 0; i < w.size(); i++) {
        for (const Pattern &p : kSensitive) {
            size_t len = p.words[1] ? 2 : 1;
            if (i + len > w.size() || w[i] != p.words[0]) continue;
            if (len == 2 && w[i + 1] != p.words[1]) continue;
            bool ends_pattern = i + len == w.size();
            if (ends_pattern || !is_meta_word(w.back())) return true;
        }
    }
    return false;
}

}  // namespace pg_advisor::review::security
