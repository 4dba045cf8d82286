#include "core/review/rules/statement_shape.h"

#include "core/sql/sql_tokens.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::review::statement {

using sql::Token;
using sql::TokenKind;
using Tokens = std::vector<Token>;

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// An identifier's name: quotes removed ("" -> "), unquoted words lower-cased.
std::string identifier(const Token &t) {
    if (t.kind != TokenKind::QuotedIdent) return lower(t.text);
    std::string out;
    for (size_t i = 1; i + 1 < t.text.size(); i++) {
        out += t.text[i];
        if (t.text[i] == '"' && t.text[i + 1] == '"') i++;
    }
    return out;
}

bool is_value(const Token &t) {
    return t.kind == TokenKind::Param || t.kind == TokenKind::Number || t.kind == TokenKind::String;
}

bool is_main_command(const Token &t) {
    for (const char *w : {"select", "insert", "update", "delete", "merge", "values", "table"})
        if (t.is_word(w)) return true;
    return false;
}

// Index of the main command word: the first top-level command word (after WITH's CTEs, whose
// bodies are parenthesised), or tokens.size().
size_t main_command(const Tokens &t) {
    for (size_t i = 0; i < t.size(); i++)
        if (t[i].depth == 0 && is_main_command(t[i])) return i;
    return t.size();
}

// Index of the next top-level token at or after `from` that is the word `w`.
size_t find_word(const Tokens &t, size_t from, std::string_view w) {
    for (size_t i = from; i < t.size(); i++)
        if (t[i].depth == 0 && t[i].is_word(w)) return i;
    return t.size();
}

// The select list items [begin, end) token ranges, split at top-level commas.
std::vector<std::pair<size_t, size_t>> select_items(const Tokens &t, size_t begin, size_t end) {
    std::vector<std::pair<size_t, size_t>> items;
    size_t start = begin;
    for (size_t i = begin; i <= end; i++) {
        if (i == end || (t[i].depth == 0 && t[i].is_punct(','))) {
            if (i > start) items.emplace_back(start, i);
            start = i + 1;
        }
    }
    return items;
}

bool star_item(const Tokens &t, size_t b, size_t e) {
    if (e - b == 1) return t[b].is_punct('*');
    return e - b >= 3 && t[e - 1].is_punct('*') && t[e - 2].is_punct('.');
}

// count(*) / count($1) / count(1) / count(col) [[AS] alias], not count(DISTINCT ...).
bool count_item(const Tokens &t, size_t b, size_t e) {
    if (e - b < 4 || !t[b].is_word("count") || !t[b + 1].is_punct('(')) return false;
    size_t close = b + 2;
    while (close < e && !(t[close].is_punct(')') && t[close].depth == t[b + 1].depth))
        close++;
    if (close >= e || close == b + 2 || t[b + 2].is_word("distinct")) return false;
    size_t rest = e - close - 1;
    if (rest == 0) return true;
    if (rest == 1)
        return t[close + 1].kind == TokenKind::Word || t[close + 1].kind == TokenKind::QuotedIdent;
    return rest == 2 && t[close + 1].is_word("as");
}

void read_from(const Tokens &t, size_t from, Shape &s) {
    s.from_pos = t[from].begin;
    size_t i = from + 1;
    if (i < t.size() && t[i].is_word("only")) i++;
    std::vector<std::string> parts;
    while (i < t.size() && (t[i].kind == TokenKind::Word || t[i].kind == TokenKind::QuotedIdent)) {
        parts.push_back(identifier(t[i]));
        if (i + 1 < t.size() && t[i + 1].is_punct('.')) {
            i += 2;
            continue;
        }
        break;
    }
    if (parts.empty()) return;  // a sub-select or a function
    s.from_relation = parts.back();
    if (parts.size() >= 2) s.from_schema = parts[parts.size() - 2];
}

void read_order_by(std::string_view text, const Tokens &t, size_t by, Shape &s) {
    s.order_by = true;
    size_t end = t.size();
    for (size_t i = by + 1; i < t.size(); i++)
        if (t[i].depth == 0 && (t[i].is_word("limit") || t[i].is_word("offset") ||
                                t[i].is_word("fetch") || t[i].is_word("for"))) {
            end = i;
            break;
        }
    for (auto [b, e] : select_items(t, by + 1, end))
        s.order_items.emplace_back(text.substr(t[b].begin, t[e - 1].end - t[b].begin));
}

// Whether the ',' at i follows the first row of a VALUES list ("VALUES (...) ,").
bool first_values_row_ends(const Tokens &t, size_t i) {
    if (i < 2 || !t[i - 1].is_punct(')') || i + 1 >= t.size() || !t[i + 1].is_punct('('))
        return false;
    size_t open = i - 1;
    while (open > 0 && !(t[open].is_punct('(') && t[open].depth == t[i - 1].depth))
        open--;
    return open > 0 && t[open - 1].is_word("values");
}

// End (exclusive) of the rows that follow the first one: ", (...)" repeated.
size_t values_list_end(const Tokens &t, size_t comma) {
    size_t j = comma;
    while (j + 1 < t.size() && t[j].is_punct(',') && t[j + 1].is_punct('(')) {
        size_t close = j + 2;
        while (close < t.size() && !(t[close].is_punct(')') && t[close].depth == t[j + 1].depth))
            close++;
        j = close + 1;
    }
    return j;
}

}  // namespace

Shape analyze(std::string_view text) {
    Shape s;
    Tokens t = sql::tokenize(text);
    size_t cmd = main_command(t);
    if (cmd == t.size()) return s;
    s.command = lower(t[cmd].text);
    if (s.command != "select") return s;
    for (size_t i = cmd; i < t.size(); i++) {
        if (t[i].depth != 0) continue;
        if (t[i].is_word("union") || t[i].is_word("intersect") || t[i].is_word("except"))
            s.set_operation = true;
        if (t[i].is_word("group") && i + 1 < t.size() && t[i + 1].is_word("by")) s.group_by = true;
        if (t[i].is_word("order") && i + 1 < t.size() && t[i + 1].is_word("by"))
            read_order_by(text, t, i + 1, s);
        if (t[i].is_word("limit") || t[i].is_word("fetch")) s.limit = true;
    }
    size_t list = cmd + 1;
    if (list < t.size() && t[list].is_word("all")) list++;
    bool distinct = list < t.size() && t[list].is_word("distinct");
    if (distinct) list++;
    if (distinct && list < t.size() && t[list].is_word("on") && list + 1 < t.size()) {
        size_t open = list + 1;
        list = open + 1;
        while (list < t.size() && !(t[list].is_punct(')') && t[list].depth == t[open].depth))
            list++;
        list++;
    }
    size_t from = find_word(t, list, "from");
    size_t list_end = from;
    for (const char *w : {"where", "group", "order", "limit", "into", "union"})
        list_end = std::min(list_end, find_word(t, list, w));
    auto items = select_items(t, list, std::min(list_end, t.size()));
    for (auto [b, e] : items)
        if (star_item(t, b, e)) s.select_star = true;
    s.count_only = !distinct && items.size() == 1 && count_item(t, items[0].first, items[0].second);
    if (from < t.size()) read_from(t, from, s);
    return s;
}

std::string collapsed_shape(std::string_view text) {
    Tokens t = sql::tokenize(text);
    std::string out;
    auto emit = [&](std::string_view piece) {
        if (!out.empty()) out += ' ';
        out += piece;
    };
    for (size_t i = 0; i < t.size(); i++) {
        const Token &k = t[i];
        // IN (v, v, ...) / ARRAY[v, v, ...] of values only: one shape whatever the length.
        bool list_open = i > 0 && ((t[i - 1].is_word("in") && k.is_punct('(')) ||
                                   (t[i - 1].is_word("array") && k.is_punct('[')));
        if (list_open) {
            size_t j = i + 1;
            bool values = j < t.size() && is_value(t[j]);
            while (j < t.size() && values &&
                   !(t[j].depth == k.depth && (t[j].is_punct(')') || t[j].is_punct(']')))) {
                values = is_value(t[j]) || t[j].is_punct(',') || t[j].is_punct(':') ||
                         (t[j].kind == TokenKind::Word && j > 0 && t[j - 1].is_punct(':'));
                j++;
            }
            if (values && j < t.size()) {
                emit(k.is_punct('(') ? "($...)" : "[$...]");
                i = j;
                continue;
            }
        }
        // VALUES (...), (...): keep the first row.
        if (k.is_punct(',') && first_values_row_ends(t, i)) {
            emit(", ...");
            i = values_list_end(t, i) - 1;
            continue;
        }
        if (is_value(k))
            emit("$?");
        else if (k.kind == TokenKind::Word)
            emit(lower(k.text));
        else
            emit(k.text);
    }
    return out;
}

std::string exists_rewrite(std::string_view text, const Shape &shape) {
    if (!shape.count_only || shape.group_by || shape.set_operation ||
        shape.from_pos == std::string::npos)
        return "";
    std::string rest(text.substr(shape.from_pos));
    while (!rest.empty() && (rest.back() == ';' || rest.back() == ' ' || rest.back() == '\n'))
        rest.pop_back();
    return "SELECT EXISTS (SELECT 1 " + rest + ")";
}

std::vector<RowCall> per_row_calls(std::string_view expr,
                                   const std::unordered_set<std::string> &names) {
    Tokens t = sql::tokenize(expr);
    std::vector<RowCall> out;
    // Depths of the open "(SELECT" groups: a call at a greater depth runs once.
    std::vector<int> selects;
    for (size_t i = 0; i < t.size(); i++) {
        if (t[i].is_punct(')') && !selects.empty() && t[i].depth == selects.back()) {
            selects.pop_back();
            continue;
        }
        if (t[i].is_punct('(') && i + 1 < t.size() && t[i + 1].is_word("select")) {
            selects.push_back(t[i].depth);
            continue;
        }
        bool call = (t[i].kind == TokenKind::Word || t[i].kind == TokenKind::QuotedIdent) &&
                    i + 1 < t.size() && t[i + 1].is_punct('(');
        if (!call || !selects.empty() || !names.count(identifier(t[i]))) continue;
        size_t first = i >= 2 && t[i - 1].is_punct('.') ? i - 2 : i;  // keep a schema
        size_t close = i + 2;
        while (close < t.size() && !(t[close].is_punct(')') && t[close].depth == t[i + 1].depth))
            close++;
        if (close >= t.size()) break;
        RowCall c;
        c.begin = t[first].begin;
        c.end = t[close].end;
        c.name = std::string(expr.substr(c.begin, t[i].end - c.begin));
        out.push_back(c);
        i = close;
    }
    return out;
}

std::string wrap_calls(std::string_view expr, const std::vector<RowCall> &calls) {
    std::string out;
    size_t at = 0;
    for (const RowCall &c : calls) {
        out += expr.substr(at, c.begin - at);
        out += "(SELECT ";
        out += expr.substr(c.begin, c.end - c.begin);
        out += ")";
        at = c.end;
    }
    out += expr.substr(at);
    return out;
}

}  // namespace pg_advisor::review::statement
