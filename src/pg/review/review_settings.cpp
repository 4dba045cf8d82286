// The review's settings (see review_settings.h).
#include <cstdlib>
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

// One value per registry threshold, in all_thresholds() order.
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

// Every name is a rule id; an unknown one is refused.
static bool check_disabled_rules(char **newval, void **extra, GucSource source) {
    for (const std::string &id : split_ids(*newval))
        if (pg_advisor::review::find_rule(id) == nullptr) {
            GUC_check_errdetail("\"%s\" is not a review rule; advisor.rules lists them.",
                                id.c_str());
            return false;
        }
    return true;
}

void pga_define_review_gucs(void) {
    std::vector<const Threshold *> all = pg_advisor::review::all_thresholds();
    nthresholds = static_cast<int>(all.size());
    threshold_values = static_cast<double *>(
        MemoryContextAllocZero(TopMemoryContext, sizeof(double) * (nthresholds + 1)));
    for (int i = 0; i < nthresholds; i++) {
        const Threshold *t = all[i];
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
    std::vector<const Threshold *> all = pg_advisor::review::all_thresholds();
    for (int i = 0; i < nthresholds && i < static_cast<int>(all.size()); i++)
        settings->set(all[i]->name, threshold_values[i]);
    *disabled = split_ids(pga_disabled_rules);
}
