// A backend-local map from statement shape (statement_fingerprint.h) to the query id the server's
// jumble gave the first statement of that shape. Fixed size, no allocation: 4-way set
// associative, the oldest entry of a full set is replaced. The owner clears it whenever what the
// id depends on changes (catalog invalidations, search_path, the settings that change parsing):
// clearing is O(1) (entries carry the epoch they were stored in), so frequent invalidations
// (a temporary table per transaction) cost no sweep of the table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace pg_advisor {

template <size_t Sets>
class QueryIdCache {
    static_assert(Sets >= 4 && (Sets & (Sets - 1)) == 0, "Sets must be a power of two");

  public:
    static constexpr size_t kWays = 4;
    static constexpr size_t kCapacity = Sets * kWays;

    // The query id stored for shape since the last clear(), or 0.
    uint64_t find(uint64_t shape) const {
        const Set &s = sets_[index(shape)];
        for (size_t w = 0; w < kWays; w++)
            if (s.epoch[w] == epoch_ && s.shape[w] == shape) return s.queryid[w];
        return 0;
    }

    // Stores (or replaces) the id of shape; queryid must not be 0.
    void store(uint64_t shape, uint64_t queryid) {
        Set &s = sets_[index(shape)];
        size_t way = kWays;
        for (size_t w = 0; w < kWays; w++) {
            if (s.epoch[w] == epoch_ && s.shape[w] == shape) {
                s.queryid[w] = queryid;
                return;
            }
            if (way == kWays && s.epoch[w] != epoch_) way = w;  // free since the last clear
        }
        if (way == kWays) {
            way = s.next++ % kWays;
        } else {
            size_++;
        }
        s.shape[way] = shape;
        s.queryid[way] = queryid;
        s.epoch[way] = epoch_;
    }

    void clear() {
        if (++epoch_ == 0) {  // wrapped: entries of an old epoch could look current
            std::memset(static_cast<void *>(sets_), 0, sizeof sets_);
            epoch_ = 1;
        }
        size_ = 0;
    }

    size_t size() const { return size_; }

  private:
    struct Set {
        uint64_t shape[kWays];
        uint64_t queryid[kWays];
        uint32_t epoch[kWays];
        uint8_t next;
    };
    static size_t index(uint64_t shape) { return (shape ^ (shape >> 29)) & (Sets - 1); }

    Set sets_[Sets] = {};
    uint32_t epoch_ = 1;
    size_t size_ = 0;
};

}  // namespace pg_advisor
