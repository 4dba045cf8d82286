// Pieces of the HTML report (html.cpp lays out the page).
#pragma once

#include <string>

#include "core/report/render.h"
#include "core/report/svg.h"

namespace pg_advisor::report {

// The page's inline style sheet (screen and print).
extern const char *const kHtmlStyle;

// <span class="sev sev-high">high</span>
std::string html_severity(review::Severity s);
// A block of code: <pre><code class="language-sql">...</code></pre>.
std::string html_pre(std::string_view code, std::string_view language = "");
// One finding as an <article> with its anchor as id.
std::string html_finding(const FindingView &v);

// Chart data. One bar per severity, one per area; the top statements (at most 10) and the
// loops with a time impact (at most 10) have no chart when they have no bars.
BarChart severity_chart(const Report &r);
BarChart area_chart(const Report &r);
BarChart statements_chart(const Report &r);
BarChart loops_chart(const Report &r);
constexpr size_t kMaxChartBars = 10;

}  // namespace pg_advisor::report
