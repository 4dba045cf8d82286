// A backend-local set of keys already present in a shared store, so that the per-statement
// path answers "is it stored?" with one probe of local memory instead of a shared lock and a
// shared hash lookup. Keys only ever become known after the store held them; the whole set is
// forgotten when the store's generation changes (an eviction or a reset removed entries).
// Fixed size, no allocation; a crowded set overwrites, which costs at most a repeated lookup.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace pg_advisor {

template <size_t Slots>
class KnownKeys {
    static_assert(Slots >= 16 && (Slots & (Slots - 1)) == 0, "Slots must be a power of two");

  public:
    static constexpr int kProbes = 8;

    // Whether key (any 64-bit hash; 0 is mapped to 1) is known under the store's generation.
    bool contains(uint64_t key, uint64_t generation) {
        if (generation != generation_) {
            std::memset(slots_, 0, sizeof slots_);
            generation_ = generation;
            return false;
        }
        key = key == 0 ? 1 : key;
        for (int i = 0; i < kProbes; i++) {
            uint64_t slot = slots_[(key + i) & (Slots - 1)];
            if (slot == key) return true;
            if (slot == 0) return false;
        }
        return false;
    }

    // Records key as stored under generation (call only after the store was seen to hold it).
    void add(uint64_t key, uint64_t generation) {
        if (generation != generation_) {
            std::memset(slots_, 0, sizeof slots_);
            generation_ = generation;
        }
        key = key == 0 ? 1 : key;
        for (int i = 0; i < kProbes; i++) {
            uint64_t &slot = slots_[(key + i) & (Slots - 1)];
            if (slot == 0 || slot == key) {
                slot = key;
                return;
            }
        }
        slots_[key & (Slots - 1)] = key;
    }

  private:
    uint64_t slots_[Slots] = {};
    uint64_t generation_ = UINT64_MAX;
};

}  // namespace pg_advisor
