// pg_advisor lint's inputs (psql meta-commands) and outputs (json, sarif, github, text).
#include <gtest/gtest.h>

#include "cli/libpq/live_facts.h"
#include "cli/lint/input.h"
#include "cli/lint/output.h"
#include "cli/pg_query/parse.h"
#include "core/report/json_reader.h"

namespace pg_advisor::cli {
namespace {

TEST(PsqlMetaCommands, BlankedWithOffsetsKept) {
    std::string in =
        "\\set ON_ERROR_STOP on\nSELECT '\\x' AS a, E'\\\\' AS b; -- \\not\n  \\connect db\n"
        "SELECT $$ \\gset $$ \\gset\nCREATE TABLE \"a\\b\" (x int);\n";
    std::string out = blank_psql_meta_commands(in);
    ASSERT_EQ(out.size(), in.size());
    EXPECT_EQ(out,
              "                     \nSELECT '\\x' AS a, E'\\\\' AS b; -- \\not\n             \n"
              "SELECT $$ \\gset $$ ;    \nCREATE TABLE \"a\\b\" (x int);\n");
    std::vector<ddl::Statement> st = parse_script(out);
    ASSERT_EQ(st.size(), 3u);
    EXPECT_EQ(st[1].line, 4);
    EXPECT_EQ(st[1].text, "SELECT $$ \\gset $$ ");
    EXPECT_EQ(st[2].line, 5);
    EXPECT_EQ(st[2].changes[0].target.name, "a\\b");
}

TEST(PsqlMetaCommands, VariablesAndEscapedSemicolons) {
    std::string in =
        "SELECT :n, :'s', :\"c\", a::int, b[1:k] \\; SELECT x := 1, ':t' -- :u\n"
        "FROM t WHERE c = :'v';";
    std::string out = blank_psql_meta_commands(in);
    EXPECT_EQ(out,
              "SELECT  n,  's',  \"c\", a::int, b[1:k]  ; SELECT x := 1, ':t' -- :u\n"
              "FROM t WHERE c =  'v';");
    std::vector<ddl::Statement> st = parse_script(out);
    ASSERT_EQ(st.size(), 2u);
    EXPECT_EQ(st[0].parse_error, "");
    EXPECT_EQ(st[1].line, 1);
    EXPECT_EQ(st[1].column, 42);
}

// Mangled migrations (bytes flipped, cut, repeated) never crash the front end, and every
// statement either parses or carries a parse error placed inside the input.
TEST(PsqlMetaCommands, MangledInputsAreReadOrRejectedCleanly) {
    const std::string base =
        "\\set x 1\nBEGIN;\nALTER TABLE s.t ADD COLUMN c int DEFAULT (1 + :x) NOT NULL, ADD "
        "CONSTRAINT k CHECK (c > 0) NOT VALID;\nCREATE INDEX CONCURRENTLY i ON t USING gin "
        "(lower(b)) WHERE d IS NULL;\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ "
        "LANGUAGE sql;\nCOMMIT;\n";
    const char kBytes[] = "();'\"$\\:-/*\n xé[]";
    uint32_t seed = 12345;
    auto next = [&seed]() {
        seed = seed * 1103515245u + 12345u;
        return (seed >> 16) & 0x7fff;
    };
    size_t statements = 0, errors = 0;
    for (int round = 0; round < 3000; round++) {
        std::string s = base;
        for (int k = 0; k < 1 + static_cast<int>(next() % 4); k++) {
            size_t at = next() % s.size();
            switch (next() % 3) {
                case 0:
                    s[at] = kBytes[next() % (sizeof(kBytes) - 1)];
                    break;
                case 1:
                    s.erase(at, next() % 8);
                    break;
                default:
                    s.insert(at, s.substr(at, next() % 16));
                    break;
            }
        }
        std::string text = blank_psql_meta_commands(s);
        ASSERT_EQ(text.size(), s.size());
        for (const ddl::Statement &st : parse_script(text)) {
            statements++;
            if (st.parse_error.empty()) continue;
            errors++;
            ASSERT_TRUE(st.changes.empty());
            ASSERT_LE(st.error_offset, text.size());
        }
    }
    EXPECT_GT(statements, 10000u);
    EXPECT_GT(errors, 100u);
}

// One linted file with one finding and one parse error.
std::vector<LintedFile> sample() {
    LintedFile f;
    f.file = "./db/V2__idx.sql";
    f.text = "CREATE INDEX i ON t (a);\nCREATE TABLEE x ();\n";
    f.statements = parse_script(f.text);
    ddl::DdlFinding d;
    d.finding.rule = "index_not_concurrent";
    d.finding.severity = review::Severity::Medium;
    d.finding.title = "CREATE INDEX i on t without CONCURRENTLY";
    d.finding.why = "Takes SHARE on t,\nfor long";
    d.finding.object = "t";
    d.finding.fix_sql = "CREATE INDEX CONCURRENTLY i ON t (a);";
    d.finding.evidence.add("lock", "SHARE");
    f.result.findings.push_back(d);
    return {f};
}

TEST(LintOutput, Text) {
    EXPECT_EQ(format_text(sample()),
              "./db/V2__idx.sql:1:1 index_not_concurrent medium CREATE INDEX i on t without "
              "CONCURRENTLY: Takes SHARE on t, for long\n"
              "./db/V2__idx.sql:2:8 parse_error error syntax error at or near \"TABLEE\"\n");
}

TEST(LintOutput, Json) {
    report::JsonValue v;
    ASSERT_TRUE(report::parse_json(format_json(sample()), &v));
    EXPECT_EQ(report::to_json(v),
              "{\"files\":1,\"statements\":2,\"findings\":[{\"file\":\"./db/V2__idx.sql\","
              "\"line\":1,\"column\":1,\"rule\":\"index_not_concurrent\",\"severity\":\"medium\","
              "\"message\":\"CREATE INDEX i on t without CONCURRENTLY: Takes SHARE on t, for "
              "long\",\"fix_sql\":\"CREATE INDEX CONCURRENTLY i ON t (a);\",\"object\":\"t\","
              "\"title\":\"CREATE INDEX i on t without CONCURRENTLY\",\"recommendation\":\"\","
              "\"evidence\":{\"lock\":\"SHARE\"}}],\"parse_errors\":[{\"file\":\"./db/"
              "V2__idx.sql\",\"line\":2,\"column\":8,\"message\":\"syntax error at or near "
              "\\\"TABLEE\\\"\"}]}");
}

TEST(LintOutput, Sarif) {
    report::JsonValue v;
    ASSERT_TRUE(report::parse_json(format_sarif(sample(), "1.2.3"), &v));
    EXPECT_EQ(v.find("version")->text, "2.1.0");
    const report::JsonValue &run = v.find("runs")->items.at(0);
    const report::JsonValue &driver = *run.find("tool")->find("driver");
    EXPECT_EQ(driver.find("name")->text, "pg_advisor");
    EXPECT_EQ(driver.find("version")->text, "1.2.3");
    EXPECT_EQ(report::to_json(*driver.find("rules")),
              "[{\"id\":\"index_not_concurrent\",\"name\":\"index_not_concurrent\","
              "\"shortDescription\":{\"text\":\"CREATE INDEX without CONCURRENTLY\"},"
              "\"defaultConfiguration\":{\"level\":\"error\"}},{\"id\":\"parse_error\",\"name\":"
              "\"parse_error\",\"shortDescription\":{\"text\":\"The statement does not parse\"},"
              "\"defaultConfiguration\":{\"level\":\"error\"}}]");
    const report::JsonValue &r0 = run.find("results")->items.at(0);
    EXPECT_EQ(report::to_json(r0),
              "{\"ruleId\":\"index_not_concurrent\",\"ruleIndex\":0,\"level\":\"warning\","
              "\"message\":{\"text\":\"CREATE INDEX i on t without CONCURRENTLY: Takes SHARE on "
              "t, for long\"},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":"
              "\"db/V2__idx.sql\"},\"region\":{\"startLine\":1,\"startColumn\":1}}}]}");
    EXPECT_EQ(run.find("results")->items.at(1).find("ruleIndex")->text, "1");
}

TEST(LintOutput, GithubAnnotationsAreEscaped) {
    std::vector<LintedFile> files = sample();
    files[0].file = "db/a,b:c.sql";
    files[0].result.findings[0].finding.why = "100% sure\nreally";
    EXPECT_EQ(format_github(files),
              "::warning file=db/a%2Cb%3Ac.sql,line=1,col=1,title=index_not_concurrent::CREATE "
              "INDEX i on t without CONCURRENTLY: 100%25 sure really\n"
              "::error file=db/a%2Cb%3Ac.sql,line=2,col=8,title=parse_error::syntax error at or "
              "near \"TABLEE\"\n");
}

TEST(LiveFacts, TypmodsDecodeAsTheParserWritesTypes) {
    EXPECT_EQ(decode_typmod("varchar", 24), (std::vector<int64_t>{20}));
    EXPECT_EQ(decode_typmod("bpchar", 7), (std::vector<int64_t>{3}));
    EXPECT_EQ(decode_typmod("numeric", ((10 << 16) | 2) + 4), (std::vector<int64_t>{10, 2}));
    EXPECT_EQ(decode_typmod("timestamptz", 3), (std::vector<int64_t>{3}));
    EXPECT_TRUE(decode_typmod("varchar", -1).empty());
    EXPECT_TRUE(decode_typmod("int4", -1).empty());
}

}  // namespace
}  // namespace pg_advisor::cli
