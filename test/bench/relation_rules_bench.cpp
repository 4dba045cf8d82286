// The indexing and schema review rules over a synthetic catalog of 10,000 tables (30,000+
// indexes, 100,000 columns): the C++ side of a review at scale.
#include <benchmark/benchmark.h>

#include "../unit/review/synthetic_catalog.h"
#include "core/review/engine.h"

namespace {

using namespace pg_advisor;

void BM_RelationRules(benchmark::State &state) {
    catalog::CatalogSnapshot cat = review::synthetic::catalog_of(static_cast<int>(state.range(0)));
    review::Settings settings;
    workload::WorkloadSnapshot workload;
    review::ReviewInput in{cat, workload, settings};
    review::ReviewOptions options;
    options.now = cat.database.now;
    for (const review::RuleInfo &r : review::index_rules())
        options.only_rules.push_back(r.id);
    for (const review::RuleInfo &r : review::schema_rules())
        options.only_rules.push_back(r.id);
    size_t findings = 0;
    for (auto _ : state) {
        review::ReviewResult r = review::run_review(in, options);
        findings = r.findings.size();
        benchmark::DoNotOptimize(findings);
    }
    state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_RelationRules)->Arg(1000)->Arg(10000)->Arg(20000)->Unit(benchmark::kMillisecond);

}  // namespace
