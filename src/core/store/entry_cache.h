// A backend-local map from a shared store's keys to its entries, each remembered with the
// store generation it was found in, so that the per-statement path reaches a known entry
// without the store's lock or a shared hash lookup. What it returns is only a hint: the caller
// checks, under the entry's own spinlock, that the generation has not changed since
// (FixedStore::insert, record_if_current in query_pattern.h), and looks the key up under the
// store's lock otherwise. Direct-mapped, fixed size, no allocation: a collision costs at most a
// repeated lookup.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace pg_advisor {

template <class Entry, size_t Slots>
class EntryCache {
    static_assert(Slots >= 16 && (Slots & (Slots - 1)) == 0, "Slots must be a power of two");
    using Key = decltype(Entry::key);

  public:
    // The entry remembered for key (hash: Entry::hash_key(key)) and its generation, or nullptr.
    Entry *find(const Key &key, uint64_t hash, uint64_t *generation) const {
        const Slot &s = slots_[hash & (Slots - 1)];
        if (s.entry == nullptr || s.hash != hash || std::memcmp(&s.key, &key, sizeof key) != 0)
            return nullptr;
        *generation = s.generation;
        return s.entry;
    }

    // Remembers where key was found (under the store's lock) in this generation.
    void put(const Key &key, uint64_t hash, Entry *entry, uint64_t generation) {
        Slot &s = slots_[hash & (Slots - 1)];
        s.key = key;
        s.hash = hash;
        s.entry = entry;
        s.generation = generation;
    }

  private:
    struct Slot {
        Key key;
        uint64_t hash;
        Entry *entry;
        uint64_t generation;
    };
    Slot slots_[Slots] = {};
};

}  // namespace pg_advisor
