// The review's settings (see review_settings.h).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <string>
#include <vector>

#include "core/review/registry.h"

extern "C" {
#include "postgres.h"

#include "utils/guc.h"
#include "utils/memutils.h"
}

#include "pg/compat.h"
#include "pg/review/review_settings.h"

using pg_advisor::review::Threshold;

char *pga_disabled_rules = NULL;
char *pga_export_directory = NULL;
int pga_snapshot_retention = 90;

// The registry's thresholds and one value each, in all_thresholds() order (copied once, so
// that no C++ container is alive while PostgreSQL defines the settings).
static constexpr int kMaxThresholds = 512;
static const Threshold *thresholds[kMaxThresholds];
static double *threshold_values = NULL;
static int nthresholds = 0;

// The ids of a comma-separated list, trimmed.
static std::vector<std::string> split_ids(const char *text) {
    std::vector<std::string> ids;
    std::string list(text ? text : "");
    size_t start = 0;
    while (start <= list.size()) {
        size_t comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        std::string id = list.substr(start, comma - start);
        size_t b = id.find_first_not_of(" \t"), e = id.find_last_not_of(" \t");
        if (b != std::string::npos) ids.push_back(id.substr(b, e - b + 1));
        start = comma + 1;
    }
    return ids;
}

// The first name of a comma-separated list that is not a rule id, copied into `unknown`;
// false when there is none. No C++ object outlives it and nothing escapes it: PostgreSQL calls
// the check hook below, in the postmaster too.
static bool find_unknown_rule(const char *list, char *unknown, size_t size) {
    try {
        const char *p = list ? list : "";
        while (*p != '\0') {
            while (*p == ' ' || *p == '\t' || *p == ',')
                p++;
            const char *start = p;
            while (*p != '\0' && *p != ',')
                p++;
            const char *end = p;
            while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
                end--;
            std::string_view id(start, static_cast<size_t>(end - start));
            if (!id.empty() && pg_advisor::review::find_rule(id) == nullptr) {
                snprintf(unknown, size, "%.*s", static_cast<int>(id.size()), id.data());
                return true;
            }
        }
        return false;
    } catch (...) {
        snprintf(unknown, size, "(the rule registry could not be read)");
        return true;
    }
}

// Every name is a rule id; an unknown one is refused.
static bool check_disabled_rules(char **newval, void **extra, GucSource source) {
    char unknown[128];
    if (!find_unknown_rule(*newval, unknown, sizeof unknown)) return true;
    GUC_check_errdetail("\"%s\" is not a review rule; advisor.rules lists them.", unknown);
    return false;
}

void pga_define_review_gucs(void) {
    {
        std::vector<const Threshold *> all = pg_advisor::review::all_thresholds();
        if (all.size() > static_cast<size_t>(kMaxThresholds)) std::abort();  // raise kMaxThresholds
        nthresholds = static_cast<int>(all.size());
        std::copy(all.begin(), all.end(), thresholds);
    }
    threshold_values = static_cast<double *>(
        MemoryContextAllocZero(TopMemoryContext, sizeof(double) * (nthresholds + 1)));
    for (int i = 0; i < nthresholds; i++) {
        const Threshold *t = thresholds[i];
        char *name = MemoryContextStrdup(TopMemoryContext, psprintf("pg_advisor.%s", t->name));
        DefineCustomRealVariable(name, t->description, NULL, &threshold_values[i], t->default_value,
                                 t->min_value, t->max_value, PGC_USERSET, 0, NULL, NULL, NULL);
    }
    DefineCustomStringVariable(
        "pg_advisor.disabled_rules",
        "Review rules that do not run (comma-separated rule ids, as in advisor.rules).", NULL,
        &pga_disabled_rules, "", PGC_USERSET, GUC_LIST_INPUT, check_disabled_rules, NULL, NULL);
    DefineCustomStringVariable(
        "pg_advisor.export_directory",
        "The only directory (and its subdirectories) advisor.export_report() writes to; empty: "
        "export refused.",
        NULL, &pga_export_directory, "", PGC_SIGHUP, GUC_SUPERUSER_ONLY, NULL, NULL, NULL);
    DefineCustomIntVariable("pg_advisor.snapshot_retention",
                            "Review snapshots advisor.snapshot() keeps; older ones are deleted.",
                            NULL, &pga_snapshot_retention, 90, 1, 100000, PGC_SUSET, 0, NULL, NULL,
                            NULL);
}

void pga_review_settings(pg_advisor::review::Settings *settings,
                         std::vector<std::string> *disabled) {
    for (int i = 0; i < nthresholds; i++)
        settings->set(thresholds[i]->name, threshold_values[i]);
    *disabled = split_ids(pga_disabled_rules);
}
