#include "core/workload/sampling.h"

#include <gtest/gtest.h>

#include <cstdint>

using pg_advisor::sample_gap;

TEST(Sampling, GapIsGeometric) {
    EXPECT_EQ(sample_gap(1.0, 0.3), 0);  // every execution
    EXPECT_EQ(sample_gap(0.0, 0.3), INT32_MAX);
    EXPECT_EQ(sample_gap(0.5, 1.0), 0);   // u = 1: the very next one
    EXPECT_EQ(sample_gap(0.5, 0.5), 1);   // (1 - 0.5)^1 = 0.5
    EXPECT_EQ(sample_gap(0.5, 0.49), 1);  // between 0.25 and 0.5
    EXPECT_EQ(sample_gap(0.5, 0.25), 2);
    EXPECT_EQ(sample_gap(0.01, 1e-300), 68731);
    EXPECT_EQ(sample_gap(1e-9, 1e-300), INT32_MAX);  // capped
}

TEST(Sampling, EveryExecutionIsSampledAtTheRate) {
    // u over a fine uniform grid of (0, 1]: the share of sampled executions is the rate, and
    // P(gap >= k) = (1 - rate)^k for the first gaps.
    for (double rate : {0.01, 0.1, 0.5}) {
        const int n = 200000;
        double total_gap = 0;
        int at_least_three = 0;
        for (int i = 1; i <= n; i++) {
            int64_t gap = sample_gap(rate, static_cast<double>(i) / n);
            total_gap += static_cast<double>(gap);
            if (gap >= 3) at_least_three++;
        }
        double samples_per_execution = n / (total_gap + n);
        EXPECT_NEAR(samples_per_execution, rate, rate * 0.01) << rate;
        double expected = (1 - rate) * (1 - rate) * (1 - rate);
        EXPECT_NEAR(static_cast<double>(at_least_three) / n, expected, 1e-4) << rate;
    }
}
