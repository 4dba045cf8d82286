// Parsing with libpg_query (see parse.h).
#include "cli/pg_query/parse.h"

#include <pg_query.h>

#include <memory>
#include <string>

namespace pg_advisor::cli {

namespace {

// libpg_query's JSON nests one object per node and one per field: a deep expression (a long
// chain of AND / OR / ||) goes far beyond the reader's default depth.
constexpr int kMaxJsonDepth = 10000;

struct ParseResult {
    PgQueryParseResult r;
    explicit ParseResult(const std::string &text) : r(pg_query_parse(text.c_str())) {}
    ~ParseResult() { pg_query_free_parse_result(r); }
    ParseResult(const ParseResult &) = delete;
    ParseResult &operator=(const ParseResult &) = delete;
};

// Byte offset of the 1-based character position PostgreSQL reports (cursorpos counts
// characters, not bytes); 0 when the position is unknown.
size_t byte_offset(std::string_view text, int cursorpos) {
    if (cursorpos <= 1) return 0;
    int chars = 0;
    for (size_t i = 0; i < text.size(); i++) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (++chars == cursorpos) return i;
    }
    return text.size();
}

}  // namespace

void parse_statement(ddl::Statement &st) {
    st.changes.clear();
    st.parse_error.clear();
    ParseResult parsed(st.text);
    if (parsed.r.error != nullptr) {
        st.parse_error = parsed.r.error->message ? parsed.r.error->message : "syntax error";
        st.error_offset = st.offset + byte_offset(st.text, parsed.r.error->cursorpos);
        return;
    }
    report::JsonValue tree;
    std::string error;
    if (!report::parse_json(parsed.r.parse_tree, &tree, &error, kMaxJsonDepth)) {
        st.parse_error = "unreadable parse tree: " + error;
        st.error_offset = st.offset;
        return;
    }
    const report::JsonValue *stmts = tree.find("stmts");
    if (stmts == nullptr) return;  // nothing but comments
    for (const report::JsonValue &raw : stmts->items) {
        const report::JsonValue *node = raw.find("stmt");
        if (node == nullptr) continue;
        for (ddl::Change &c : translate(*node, st.text))
            st.changes.push_back(std::move(c));
    }
}

std::vector<ddl::Statement> parse_script(std::string_view script) {
    std::vector<ddl::Statement> statements = ddl::script_statements(script);
    for (ddl::Statement &st : statements)
        parse_statement(st);
    return statements;
}

}  // namespace pg_advisor::cli
