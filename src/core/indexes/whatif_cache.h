// Backend-local cache of what-if planner results, so that re-reading the recommendations (or
// explaining one) does not re-plan the workload. Keyed by a hash of (statement text, cost
// settings[, candidate index]); every entry depends on the relations the workload scans, and an
// invalidation of any of them (ANALYZE, DDL, a new index) drops every entry: costs of one
// statement can depend on every table it joins. Bounded: full means emptied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace pg_advisor {

struct CachedCost {
    double cost = 0;
    bool used = false;  // the plan uses the hypothetical index
    std::string error;  // planning failed: why
};

class WhatIfCache {
  public:
    explicit WhatIfCache(size_t max_entries = 200000) : max_entries_(max_entries) {}

    bool find(uint64_t key, CachedCost &out) const;
    void store(uint64_t key, CachedCost value);
    // The cached results depend on this relation.
    void depend_on(uint32_t relid);
    // Called from a relcache invalidation (relid 0: all relations). Never throws.
    void invalidate(uint32_t relid) noexcept;
    void clear() noexcept;

    size_t size() const { return entries_.size(); }
    uint64_t invalidations() const { return invalidations_; }

  private:
    size_t max_entries_;
    std::unordered_map<uint64_t, CachedCost> entries_;
    std::unordered_set<uint32_t> relations_;
    uint64_t invalidations_ = 0;
};

}  // namespace pg_advisor
