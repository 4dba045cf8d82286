// The HTML report's style sheet: system fonts only, nothing loaded from anywhere, readable on
// screen and on paper.
#include "core/report/html_parts.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

const char *const kHtmlStyle = R"css(
:root { color-scheme: light; }
body { margin: 0; color: #1f2328; background: #fff; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 1.9rem; margin: 0 0 1rem; }
h2 { font-size: 1.4rem; margin-top: 2.4rem; padding-bottom: .3rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.15rem; margin: .2rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1.1rem 0 .3rem; }
a { color: #0550ae; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .35rem .6rem; text-align: left; vertical-align: top; }
thead th, tbody th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: .9em; }
code { background: #f6f8fa; padding: .1em .3em; border-radius: 4px; overflow-wrap: break-word; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .7rem .9rem;
  white-space: pre-wrap; overflow-wrap: break-word; }
pre code { background: none; padding: 0; }
.summary { font-size: 1.05rem; }
.notice { border-left: 4px solid #9a6700; background: #fff8c5; padding: .6rem 1rem; }
.sev { display: inline-block; min-width: 4.2em; text-align: center; padding: 0 .5em;
  border-radius: 1em; font-size: .8em; font-weight: 600; color: #fff; }
.sev-critical { background: #a40e26; } .sev-high { background: #bc4c00; }
.sev-medium { background: #7d4e00; } .sev-low { background: #0969da; } .sev-info { background: #57606a; }
.new { font-size: .8em; font-weight: 600; color: #1a7f37; border: 1px solid #1a7f37;
  border-radius: 1em; padding: 0 .5em; }
.meta { color: #57606a; }
.finding { border: 1px solid #d0d7de; border-radius: 8px; padding: .8rem 1.2rem 1rem; margin: 1.4rem 0; }
figure { margin: .8rem 0; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
svg.chart { display: block; max-width: 100%; height: auto; font-size: 14px; }
svg.chart text { fill: #1f2328; }
svg.chart .value { fill: #57606a; }
svg.chart rect.bar { fill: #0969da; }
svg.chart rect.sev-critical { fill: #a40e26; } svg.chart rect.sev-high { fill: #bc4c00; }
svg.chart rect.sev-medium { fill: #9a6700; } svg.chart rect.sev-low { fill: #0969da; }
svg.chart rect.sev-info { fill: #8c959f; } svg.chart rect.statement { fill: #8250df; }
svg.chart rect.loop { fill: #bf3989; }
@media print {
  main { max-width: none; padding: 0; }
  h2, h3, h4 { break-after: avoid; }
  figure, tr, pre { break-inside: avoid; }
  .finding { border: none; padding: 0; border-top: 1px solid #8c959f; border-radius: 0; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

}  // namespace pg_advisor::report
