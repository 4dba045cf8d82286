// The three layouts of a built report model (report_model.h). report.cpp and export.cpp call
// them; nothing here decides wording.
#pragma once

#include <string>

#include "core/report/report_model.h"

namespace pg_advisor::report {

// How the Markdown summary links the findings: to in-page anchors (one document with every
// finding) or to the exported finding files (the summary file alone).
enum class Links { InPage, Files };

std::string markdown_summary(const Report &r, Links links);
std::string markdown_finding_file(const Report &r, const FindingView &v);
std::string json_report(const Report &r);
std::string html_report(const Report &r);

// Markdown spelling of report text (words escaped, code as code spans).
std::string md_rich(const Rich &text);
// HTML spelling of report text (escaped; code in <code>).
std::string html_rich(const Rich &text);

}  // namespace pg_advisor::report
