#include <gtest/gtest.h>

#include <string>

#include "core/report/json_reader.h"
#include "core/report/report.h"
#include "golden.h"
#include "json_schema_check.h"
#include "report_fixture.h"

using namespace pg_advisor;
using namespace pg_advisor::report;
using report::testing::Sample;

namespace {

JsonValue parse_or_fail(const std::string &text) {
    JsonValue v;
    std::string error;
    EXPECT_TRUE(parse_json(text, &v, &error)) << error;
    return v;
}

JsonValue schema() {
    std::string path = report::testing::source_dir() + "/../../../docs/report.schema.json";
    std::string text = report::testing::read_file(path);
    EXPECT_FALSE(text.empty()) << "cannot read " << path;
    return parse_or_fail(text);
}

std::string joined(const std::vector<std::string> &problems) {
    std::string out;
    for (const std::string &p : problems)
        out += p + "\n";
    return out;
}

const JsonValue &member(const JsonValue &v, const char *name) {
    static const JsonValue missing;
    const JsonValue *m = v.find(name);
    EXPECT_NE(m, nullptr) << "missing member " << name;
    return m ? *m : missing;
}

}  // namespace

TEST(ReportJson, SchemaUsesOnlyCheckedKeywords) {
    JsonValue s = schema();
    EXPECT_EQ(joined(report::testing::unsupported_keywords(s)), "");
    EXPECT_EQ(member(s, "$schema").text, "https://json-schema.org/draft/2020-12/schema");
}

TEST(ReportJson, SampleConformsToTheSchema) {
    Sample s;
    EXPECT_EQ(joined(report::testing::check_schema(parse_or_fail(render_json(s.input)), schema())),
              "");
}

TEST(ReportJson, EmptyCaptureAndAllClearConformToTheSchema) {
    Sample none, clear;
    report::testing::make_no_capture(none);
    report::testing::make_all_clear(clear);
    for (Sample *s : {&none, &clear})
        EXPECT_EQ(
            joined(report::testing::check_schema(parse_or_fail(render_json(s->input)), schema())),
            "");
    JsonValue v = parse_or_fail(render_json(none.input));
    EXPECT_FALSE(member(member(v, "capture"), "available").boolean);
    EXPECT_EQ(member(member(v, "capture"), "steps").items.size(), 4u);
    EXPECT_TRUE(member(v, "all_clear").boolean);
    EXPECT_TRUE(member(v, "history").is(JsonValue::Type::Null));
}

TEST(ReportJson, SchemaCheckCatchesAMissingOrUnknownMember) {
    Sample s;
    JsonValue v = parse_or_fail(render_json(s.input));
    JsonValue &first = v.members.back().second.items[0];  // findings[0]
    first.members.erase(first.members.begin());           // "number"
    first.members.emplace_back("surprise", JsonValue{});
    std::string problems = joined(report::testing::check_schema(v, schema()));
    EXPECT_NE(problems.find("$.findings[0]: required member \"number\" is missing"),
              std::string::npos)
        << problems;
    EXPECT_NE(problems.find("member \"surprise\" is not in the schema"), std::string::npos);
}

TEST(ReportJson, CarriesEveryFindingWithEveryField) {
    Sample s;
    JsonValue v = parse_or_fail(render_json(s.input));
    const JsonValue &findings = member(v, "findings");
    ASSERT_EQ(findings.items.size(), s.result.findings.size());
    for (size_t i = 0; i < findings.items.size(); i++) {
        const review::Finding &f = s.result.findings[i];
        const JsonValue &j = findings.items[i];
        EXPECT_EQ(member(j, "number").number(), static_cast<double>(i + 1));
        EXPECT_EQ(member(j, "finding_key").text, f.finding_key);
        EXPECT_EQ(member(j, "rule").text, f.rule);
        EXPECT_EQ(member(j, "category").text, review::category_name(f.category));
        EXPECT_EQ(member(j, "severity").text, review::severity_name(f.severity));
        EXPECT_EQ(member(j, "object_type").text, f.object_type);
        EXPECT_EQ(member(j, "object").text, f.object);
        EXPECT_EQ(member(j, "identity").text, f.identity);
        EXPECT_EQ(member(j, "title").text, f.title);
        EXPECT_EQ(to_json(member(j, "evidence")), [&] {
            JsonValue e;
            EXPECT_TRUE(parse_json(f.evidence.json(), &e));
            return to_json(e);
        }());
        EXPECT_EQ(member(j, "recommendation").text, f.recommendation);
        EXPECT_EQ(member(j, "fix_sql").text, f.fix_sql);
        EXPECT_EQ(member(j, "undo_sql").text, f.undo_sql);
        EXPECT_EQ(member(member(j, "impact"), "value").number(), f.impact);
        EXPECT_EQ(member(member(j, "impact"), "unit").text, f.impact_unit);
        ASSERT_EQ(member(j, "queryids").items.size(), f.queryids.size());
        for (size_t q = 0; q < f.queryids.size(); q++)
            EXPECT_EQ(member(j, "queryids").items[q].text,
                      std::to_string(static_cast<int64_t>(f.queryids[q])));
        EXPECT_EQ(member(j, "current_state").text, f.current_state);
        if (!f.why.empty()) {
            EXPECT_EQ(member(j, "why").text, f.why);
        }
        if (!f.verify.empty()) {
            EXPECT_EQ(member(j, "verify").text, f.verify);
        }
        if (!f.steps.empty()) {
            ASSERT_EQ(member(j, "steps").items.size(), f.steps.size());
            for (size_t k = 0; k < f.steps.size(); k++)
                EXPECT_EQ(member(j, "steps").items[k].text, f.steps[k]);
        }
        EXPECT_EQ(member(j, "query").text, f.query);
        ASSERT_EQ(member(j, "tags").items.size(), f.tags.size());
        for (size_t t = 0; t < f.tags.size(); t++) {
            EXPECT_EQ(member(member(j, "tags").items[t], "name").text, f.tags[t].first);
            EXPECT_EQ(member(member(j, "tags").items[t], "value").text, f.tags[t].second);
        }
        EXPECT_EQ(member(j, "orm_fix").text, f.orm_fix);
        EXPECT_EQ(member(j, "first_seen").text, "2025-01-12T10:00:00Z");
        EXPECT_EQ(member(j, "last_seen").text, "2025-01-15T10:00:00Z");
    }
}

TEST(ReportJson, SameContentAsTheMarkdown) {
    Sample s;
    JsonValue v = parse_or_fail(render_json(s.input));
    const JsonValue &loop = member(v, "findings").items[2];
    EXPECT_EQ(member(loop, "file").text,
              "database-review-2025-01-15/finding-003-n-plus-one-order-items.md");
    EXPECT_TRUE(member(loop, "is_new").boolean);
    EXPECT_EQ(member(member(loop, "queries"), "before").number(), 21);
    EXPECT_EQ(member(member(loop, "queries"), "after").number(), 2);
    EXPECT_EQ(member(loop, "framework").text, "django");
    EXPECT_EQ(member(member(v, "suppressed"), "count").number(), 1);
    EXPECT_EQ(member(v, "not_checked").items.size(), 2u);
    const JsonValue &history = member(v, "history");
    EXPECT_EQ(member(history, "resolved").items.size(), 1u);
    EXPECT_EQ(member(history, "not_rechecked").number(), 1);
    EXPECT_EQ(member(history, "previous_at").text, "2025-01-08T10:00:00Z");
    // The summary paragraph is the Markdown one, code between backticks.
    std::string md = render_markdown(s.input);
    std::string summary = member(v, "summary").text;
    EXPECT_NE(summary.find("This review of `shop` found 7 findings."), std::string::npos);
    EXPECT_NE(md.find("This review of `shop` found 7 findings."), std::string::npos);
    EXPECT_EQ(member(member(member(v, "overview"), "counts"), "critical").number(), 1);
}

TEST(ReportJson, MalformedEvidenceStillGivesValidJson) {
    Sample s;
    s.result.findings[0].evidence.add_json("broken", "{not json");
    JsonValue v = parse_or_fail(render_json(s.input));
    const JsonValue &evidence = member(member(v, "findings").items[0], "evidence");
    ASSERT_TRUE(evidence.find("unparsed"));
    EXPECT_NE(evidence.find("unparsed")->text.find("{not json"), std::string::npos);
}

TEST(ReportJson, HostileTextIsEscaped) {
    Sample s;
    s.result.findings[0].object = std::string("\"evil\"\n\x01\xff</script>");
    JsonValue v = parse_or_fail(render_json(s.input));
    EXPECT_EQ(member(member(v, "findings").items[0], "object").text,
              "\"evil\"\n\x01\xEF\xBF\xBD</script>");
}
