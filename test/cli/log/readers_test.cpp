// The log readers and the log_line_prefix matcher, on lines as PostgreSQL 15 writes them.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <string>
#include <unistd.h>

#include "cli/log/line_source.h"
#include "cli/log/prefix.h"
#include "cli/log/readers.h"

using namespace pg_advisor::cli::log;

namespace {

constexpr int64_t kTs = 1796609411123000;  // 2026-12-07 02:10:11.123 UTC

std::vector<LogRecord> read_all(RecordReader &r, std::vector<std::string> &messages) {
    std::vector<LogRecord> out;
    LogRecord rec;
    while (r.next(rec)) {
        out.push_back(rec);
        messages.emplace_back(rec.message);
    }
    return out;
}

}  // namespace

TEST(LogTimestamp, ParsesMillisecondsAndSeconds) {
    int64_t us;
    size_t used;
    ASSERT_TRUE(parse_timestamp("2026-12-07 02:10:11.123 UTC", us, used));
    EXPECT_EQ(us, kTs);
    EXPECT_EQ(used, 23u);
    ASSERT_TRUE(parse_timestamp("2026-12-07 02:10:11 CET", us, used));
    EXPECT_EQ(us, 1796609411000000);
    EXPECT_EQ(used, 19u);
    EXPECT_FALSE(parse_timestamp("2026-13-07 02:10:11", us, used));
    EXPECT_FALSE(parse_timestamp("garbage", us, used));
}

TEST(PrefixMatcher, DebianDefaultWithAndWithoutSession) {
    PrefixMatcher m;
    ASSERT_TRUE(m.compile("%m [%p] %q%u@%d "));
    LogRecord rec;
    std::string line = "2026-12-07 02:10:11.123 UTC [4711] alice@shop LOG:  statement: SELECT 1";
    size_t n = m.match(line, rec);
    ASSERT_NE(n, std::string::npos);
    EXPECT_EQ(line.substr(n), "LOG:  statement: SELECT 1");
    EXPECT_EQ(rec.pid, 4711);
    EXPECT_EQ(rec.ts_us, kTs);
    EXPECT_EQ(rec.user, "alice");
    EXPECT_EQ(rec.database, "shop");

    LogRecord bg;
    std::string checkpoint = "2026-12-07 02:10:11.123 UTC [99] LOG:  checkpoint starting: time";
    n = m.match(checkpoint, bg);
    ASSERT_NE(n, std::string::npos);
    EXPECT_EQ(bg.pid, 99);
    EXPECT_EQ(bg.user, "");
    EXPECT_EQ(checkpoint.substr(n), "LOG:  checkpoint starting: time");
}

TEST(PrefixMatcher, PgBadgerRecommended) {
    PrefixMatcher m;
    ASSERT_TRUE(m.compile("%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h "));
    LogRecord rec;
    std::string line =
        "2026-12-07 02:10:11 UTC [812]: [3-1] user=bob,db=blog,app=orm python,client=[local] "
        "LOG:  duration: 0.050 ms  statement: SELECT 2";
    size_t n = m.match(line, rec);
    ASSERT_NE(n, std::string::npos);
    EXPECT_EQ(rec.pid, 812);
    EXPECT_EQ(rec.ts_us, 1796609411000000);
    EXPECT_EQ(rec.user, "bob");
    EXPECT_EQ(rec.database, "blog");
    EXPECT_EQ(rec.application, "orm python");
    EXPECT_EQ(line.substr(n), "LOG:  duration: 0.050 ms  statement: SELECT 2");
}

TEST(PrefixMatcher, CustomEscapesPaddingAndPercent) {
    PrefixMatcher m;
    ASSERT_TRUE(m.compile("%n|%c|%-6p|%x|%v|%e|%r|%%|%u@%d: "));
    EXPECT_TRUE(m.logs_session_id());
    LogRecord rec;
    std::string line =
        "1796609411.123|6570f1a3.1267|4711  |0|3/7|00000|10.0.0.1(5432)|%|app@prod: ERROR:  x";
    size_t n = m.match(line, rec);
    ASSERT_NE(n, std::string::npos);
    EXPECT_EQ(rec.ts_us, kTs);
    EXPECT_EQ(rec.session_id, "6570f1a3.1267");
    EXPECT_EQ(rec.pid, 4711);
    EXPECT_EQ(rec.user, "app");
    EXPECT_EQ(rec.database, "prod");
    EXPECT_EQ(line.substr(n), "ERROR:  x");
    EXPECT_EQ(m.match("1796609411.123|zz|1|", rec), std::string::npos);
}

TEST(PrefixMatcher, RejectsUnknownEscapes) {
    PrefixMatcher m;
    std::string why;
    EXPECT_FALSE(m.compile("%m %z ", &why));
    EXPECT_EQ(why, "unknown log_line_prefix escape %z");
    EXPECT_FALSE(m.compile("%m %", &why));
}

TEST(StderrReader, DetectsPrefixJoinsContinuationsCountsMalformed) {
    std::string log =
        "2026-12-07 02:10:11.123 UTC [10] LOG:  database system is ready\n"
        "2026-12-07 02:10:11.123 UTC [4711] alice@shop LOG:  statement: SELECT *\n"
        "\t  FROM books\n"
        "\t WHERE id = 1\n"
        "this line is garbage\n"
        "2026-12-07 02:10:11.124 UTC [4711] alice@shop LOG:  execute <unnamed>: SELECT $1\n"
        "2026-12-07 02:10:11.124 UTC [4711] alice@shop DETAIL:  parameters: $1 = '5'\n";
    LineSource src = LineSource::from_memory(log);
    StderrReader r(src, "");
    EXPECT_EQ(r.prefix().source(), "%m [%p] %q%u@%d ");
    std::vector<std::string> msgs;
    auto recs = read_all(r, msgs);
    ASSERT_EQ(recs.size(), 4u);
    EXPECT_EQ(msgs[1], "statement: SELECT *\n  FROM books\n WHERE id = 1");
    EXPECT_EQ(msgs[2], "execute <unnamed>: SELECT $1");
    EXPECT_EQ(msgs[3], "parameters: $1 = '5'");
    EXPECT_EQ(r.skipped_lines(), 1u);
}

TEST(StderrReader, DetectsPgBadgerPrefix) {
    std::string log =
        "2026-12-07 02:10:11 UTC [812]: [1-1] user=bob,db=blog,app=psql,client=[local] LOG:  "
        "statement: SELECT 1\n";
    LineSource src = LineSource::from_memory(log);
    StderrReader r(src, "");
    EXPECT_EQ(r.prefix().source(), "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ");
    LogRecord rec;
    ASSERT_TRUE(r.next(rec));
    EXPECT_EQ(rec.user, "bob");
    EXPECT_EQ(rec.message, "statement: SELECT 1");
    EXPECT_FALSE(r.next(rec));
}

TEST(CsvReader, QuotedFieldsSpanLinesAndCarryDetail) {
    std::string log =
        "2026-12-07 02:10:11.123 UTC,\"alice\",\"shop\",4711,\"[local]\",6570f1a3.1267,3,"
        "\"SELECT\",2026-12-07 02:10:00 UTC,3/7,0,LOG,00000,\"execute <unnamed>: SELECT \"\"a\"\"\n"
        "FROM t WHERE id = $1\",\"parameters: $1 = '7'\",,,,,,,,\"psql\",\"client backend\",,0\n"
        "not,a,csv,line\n";
    LineSource src = LineSource::from_memory(log);
    CsvReader r(src);
    LogRecord rec;
    ASSERT_TRUE(r.next(rec));
    EXPECT_EQ(rec.ts_us, kTs);
    EXPECT_EQ(rec.user, "alice");
    EXPECT_EQ(rec.database, "shop");
    EXPECT_EQ(rec.pid, 4711);
    EXPECT_EQ(rec.session_id, "6570f1a3.1267");
    EXPECT_EQ(rec.severity, "LOG");
    EXPECT_EQ(rec.message, "execute <unnamed>: SELECT \"a\"\nFROM t WHERE id = $1");
    EXPECT_EQ(rec.detail, "parameters: $1 = '7'");
    EXPECT_EQ(rec.application, "psql");
    EXPECT_FALSE(r.next(rec));
    EXPECT_EQ(r.skipped_lines(), 1u);
}

TEST(JsonReader, UnescapesAndSkipsMalformed) {
    std::string log =
        "{\"timestamp\":\"2026-12-07 02:10:11.123 UTC\",\"user\":\"alice\",\"dbname\":\"shop\","
        "\"pid\":4711,\"session_id\":\"6570f1a3.1267\",\"error_severity\":\"LOG\","
        "\"message\":\"statement: SELECT 'caf\\u00e9'\\n  FROM t\",\"detail\":\"x\"}\n"
        "{\"timestamp\": broken\n";
    LineSource src = LineSource::from_memory(log);
    JsonReader r(src);
    LogRecord rec;
    ASSERT_TRUE(r.next(rec));
    EXPECT_EQ(rec.ts_us, kTs);
    EXPECT_EQ(rec.pid, 4711);
    EXPECT_EQ(rec.user, "alice");
    EXPECT_EQ(rec.message, "statement: SELECT 'caf\xc3\xa9'\n  FROM t");
    EXPECT_EQ(rec.detail, "x");
    EXPECT_FALSE(r.next(rec));
    EXPECT_EQ(r.skipped_lines(), 1u);
}

TEST(LineSource, ReadsGzipAndPlainFiles) {
    char path[] = "/tmp/log_tests_XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    gzFile gz = gzopen(path, "wb");
    gzputs(gz, "first line\r\nsecond line\nlast");
    gzclose(gz);
    LineSource src;
    ASSERT_TRUE(src.open(path));
    std::string_view line;
    std::vector<std::string> lines;
    while (src.next(line))
        lines.emplace_back(line);
    EXPECT_EQ(lines, (std::vector<std::string>{"first line", "second line", "last"}));
    FILE *f = std::fopen(path, "w");
    std::fputs("plain\n", f);
    std::fclose(f);
    LineSource plain;
    ASSERT_TRUE(plain.open(path));
    ASSERT_TRUE(plain.next(line));
    EXPECT_EQ(line, "plain");
    EXPECT_FALSE(plain.next(line));
    std::remove(path);
    LineSource missing;
    EXPECT_FALSE(missing.open("/nonexistent/pg.log"));
}

TEST(LineSource, TruncatesOverlongLines) {
    std::string big(LineSource::kMaxLine + 10, 'x');
    std::string text = big + "\nshort\n";
    LineSource src = LineSource::from_memory(text);
    std::string_view line;
    ASSERT_TRUE(src.next(line));
    EXPECT_EQ(line.size(), LineSource::kMaxLine);
    ASSERT_TRUE(src.next(line));
    EXPECT_EQ(line, "short");
    EXPECT_EQ(src.truncated_lines(), 1u);
}

TEST(GuessFormat, ByNameThenContent) {
    EXPECT_EQ(guess_format("pg.csv.gz", ""), LogFormat::Csv);
    EXPECT_EQ(guess_format("pg.json", ""), LogFormat::Json);
    EXPECT_EQ(guess_format("pg.log", "{\"timestamp\":1}"), LogFormat::Json);
    EXPECT_EQ(guess_format("pg.log", "2026-12-07 02:10:11.123 UTC,\"a\",\"b\",1"), LogFormat::Csv);
    EXPECT_EQ(guess_format("pg.log", "2026-12-07 02:10:11.123 UTC [1] LOG:  x, y"),
              LogFormat::Stderr);
}
