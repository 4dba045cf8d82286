#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/report/report.h"
#include "core/report/svg.h"
#include "report_fixture.h"

using namespace pg_advisor;
using namespace pg_advisor::report;
using report::testing::Sample;

namespace {

size_t count(const std::string &text, const std::string &part) {
    size_t n = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        n++;
    return n;
}

std::string lower(std::string s) {
    for (char &c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// The <svg> element whose title has this id prefix.
std::string chart(const std::string &html, const std::string &id) {
    size_t title = html.find("<title id=\"" + id + "-title\">");
    if (title == std::string::npos) return "";
    size_t start = html.rfind("<svg", title);
    size_t end = html.find("</svg>", title);
    return html.substr(start, end - start);
}

void expect_self_contained(const std::string &html) {
    std::string l = lower(html);
    for (const char *bad : {"src=", "href=\"http", "href='http", "<script", "@import", "url(",
                            "<link", "<iframe", "<img", "<object", "<embed", "javascript:"})
        EXPECT_EQ(l.find(bad), std::string::npos) << "found " << bad;
}

}  // namespace

TEST(ReportHtml, SelfContained) {
    Sample s;
    std::string html = render_html(s.input);
    EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
    EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
    EXPECT_NE(html.find("<style>"), std::string::npos);
    expect_self_contained(html);
}

TEST(ReportHtml, EscapesHostileTextFromTheDatabase) {
    Sample s;
    review::Finding &f = s.result.findings[0];
    f.object = "\"public\".\"<script>alert(1)</script>\"";
    f.title = "Table <img src=x onerror=alert(1)> is exposed";
    f.tags = {{"controller", "\" onmouseover=\"alert(1)"}, {"route", "<a href=\"http://evil\">"}};
    f.query = "SELECT '</code></pre><script>x</script>'";
    s.input.database = "<b>shop</b>";
    s.input.top_statements[0].query = "SELECT '<script>' /* <link href='http://x'> */";
    std::string html = render_html(s.input);
    // Markup only: the hostile texts themselves still read "src=" once escaped.
    for (const char *bad : {"<script", "<img", "<link", "href=\"http", "href='http"})
        EXPECT_EQ(html.find(bad), std::string::npos) << bad;
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("<b>shop"), std::string::npos);
    EXPECT_EQ(html.find("\" onmouseover"), std::string::npos);
    EXPECT_NE(html.find("&quot;public&quot;.&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;"),
              std::string::npos);
    EXPECT_NE(html.find("Table &lt;img src=x onerror=alert(1)&gt; is exposed"), std::string::npos);
    EXPECT_NE(html.find("&lt;b&gt;shop&lt;/b&gt;"), std::string::npos);
}

TEST(ReportHtml, OneAccessibleSvgPerChartWithTheRightBars) {
    Sample s;
    std::string html = render_html(s.input);
    EXPECT_EQ(count(html, "<svg"), 4u);
    EXPECT_EQ(count(html, "role=\"img\""), 4u);
    struct Expect {
        const char *id;
        size_t bars;
    } charts[] = {
        {"chart-severity", 5}, {"chart-area", 5}, {"chart-statements", 3}, {"chart-loops", 2}};
    for (const Expect &e : charts) {
        std::string svg = chart(html, e.id);
        ASSERT_FALSE(svg.empty()) << e.id;
        EXPECT_EQ(count(svg, "<rect class=\"bar"), e.bars) << e.id;
        EXPECT_NE(svg.find("aria-labelledby=\"" + std::string(e.id) + "-title " + e.id + "-desc\""),
                  std::string::npos);
        EXPECT_NE(svg.find("<desc id=\"" + std::string(e.id) + "-desc\">"), std::string::npos);
    }
    // Bars are as long as their values: the largest is the full width, the empty one zero.
    std::string severity = chart(html, "chart-severity");
    EXPECT_NE(severity.find("class=\"bar sev-high\" x=\"300\" y=\"36\" width=\"330\""),
              std::string::npos)
        << severity;
    EXPECT_NE(severity.find("class=\"bar sev-info\" x=\"300\" y=\"120\" width=\"0\""),
              std::string::npos);
    std::string loops = chart(html, "chart-loops");
    EXPECT_NE(loops.find("<text class=\"value\" x=\"636\" y=\"22\">5.2 s</text>"),
              std::string::npos)
        << loops;
}

TEST(ReportHtml, ChartsWithoutDataAreSaidInWords) {
    Sample s;
    report::testing::make_no_capture(s);
    std::string html = render_html(s.input);
    EXPECT_EQ(count(html, "<svg"), 2u);
    EXPECT_NE(html.find("No statement timings were captured."), std::string::npos);
    EXPECT_NE(html.find("No N+1 or write loop with measured time."), std::string::npos);
}

TEST(ReportHtml, SameSectionsAsTheMarkdownWithHeadingsAndTableHeaders) {
    Sample s;
    std::string html = render_html(s.input);
    for (const char *h : {">Overview</h2>", ">Summary</h2>", ">Findings by category</h2>",
                          ">Prioritised action items</h2>", ">Changes since the last review</h2>",
                          ">Good patterns found</h2>", ">Success metrics</h2>", ">Not checked</h2>",
                          ">Suppressed</h2>", ">Findings</h2>"})
        EXPECT_NE(html.find(h), std::string::npos) << h;
    EXPECT_EQ(count(html, "<article class=\"finding\""), s.result.findings.size());
    EXPECT_NE(html.find("<th scope=\"col\">Area</th>"), std::string::npos);
    EXPECT_NE(html.find("<a href=\"#finding-003-n-plus-one-order-items\">"), std::string::npos);
    EXPECT_NE(html.find("id=\"finding-003-n-plus-one-order-items\""), std::string::npos);
    EXPECT_NE(html.find("@media print"), std::string::npos);
}

TEST(ReportHtml, LongLabelsAreShortenedByCharacters) {
    BarChart c{"c", "t", "d", {{std::string(50, 'x') + "é", "", 1, "1", ""}}};
    std::string svg = svg_bar_chart(c);
    EXPECT_NE(svg.find(">" + std::string(kMaxBarLabel - 1, 'x') + "…</text>"), std::string::npos);
    BarChart accents{"c", "t", "d", {{std::string(20, 'x') + "ééé", "", 1, "1", ""}}};
    EXPECT_NE(svg_bar_chart(accents).find(std::string(20, 'x') + "ééé</text>"), std::string::npos);
}
