#include "core/indexes/whatif_cache.h"

#include "core/common/no_postgres.h"

namespace pg_advisor {

bool WhatIfCache::find(uint64_t key, CachedCost &out) const {
    auto it = entries_.find(key);
    if (it == entries_.end()) return false;
    out = it->second;
    return true;
}

void WhatIfCache::store(uint64_t key, CachedCost value) {
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[key] = std::move(value);
}

void WhatIfCache::depend_on(uint32_t relid) {
    relations_.insert(relid);
}

void WhatIfCache::invalidate(uint32_t relid) noexcept {
    if (entries_.empty()) return;
    if (relid != 0 && relations_.find(relid) == relations_.end()) return;
    entries_.clear();  // the dependencies stay: later runs scan the same relations
    invalidations_++;
}

void WhatIfCache::clear() noexcept {
    entries_.clear();
    relations_.clear();
}

}  // namespace pg_advisor
