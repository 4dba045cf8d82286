// Per-statement cost of the capture path's pure C++ parts: the session tracker plus the loop
// detector (target: under 300 ns per statement, no allocation once warm), and tag extraction.
// Run: build/core_bench   (CMake target core_bench)
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "core/loops/n_plus_one_detector.h"
#include "core/sql/query_tags.h"
#include "core/workload/scan_shape.h"
#include "core/workload/session_tracker.h"

using namespace pg_advisor;

// Every heap allocation in the process is counted; the benchmarks report allocations
// measured over the timed loop. (Replacing the global operators pairs malloc with free; GCC's
// mismatch warning does not know that.)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
static std::atomic<uint64_t> g_allocations{0};
void *operator new(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void *p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void *p) noexcept {
    std::free(p);
}
void operator delete(void *p, std::size_t) noexcept {
    std::free(p);
}

namespace {

ShapeFacts no_facts(void *, uint64_t) {
    return {};
}

// A request-shaped stream: a list query, a child lookup per row (an N+1 found after 5), a few
// other statements; 40 requests, each with its own request tags, back to back.
std::vector<StatementEvent> workload() {
    std::vector<StatementEvent> events;
    int64_t now = 1'000'000;
    for (uint64_t request = 1; request <= 40; request++) {
        auto add = [&](uint64_t queryid, uint64_t param, uint64_t rows, CommandKind cmd) {
            StatementEvent ev{};
            ev.queryid = queryid;
            ev.param_fp = param * 0x9e3779b97f4a7c15ULL + request;
            ev.rows = rows;
            ev.elapsed_ns = 40'000;
            ev.start_us = now;
            now += 60;
            ev.end_us = now;
            ev.command = static_cast<uint8_t>(cmd);
            ev.relid = 16384 + static_cast<uint32_t>(queryid % 7);
            ev.request_key = 0x5151 + request;
            ev.tags_fp = 0x7777 + request;
            events.push_back(ev);
        };
        add(100, 1, 20, CommandKind::Select);        // session user
        add(200, request, 20, CommandKind::Select);  // the list
        for (uint64_t i = 0; i < 20; i++)
            add(300, i, 3, CommandKind::Select);    // the N+1
        add(400, request, 1, CommandKind::Update);  // last_seen update
        add(500, request, 1, CommandKind::Insert);  // audit row
    }
    return events;
}

void BM_TrackerAndDetector(benchmark::State &state) {
    std::vector<StatementEvent> events = workload();
    // Static like in the backend: constructed once, warm after the first pass.
    static SessionTracker tracker;
    static LoopDetector detector;
    LoopVerdict out[LoopDetector::kMaxVerdicts];
    for (const auto &ev : events)
        detector.observe(tracker.record(ev), out, no_facts, nullptr);
    uint64_t before = g_allocations.load();
    uint64_t verdicts = 0;
    for (auto _ : state) {
        for (const auto &ev : events) {
            const StatementEvent &stored = tracker.record(ev);
            verdicts += detector.observe(stored, out, no_facts, nullptr);
            tracker.transaction_ended();
        }
    }
    uint64_t allocations = g_allocations.load() - before;
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(events.size()));
    state.counters["ns_per_statement"] =
        benchmark::Counter(static_cast<double>(state.iterations() * events.size()),
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["allocations"] = static_cast<double>(allocations);
    state.counters["verdicts_per_pass"] =
        static_cast<double>(verdicts) / static_cast<double>(state.iterations());
    benchmark::DoNotOptimize(verdicts);
}
BENCHMARK(BM_TrackerAndDetector);

// One statement repeated back to back with varying keys and nothing before it (pgbench's
// select-only script, a batch job): no loop, judged once and then skipped.
void BM_RepeatedStatement(benchmark::State &state) {
    static SessionTracker tracker;
    static LoopDetector detector;
    LoopVerdict out[LoopDetector::kMaxVerdicts];
    StatementEvent ev{};
    ev.queryid = 777;
    ev.rows = 1;
    ev.elapsed_ns = 20'000;
    ev.command = static_cast<uint8_t>(CommandKind::Select);
    ev.relid = 16390;
    int64_t now = 1'000'000;
    uint64_t verdicts = 0, key = 1;
    uint64_t before = g_allocations.load();
    for (auto _ : state) {
        ev.param_fp = key++ * 0x9e3779b97f4a7c15ULL;
        ev.start_us = now;
        now += 30;
        ev.end_us = now;
        verdicts += detector.observe(tracker.record(ev), out, no_facts, nullptr);
        tracker.transaction_ended();
    }
    state.counters["allocations"] = static_cast<double>(g_allocations.load() - before);
    state.counters["verdicts"] = static_cast<double>(verdicts);
    benchmark::DoNotOptimize(verdicts);
}
BENCHMARK(BM_RepeatedStatement);

void BM_ExtractTags(benchmark::State &state) {
    const std::string with_tags =
        "SELECT \"blog_comment\".\"id\", \"blog_comment\".\"body\" FROM \"blog_comment\" WHERE "
        "\"blog_comment\".\"post_id\" = 42 /*controller='post_list',framework='django%3A4.2.11',"
        "route='%5Eposts/"
        "%24',traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'*/";
    const std::string without = "SELECT abalance FROM pgbench_accounts WHERE aid = 48213;";
    const std::string &sql = state.range(0) ? with_tags : without;
    QueryTags tags;
    uint64_t before = g_allocations.load();
    for (auto _ : state) {
        bool found = extract_statement_tags(sql, 0, sql.size(), tags);
        benchmark::DoNotOptimize(found);
        benchmark::DoNotOptimize(parse_traceparent(tags.find("traceparent")));
        benchmark::DoNotOptimize(request_key(tags));
    }
    state.counters["allocations"] = static_cast<double>(g_allocations.load() - before);
    state.SetLabel(state.range(0) ? "sqlcommenter comment" : "no comment");
}
BENCHMARK(BM_ExtractTags)->Arg(0)->Arg(1);

}  // namespace
