// Sampling executions with a probability, one random draw per sample instead of one per
// execution: the number of executions skipped before the next sample is drawn from the
// geometric distribution (the gaps between a biased coin's successes), which makes every
// execution a sample with the same probability, independently of the others.
#pragma once

#include <cmath>
#include <cstdint>

namespace pg_advisor {

// Executions to skip before the next sample, at this rate, from u uniform in (0, 1]:
// P(gap >= k) = (1 - rate)^k. 0 for rates of 1 and above; capped at 2^31 - 1.
inline int64_t sample_gap(double rate, double u) {
    if (rate >= 1.0) return 0;
    if (rate <= 0.0 || u <= 0.0) return INT32_MAX;
    double gap = std::floor(std::log(u) / std::log1p(-rate));
    return gap >= static_cast<double>(INT32_MAX) ? INT32_MAX : static_cast<int64_t>(gap);
}

}  // namespace pg_advisor
