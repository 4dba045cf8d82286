// A small fixed review for the report tests and the sample program, over real registry rules:
// findings of every severity but info and of every area (a transaction ID wraparound, an N+1
// loop with its ORM fix, a write loop, an index with cost before and after, a security finding,
// a foreign key, a schema finding), a suppressed finding, a check that passed, one that was
// skipped and one turned off, a previous snapshot and the top statements. No gtest here: the
// sample program (report_sample) links it too.
#pragma once

#include "core/report/report.h"
#include "core/review/engine.h"

namespace pg_advisor::report::testing {

struct Sample {
    Sample();
    Sample(const Sample &) = delete;
    Sample &operator=(const Sample &) = delete;

    review::ReviewResult result;
    ReportInput input{result};
};

// No findings: every check ran and passed; no previous snapshot.
void make_all_clear(Sample &s);
// Nothing captured: the workload checks were skipped, the schema checks passed.
void make_no_capture(Sample &s);
// The outcome (ran) of a registry rule; throws std::logic_error for an unknown id.
review::RuleOutcome ran(const char *id);

}  // namespace pg_advisor::report::testing
