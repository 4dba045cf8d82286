#include "cli/log/statement_info.h"

#include <cctype>
#include <cstdlib>

#include "core/sql/sql_lexer.h"

namespace pg_advisor::cli::log {

namespace {

enum class T : uint8_t { Word, QIdent, String, Number, Param, Punct };

struct Tok {
    T kind;
    uint16_t depth;  // enclosing parentheses
    std::string_view text;
};

constexpr size_t kMaxTokens = 8192;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool ieq(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); i++)
        if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
    return true;
}

void tokenize(std::string_view s, std::vector<Tok> &out) {
    size_t pos = 0;
    uint16_t depth = 0;
    while (out.size() < kMaxTokens) {
        pos = sql::skip_space_and_comments(s, pos);
        if (pos >= s.size()) return;
        unsigned char c = static_cast<unsigned char>(s[pos]);
        size_t end;
        T kind = T::Punct;
        if (c == '"') {
            end = sql::quoted_identifier_end(s, pos), kind = T::QIdent;
        } else if (c == '\'') {
            end = sql::skip_token(s, pos), kind = T::String;
        } else if (c == '$' && pos + 1 < s.size() && is_digit(s[pos + 1])) {
            end = sql::skip_token(s, pos), kind = T::Param;
        } else if (c == '$') {
            end = sql::skip_token(s, pos), kind = end > pos + 1 ? T::String : T::Punct;
        } else if (sql::starts_number(s, pos)) {
            end = sql::number_end(s, pos), kind = T::Number;
        } else if (sql::is_ident_start(c)) {
            end = sql::identifier_end(s, pos), kind = T::Word;
        } else {
            end = pos + 1;
            if (pos + 1 < s.size() &&
                std::string_view("<>!=:").find(static_cast<char>(c)) != std::string_view::npos &&
                (s[pos + 1] == '=' || s[pos + 1] == '>' || s[pos + 1] == ':'))
                end = pos + 2;
        }
        if (end <= pos) end = pos + 1;
        std::string_view text = s.substr(pos, end - pos);
        if (text == ")" && depth > 0) depth--;
        out.push_back({kind, depth, text});
        if (text == "(") depth++;
        pos = end;
    }
}

class Walker {
  public:
    Walker(const std::vector<Tok> &t, StatementInfo &info) : t_(t), info_(info) {}
    void run();
    static std::string unquote(const Tok &tok);

  private:
    bool word(size_t i, std::string_view kw) const {
        return i < t_.size() && t_[i].kind == T::Word && ieq(t_[i].text, kw);
    }
    bool punct(size_t i, std::string_view p) const {
        return i < t_.size() && t_[i].kind == T::Punct && t_[i].text == p;
    }
    bool is_value(size_t i) const {
        return i < t_.size() &&
               (t_[i].kind == T::Param || t_[i].kind == T::Number || t_[i].kind == T::String);
    }
    bool name_token(size_t i) const {
        return i < t_.size() && (t_[i].kind == T::Word || t_[i].kind == T::QIdent);
    }
    size_t qualified(size_t i, std::vector<std::string> &parts) const;
    bool take_relation(size_t i, bool column_list = false);
    void main_command(size_t first);
    void relation();
    void top_level_flags();
    void lists_and_params();
    void where_columns();
    void aggregate();

    const std::vector<Tok> &t_;
    StatementInfo &info_;
    size_t verb_ = 0;  // token of the main command's verb
};

std::string Walker::unquote(const Tok &tok) {
    std::string out;
    if (tok.kind == T::QIdent) {
        std::string_view in = tok.text.substr(1, tok.text.size() >= 2 ? tok.text.size() - 2 : 0);
        for (size_t i = 0; i < in.size(); i++) {
            out.push_back(in[i]);
            if (in[i] == '"' && i + 1 < in.size() && in[i + 1] == '"') i++;
        }
        return out;
    }
    for (char c : tok.text)
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
}

// A dotted name at i; returns the token after it (i when there is none).
size_t Walker::qualified(size_t i, std::vector<std::string> &parts) const {
    parts.clear();
    while (name_token(i)) {
        parts.push_back(unquote(t_[i]));
        if (!punct(i + 1, ".")) return i + 1;
        i += 2;
    }
    return i;
}

bool Walker::take_relation(size_t i, bool column_list) {
    while (word(i, "only") || word(i, "lateral"))
        i++;
    std::vector<std::string> parts;
    size_t after = qualified(i, parts);
    if (parts.empty() || (punct(after, "(") && !column_list)) return false;
    const std::string &name = parts.back();
    std::string schema = parts.size() >= 2 ? parts[parts.size() - 2] : "";
    if (schema == "pg_catalog" || schema == "information_schema" ||
        (schema.empty() && name.compare(0, 3, "pg_") == 0))
        info_.flags |= kEventCatalogOnly;
    info_.relation = schema.empty() || schema == "public"
                         ? display_name(name)
                         : display_name(schema) + "." + display_name(name);
    return true;
}

void Walker::main_command(size_t i) {
    while (punct(i, "("))
        i++;
    if (i >= t_.size() || t_[i].kind != T::Word) {
        info_.command = CommandKind::Utility;
        return;
    }
    verb_ = i;
    auto b = [&](Boundary x) {
        info_.boundary = x;
        info_.command = CommandKind::Utility;
    };
    if (word(i, "begin") || word(i, "start")) return b(Boundary::Begin);
    if (word(i, "commit") || word(i, "end"))
        return word(i + 1, "prepared") ? b(Boundary::None) : b(Boundary::Commit);
    if (word(i, "rollback") || word(i, "abort")) {
        if (word(i + 1, "prepared")) return b(Boundary::None);
        bool to = word(i + 1, "to") ||
                  (word(i + 2, "to") && (word(i + 1, "work") || word(i + 1, "transaction")));
        return b(to ? Boundary::RollbackTo : Boundary::Rollback);
    }
    if (word(i, "savepoint")) return b(Boundary::Savepoint);
    if (word(i, "release")) return b(Boundary::Release);
    if (word(i, "prepare"))
        return b(word(i + 1, "transaction") ? Boundary::Prepare : Boundary::None);
    if (word(i, "with")) {
        for (size_t j = i + 1; j < t_.size(); j++) {
            if (t_[j].depth != 0 || t_[j].kind != T::Word) continue;
            for (const char *v : {"select", "insert", "update", "delete", "merge", "values"})
                if (ieq(t_[j].text, v)) {
                    verb_ = j;
                    return main_command(j);
                }
        }
    }
    if (word(i, "select") || word(i, "values") || word(i, "table"))
        info_.command = CommandKind::Select;
    else if (word(i, "insert"))
        info_.command = CommandKind::Insert;
    else if (word(i, "update"))
        info_.command = CommandKind::Update;
    else if (word(i, "delete"))
        info_.command = CommandKind::Delete;
    else if (word(i, "merge"))
        info_.command = CommandKind::Merge;
    else
        info_.command = CommandKind::Utility;
}

void Walker::relation() {
    size_t i = verb_;
    switch (info_.command) {
        case CommandKind::Insert:
        case CommandKind::Merge:
            if (word(i + 1, "into")) take_relation(i + 2, true);
            return;
        case CommandKind::Update:
            take_relation(i + 1);
            return;
        case CommandKind::Delete:
            if (word(i + 1, "from")) take_relation(i + 2);
            return;
        case CommandKind::Select:
            if (word(i, "table")) {
                take_relation(i + 1);
                return;
            }
            break;
        default:
            return;
    }
    // The first relation after a FROM of a query (not of EXTRACT(x FROM y)): a FROM counts
    // when every parenthesis around it opens a subquery.
    std::vector<bool> subquery;  // per open parenthesis
    for (size_t j = 0; j < t_.size(); j++) {
        if (punct(j, "(")) {
            subquery.push_back(word(j + 1, "select") || word(j + 1, "with"));
            continue;
        }
        if (punct(j, ")") && !subquery.empty()) subquery.pop_back();
        bool query_level = true;
        for (bool s : subquery)
            query_level = query_level && s;
        if (query_level && word(j, "from") && take_relation(j + 1)) return;
    }
}

void Walker::top_level_flags() {
    bool after_values = false, after_into = false;
    int tuples = 0;
    for (size_t i = verb_; i < t_.size(); i++) {
        if (t_[i].depth != 0) continue;
        if (word(i, "for") && (word(i + 1, "update") || word(i + 1, "share") || word(i + 1, "no") ||
                               word(i + 1, "key")))
            info_.flags |= kEventForUpdate;
        if (word(i, "skip") && word(i + 1, "locked")) info_.flags |= kEventSkipLocked;
        if (word(i, "limit") && !word(i + 1, "all")) {
            info_.flags |= kEventHasLimit;
            if (i + 1 < t_.size() && t_[i + 1].kind == T::Param)
                info_.limit_param = std::atoi(std::string(t_[i + 1].text.substr(1)).c_str());
        }
        if (word(i, "fetch") && (word(i + 1, "first") || word(i + 1, "next")))
            info_.flags |= kEventHasLimit;
        if (word(i, "offset")) info_.flags |= kEventHasOffset;
        if (info_.command != CommandKind::Insert) continue;
        if (word(i, "into")) after_into = true;
        if (after_into && !after_values && (word(i, "select") || word(i, "with")))
            info_.flags |= kEventMultiRow;
        if (word(i, "values")) after_values = true;
        if (after_values && word(i, "on")) after_values = false;
        if (after_values && punct(i, "(")) tuples++;
    }
    if (tuples > 1) info_.flags |= kEventMultiRow;
}

void Walker::lists_and_params() {
    for (size_t i = 0; i < t_.size(); i++) {
        if (t_[i].kind == T::Param) {
            int n = std::atoi(std::string(t_[i].text.substr(1)).c_str());
            if (n > info_.max_param) info_.max_param = n;
        }
        if (word(i, "in") && punct(i + 1, "(") && !word(i + 2, "select") && !word(i + 2, "with")) {
            uint32_t items = 1;
            uint16_t d = t_[i + 1].depth + 1;
            size_t j = i + 2;
            for (; j < t_.size() && !(t_[j].depth == t_[i + 1].depth && punct(j, ")")); j++)
                if (t_[j].depth == d && punct(j, ",")) items++;
            if (items > info_.in_list) info_.in_list = items;
        }
        if (word(i, "any") && punct(i + 1, "(") && i + 2 < t_.size() && t_[i + 2].kind == T::Param)
            info_.any_param = std::atoi(std::string(t_[i + 2].text.substr(1)).c_str());
    }
}

void Walker::where_columns() {
    std::string order_col;
    for (size_t i = verb_; i + 2 < t_.size(); i++)
        if (t_[i].depth == 0 && word(i, "order") && word(i + 1, "by")) {
            std::vector<std::string> parts;
            qualified(i + 2, parts);
            if (!parts.empty()) order_col = parts.back();
        }
    for (int pass = 0; pass < 2 && info_.key_column.empty(); pass++) {
        bool in_where = false;
        for (size_t i = verb_; i < t_.size(); i++) {
            if (pass == 0 && t_[i].depth != 0) continue;
            if (word(i, "where")) in_where = true;
            if (!in_where || !name_token(i) || (i > 0 && punct(i - 1, "."))) continue;
            std::vector<std::string> parts;
            size_t op = qualified(i, parts);
            if (parts.empty()) continue;
            // "$1 = books.author_id" (SQLAlchemy's lazy loads put the value first)
            bool reversed = i >= 2 && punct(i - 1, "=") && is_value(i - 2);
            if (reversed && info_.key_column.empty()) info_.key_column = parts.back();
            if (op + 1 >= t_.size() || t_[op].kind != T::Punct) continue;
            bool value = is_value(op + 1);
            std::string_view o = t_[op].text;
            if (value && o == "=" && info_.key_column.empty()) info_.key_column = parts.back();
            if (value && (o == "<" || o == ">" || o == "<=" || o == ">=") &&
                parts.back() == order_col)
                info_.keyset = true;
        }
    }
}

void Walker::aggregate() {
    if (info_.command != CommandKind::Select) return;
    bool group = false;
    for (size_t i = verb_; i < t_.size(); i++) {
        if (t_[i].depth != 0) continue;
        if (word(i, "group") && word(i + 1, "by")) group = true;
        if (word(i, "from")) break;
        for (const char *f : {"count", "sum", "avg", "min", "max", "array_agg", "string_agg",
                              "json_agg", "jsonb_agg", "bool_and", "bool_or"})
            if (word(i, f) && punct(i + 1, "(")) info_.aggregate = true;
    }
    for (size_t i = verb_; i < t_.size() && !group; i++)
        if (t_[i].depth == 0 && word(i, "group") && word(i + 1, "by")) group = true;
    info_.single_row = info_.aggregate && !group;
}

void Walker::run() {
    main_command(0);
    if (info_.command == CommandKind::Utility) return;
    relation();
    top_level_flags();
    lists_and_params();
    where_columns();
    aggregate();
}

}  // namespace

StatementInfo classify_statement(std::string_view sql) {
    StatementInfo info;
    std::vector<Tok> toks;
    toks.reserve(64);
    tokenize(sql, toks);
    Walker(toks, info).run();
    return info;
}

void split_statements(std::string_view text, std::vector<std::string_view> &out) {
    out.clear();
    size_t start = 0, pos = 0;
    auto push = [&](size_t end) {
        std::string_view piece = text.substr(start, end - start);
        size_t b = sql::skip_space_and_comments(piece, 0);
        if (b < piece.size()) out.push_back(piece);
    };
    while (pos < text.size()) {
        unsigned char c = static_cast<unsigned char>(text[pos]);
        if (c == ';') {
            push(pos);
            start = ++pos;
        } else if (sql::opens_construct(c)) {
            pos = sql::skip_token(text, pos);
        } else {
            pos++;
        }
    }
    push(text.size());
}

bool parameter_value(std::string_view params, int n, std::string &value) {
    std::string key = "$" + std::to_string(n) + " = ";
    size_t at = 0;
    for (;;) {
        at = params.find(key, at);
        if (at == std::string_view::npos) return false;
        if (at == 0 || params[at - 1] == ' ') break;
        at++;
    }
    size_t i = at + key.size();
    value.clear();
    if (i >= params.size() || params[i] != '\'') {
        size_t end = params.find(',', i);
        value.assign(params.substr(i, end == std::string_view::npos ? end : end - i));
        return true;
    }
    for (i++; i < params.size(); i++) {
        if (params[i] == '\'') {
            if (i + 1 < params.size() && params[i + 1] == '\'') {
                value.push_back('\'');
                i++;
                continue;
            }
            break;
        }
        value.push_back(params[i]);
    }
    return true;
}

void id_columns(std::string_view text, std::vector<std::string> &out) {
    std::vector<Tok> toks;
    tokenize(text, toks);
    for (const Tok &t : toks) {
        if (t.kind != T::Word && t.kind != T::QIdent) continue;
        std::string name = Walker::unquote(t);
        if (name.size() > 3 && name.compare(name.size() - 3, 3, "_id") == 0) out.push_back(name);
    }
}

std::string display_name(std::string_view n) {
    bool plain = !n.empty() && ((n[0] >= 'a' && n[0] <= 'z') || n[0] == '_');
    for (char c : n)
        plain = plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$');
    if (plain) return std::string(n);
    std::string out = "\"";
    for (char c : n) {
        out.push_back(c);
        if (c == '"') out.push_back('"');
    }
    return out + "\"";
}

}  // namespace pg_advisor::cli::log
