// Inline SVG horizontal bar charts for the HTML report: accessible (role="img", <title> and
// <desc> referenced by aria-labelledby), every text escaped, nothing external.
#pragma once

#include <string>
#include <vector>

namespace pg_advisor::report {

struct Bar {
    std::string label;       // shown left of the bar (shortened when long)
    std::string detail;      // tooltip (<title>) of the row; the label when empty
    double value = 0;        // bar length relative to the largest value
    std::string value_text;  // shown right of the bar
    std::string css_class;   // extra class of the bar, e.g. "sev-critical"
};

struct BarChart {
    std::string id;           // unique in the page: ids "<id>-title" and "<id>-desc"
    std::string title;        // the chart's accessible name
    std::string description;  // the data in words
    std::vector<Bar> bars;    // one <rect class="bar ..."> each, in order
};

// Labels longer than this many characters are cut with an ellipsis.
constexpr size_t kMaxBarLabel = 32;

std::string svg_bar_chart(const BarChart &chart);

}  // namespace pg_advisor::report
