#include "core/report/svg.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/common/text_format.h"
#include "core/report/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

namespace {

constexpr int kWidth = 720;
constexpr int kLabelRight = 290;  // labels end here (right-aligned)
constexpr int kBarLeft = 300;
constexpr int kBarMax = 330;
constexpr int kRow = 28;
constexpr int kBarHeight = 18;
constexpr int kPad = 8;

// The label cut to kMaxBarLabel characters (not bytes), one line.
std::string short_label(std::string_view label) {
    std::string text = clean_text(label), out;
    size_t chars = 0;
    for (size_t i = 0; i < text.size(); chars++) {
        if (chars == kMaxBarLabel - 1) return out + "…";
        size_t n = std::max<size_t>(1, common::utf8_sequence(text, i));
        std::string piece = text.substr(i, n);
        out += piece == "\n" || piece == "\t" ? " " : piece;
        i += n;
    }
    return out;
}

std::string row(const Bar &bar, int index, double max) {
    int y = kPad + index * kRow;
    int width = max > 0 ? static_cast<int>(bar.value / max * kBarMax + 0.5) : 0;
    if (bar.value > 0 && width < 2) width = 2;
    int text_y = y + kBarHeight - 4;
    std::string css = bar.css_class.empty() ? "bar" : "bar " + bar.css_class;
    return fmt::format(
        "<g class=\"row\"><title>{}</title>"
        "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>"
        "<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"></rect>"
        "<text class=\"value\" x=\"{}\" y=\"{}\">{}</text></g>\n",
        html_escape(bar.detail.empty() ? bar.label : bar.detail), kLabelRight, text_y,
        html_escape(short_label(bar.label)), html_escape(css), kBarLeft, y, width, kBarHeight,
        kBarLeft + width + 6, text_y, html_escape(bar.value_text));
}

}  // namespace

std::string svg_bar_chart(const BarChart &chart) {
    double max = 0;
    for (const Bar &b : chart.bars)
        max = std::max(max, b.value);
    int height = kPad * 2 + static_cast<int>(chart.bars.size()) * kRow;
    std::string id = html_escape(chart.id);
    std::string out = fmt::format(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{0}-title {0}-desc\" "
        "viewBox=\"0 0 {1} {2}\" width=\"{1}\" height=\"{2}\">\n"
        "<title id=\"{0}-title\">{3}</title>\n<desc id=\"{0}-desc\">{4}</desc>\n",
        id, kWidth, height, html_escape(chart.title), html_escape(chart.description));
    for (size_t i = 0; i < chart.bars.size(); i++)
        out += row(chart.bars[i], static_cast<int>(i), max);
    return out + "</svg>\n";
}

}  // namespace pg_advisor::report
