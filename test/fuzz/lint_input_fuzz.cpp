// libFuzzer target over `pg_advisor lint`'s input path: psql meta-command blanking, statement
// splitting, libpg_query's parse and the translation of its JSON into the schema-change model,
// then every migration rule over the result (offline facts). No input may crash, leak, read out
// of bounds or hang (ASan, UBSan, libFuzzer's timeout).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/lint/input.h"
#include "cli/pg_query/parse.h"
#include "core/ddl/lint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char *>(data), size);
    std::string text = pg_advisor::cli::blank_psql_meta_commands(bytes);
    if (text.size() != bytes.size()) __builtin_trap();  // offsets must be kept
    std::vector<pg_advisor::ddl::Statement> statements = pg_advisor::cli::parse_script(text);
    for (const pg_advisor::ddl::Statement &st : statements)
        if (st.offset > text.size() || st.line < 1 || st.column < 1) __builtin_trap();
    pg_advisor::ddl::Facts offline;
    pg_advisor::ddl::MigrationState state;
    pg_advisor::ddl::LintResult r = pg_advisor::ddl::lint(statements, offline, state);
    for (const pg_advisor::ddl::DdlFinding &f : r.findings)
        if (f.statement >= statements.size()) __builtin_trap();
    return 0;
}
