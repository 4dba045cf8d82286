#include "core/review/rules/usage_window.h"

#include <cstdio>

#include "core/review/rules/table_facts.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review {

namespace {

constexpr double kMicrosPerDay = 86400.0 * 1e6;

std::string days_text(double days) {
    char buf[32];
    std::snprintf(buf, sizeof buf, days < 10 ? "%.1f" : "%.0f", days);
    return buf;
}

}  // namespace

std::string UsageWindow::describe() const {
    if (days < 0) return "an unknown time (the snapshot has no statistics start)";
    return days_text(days) + " days (" +
           (since_reset ? "since the statistics reset of "
                        : "at least: since the server start of ") +
           facts::human_time(start) + ")";
}

UsageWindow usage_window(const catalog::Database &db) {
    UsageWindow w;
    w.since_reset = db.stats_reset > 0;
    w.start = w.since_reset ? db.stats_reset : db.postmaster_start;
    if (w.start > 0 && db.now >= w.start)
        w.days = static_cast<double>(db.now - w.start) / kMicrosPerDay;
    return w;
}

bool require_usage_window(RuleContext &cx, const char *threshold_name, UsageWindow *out) {
    *out = usage_window(cx.catalog().database);
    double need = cx.threshold(threshold_name);
    if (out->days >= 0 && out->days >= need) return true;
    cx.skip("the usage statistics cover " + out->describe() + "; this rule needs " +
            days_text(need) + " days (" + threshold_name +
            ") before counters of zero mean \"unused\"");
    return false;
}

}  // namespace pg_advisor::review
