// A fixed-capacity hash table plus a blob arena, laid out in one caller-provided block of
// memory using offsets only (no pointers). The block can therefore live in PostgreSQL shared
// memory (mapped at different addresses in different processes), be snapshotted, and be saved.
//
// Locking contract, kept by the caller (src/pg):
//   - find(), counters updated through shared_atomic.h, snapshot():  shared lock
//   - insert(), evict(), reset(), restore():                          exclusive lock
//   - an entry with a spinlock (`uint32_t lock`) may also be updated under that spinlock
//     alone, by code that found it in the current generation (see insert()).
// Nothing here allocates, throws or sleeps, so it is safe to run while holding an LWLock.
//
// Entry requirements: trivially copyable; members `Key key` and `uint64_t usage` (decayed use
// count, updated atomically); `static uint64_t hash_key(const Key &)`; and
// `void snapshot_to(Entry &dst) const` copying itself while writers may be active.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "core/common/shared_atomic.h"

namespace pg_advisor {

struct StoreStats {
    uint64_t evictions = 0;    // entries removed to make room
    uint64_t compactions = 0;  // arena compactions
    uint64_t rejected = 0;     // inserts that failed even after eviction
    uint64_t generation = 0;   // changes whenever entries disappear (evict / reset)
    int64_t reset_time = 0;    // caller-supplied timestamp of the last reset
};

// Entries with a `uint32_t lock` member (a SpinGuard word).
template <class Entry, class = void>
struct HasSpinlock : std::false_type {};
template <class Entry>
struct HasSpinlock<Entry, std::void_t<decltype(Entry::lock)>> : std::true_type {};

template <class Entry>
class FixedStore {
    static_assert(std::is_trivially_copyable<Entry>::value, "entries are copied with memcpy");
    using Key = decltype(Entry::key);

  public:
    static constexpr uint32_t kMagic = 0x50414456;  // "PADV"

    struct Header {
        uint32_t magic;
        uint32_t entry_size;
        uint32_t capacity;
        uint32_t nbuckets;
        uint32_t count;
        int32_t free_head;
        uint64_t arena_size;
        uint64_t arena_used;
        uint64_t median_usage;
        int64_t last_decay;  // caller's clock (microseconds) at the last usage decay
        StoreStats stats;
    };
    struct Slot {
        uint64_t hash;
        int32_t next;  // chain (in use) or free list (free)
        uint32_t in_use;
        uint64_t blob_off;  // offset into the arena of the blob's payload
        uint32_t blob_len;
        uint32_t pad;
        Entry entry;
    };
    // Every blob in the arena is preceded by this, so compaction can walk the arena.
    struct BlobHeader {
        uint32_t slot;
        uint32_t len;
    };
    struct Rank {
        uint64_t usage;
        uint32_t slot;
        uint32_t pad;
    };

    static constexpr uint64_t kUsagePerCall = 1000;
    // Usage decays at most once per this interval of the caller's clock (microseconds), so a
    // burst of one-off entries cannot wear down entries that earned their usage over time.
    static constexpr int64_t kDecayIntervalUs = 1000000;

    static uint32_t buckets_for(uint32_t capacity) {
        uint32_t n = 16;
        while (n < capacity + capacity / 2)
            n <<= 1;
        return n;
    }
    static size_t align8(size_t n) { return (n + 7) & ~size_t{7}; }
    static size_t required_size(uint32_t capacity, uint64_t arena_bytes) {
        return align8(sizeof(Header)) + align8(sizeof(int32_t) * buckets_for(capacity)) +
               align8(sizeof(Slot) * capacity) + align8(sizeof(Rank) * capacity) +
               align8(arena_bytes);
    }

    FixedStore() = default;
    explicit FixedStore(void *mem) : base_(static_cast<char *>(mem)) {}

    // Formats a block of required_size(capacity, arena_bytes) bytes.
    static FixedStore format(void *mem, uint32_t capacity, uint64_t arena_bytes) {
        FixedStore s(mem);
        Header &h = s.header();
        h = Header{};
        h.magic = kMagic;
        h.entry_size = sizeof(Entry);
        h.capacity = capacity;
        h.nbuckets = buckets_for(capacity);
        h.arena_size = align8(arena_bytes);
        s.clear_entries();
        return s;
    }

    bool valid() const {
        return base_ && header().magic == kMagic && header().entry_size == sizeof(Entry);
    }
    uint32_t capacity() const { return header().capacity; }
    uint32_t count() const { return header().count; }
    uint64_t arena_size() const { return header().arena_size; }
    uint64_t arena_used() const { return header().arena_used; }
    const StoreStats &stats() const { return header().stats; }
    uint64_t generation() const { return atomic_load(header().stats.generation); }
    // The generation's word, for code that checks it without the store's lock (see insert()).
    const uint64_t &generation_word() const { return header().stats.generation; }

    Entry *find(const Key &key) const {
        uint64_t h = Entry::hash_key(key);
        for (int32_t i = buckets()[h & (header().nbuckets - 1)]; i >= 0; i = slots()[i].next) {
            Slot &s = slots()[i];
            if (s.hash == h && std::memcmp(&s.entry.key, &key, sizeof(Key)) == 0) return &s.entry;
        }
        return nullptr;
    }

    // Inserts a zeroed entry with this key and blob (exclusive lock). If the key is already
    // present the existing entry is returned. When the table or the arena is full, the least
    // used entries are evicted first; returns nullptr only if the blob cannot fit at all.
    // now: the caller's clock in microseconds (0: unknown, every eviction decays usage).
    Entry *insert(const Key &key, std::string_view blob, int64_t now = 0) {
        if (Entry *e = find(key)) return e;
        Header &h = header();
        if (blob.size() > h.arena_size / 4) blob = blob.substr(0, h.arena_size / 4);
        if (h.count >= h.capacity) evict(now);
        if (!arena_room(blob.size())) {
            compact();
            for (int tries = 0; tries < 8 && !arena_room(blob.size()); tries++) {
                evict(now);
                compact();
            }
            if (!arena_room(blob.size())) {
                h.stats.rejected++;
                return nullptr;
            }
        }
        int32_t idx = h.free_head;
        if (idx < 0) {
            h.stats.rejected++;
            return nullptr;
        }
        Slot &s = slots()[idx];
        h.free_head = s.next;
        uint64_t hv = Entry::hash_key(key);
        // An entry with a spinlock may be updated without the store's lock by a backend that
        // found it in an earlier generation and checks the generation under that spinlock
        // (query_pattern.h, record_if_current). Every removal changes the generation before
        // the slot can be reused here; taking the spinlock once waits for an update begun
        // before the removal, and any later one sees the new generation and writes nothing.
        if constexpr (HasSpinlock<Entry>::value) {
            SpinGuard drain(s.entry.lock);
        }
        std::memset(&s.entry, 0, sizeof(Entry));
        s.entry.key = key;
        // A newcomer starts with one call's worth of usage, or the median when that is lower:
        // enough to outlast older entries that were used as little, never enough to outrank
        // established ones (starting at the median, as pg_stat_statements does, lets a flood of
        // one-off entries ratchet the median up until it overtakes the hot ones).
        s.entry.usage =
            h.median_usage > 0 ? std::min(h.median_usage, kUsagePerCall) : kUsagePerCall;
        s.hash = hv;
        s.in_use = 1;
        put_blob(static_cast<uint32_t>(idx), blob);
        int32_t &bucket = buckets()[hv & (h.nbuckets - 1)];
        s.next = bucket;
        bucket = idx;
        h.count++;
        return &s.entry;
    }

    std::string_view blob(const Entry *e) const {
        const Slot &s = slot_of(e);
        return {arena() + s.blob_off, s.blob_len};
    }

    // Evicts the least used 5% of entries (at least 10) after decaying every entry's usage by
    // 1% (at most once per kDecayIntervalUs of the caller's clock), the way
    // pg_stat_statements keeps hot entries and forgets one-off statements.
    void evict(int64_t now = 0) {
        Header &h = header();
        if (h.count == 0) return;
        bool decay = now == 0 || now - h.last_decay >= kDecayIntervalUs || now < h.last_decay;
        if (decay) h.last_decay = now;
        Rank *ranks = this->ranks();
        uint32_t n = 0;
        for (uint32_t i = 0; i < h.capacity; i++) {
            Slot &s = slots()[i];
            if (!s.in_use) continue;
            uint64_t u = atomic_load(s.entry.usage);
            if (decay) {
                u -= u / 100;
                atomic_store(s.entry.usage, u);
            }
            ranks[n++] = {u, i, 0};
        }
        uint32_t victims = std::max<uint32_t>(10, n / 20);
        if (victims > n) victims = n;
        auto by_usage = [](const Rank &a, const Rank &b) {
            return a.usage < b.usage || (a.usage == b.usage && a.slot < b.slot);
        };
        std::nth_element(ranks, ranks + (n / 2), ranks + n, by_usage);
        h.median_usage = ranks[n / 2].usage;
        std::nth_element(ranks, ranks + (victims - 1), ranks + n, by_usage);
        for (uint32_t i = 0; i < victims; i++)
            remove_slot(ranks[i].slot);
        h.stats.evictions += victims;
        atomic_add(h.stats.generation, 1);
    }

    // Removes every entry (exclusive lock).
    void reset(int64_t now) {
        Header &h = header();
        uint64_t generation = h.stats.generation;
        StoreStats kept = h.stats;
        clear_entries();
        h.stats = kept;
        atomic_store(h.stats.generation, generation + 1);
        h.stats.reset_time = now;
    }

    // Removes entries for which pred(entry) is true (exclusive lock).
    template <class Pred>
    uint32_t remove_if(Pred &&pred) {
        uint32_t removed = 0;
        for (uint32_t i = 0; i < header().capacity; i++) {
            Slot &s = slots()[i];
            if (s.in_use && pred(s.entry)) {
                remove_slot(i);
                removed++;
            }
        }
        if (removed) atomic_add(header().stats.generation, 1);
        return removed;
    }

    template <class F>
    void for_each(F &&f) const {
        for (uint32_t i = 0; i < header().capacity; i++) {
            const Slot &s = slots()[i];
            if (s.in_use) f(s.entry, std::string_view(arena() + s.blob_off, s.blob_len));
        }
    }

    // ---- Snapshots: a compact, self-contained copy (entries + blobs), also the save format.
    struct SnapshotHeader {
        uint32_t magic;
        uint32_t entry_size;
        uint32_t count;
        uint32_t pad;
        uint64_t blob_bytes;
        StoreStats stats;
    };
    struct SnapshotEntry {
        uint64_t blob_off;
        uint32_t blob_len;
        uint32_t pad;
        Entry entry;
    };
    // Upper bound of snapshot() output for this store.
    size_t snapshot_capacity() const {
        return sizeof(SnapshotHeader) + sizeof(SnapshotEntry) * header().capacity +
               header().arena_size;
    }
    // Copies every entry (each through Entry::snapshot_to, so concurrent counter updates are
    // read atomically) and its blob into dst (shared lock). Returns bytes written.
    size_t snapshot(void *dst, size_t cap) const {
        char *out = static_cast<char *>(dst);
        if (cap < sizeof(SnapshotHeader)) return 0;
        SnapshotHeader sh{};
        sh.magic = kMagic;
        sh.entry_size = sizeof(Entry);
        sh.stats = header().stats;
        sh.stats.generation = atomic_load(header().stats.generation);
        uint32_t n = 0;
        for (uint32_t i = 0; i < header().capacity; i++)
            if (slots()[i].in_use) n++;
        size_t entries_end = sizeof(SnapshotHeader) + sizeof(SnapshotEntry) * size_t{n};
        if (entries_end > cap) return 0;
        size_t blob_pos = entries_end;
        uint32_t k = 0;
        for (uint32_t i = 0; i < header().capacity && k < n; i++) {
            const Slot &s = slots()[i];
            if (!s.in_use) continue;
            if (blob_pos + s.blob_len > cap) return 0;
            SnapshotEntry se;
            std::memset(&se, 0, sizeof se);
            s.entry.snapshot_to(se.entry);
            se.blob_off = blob_pos - entries_end;
            se.blob_len = s.blob_len;
            std::memcpy(out + blob_pos, arena() + s.blob_off, s.blob_len);
            blob_pos += s.blob_len;
            std::memcpy(out + sizeof(SnapshotHeader) + sizeof(SnapshotEntry) * size_t{k}, &se,
                        sizeof se);
            k++;
        }
        sh.count = k;
        sh.blob_bytes = blob_pos - entries_end;
        std::memcpy(out, &sh, sizeof sh);
        return blob_pos;
    }

    // Read access to a snapshot produced by snapshot(); validates its structure.
    class Snapshot {
      public:
        Snapshot(const void *data, size_t len) : data_(static_cast<const char *>(data)), len_(len) {
            if (len_ < sizeof(SnapshotHeader)) return;
            std::memcpy(&header_, data_, sizeof header_);
            if (header_.magic != kMagic || header_.entry_size != sizeof(Entry)) return;
            size_t entries_end =
                sizeof(SnapshotHeader) + sizeof(SnapshotEntry) * size_t{header_.count};
            if (entries_end > len_ || header_.blob_bytes != len_ - entries_end) return;
            for (uint32_t i = 0; i < header_.count; i++) {
                SnapshotEntry se = raw(i);
                if (se.blob_off > header_.blob_bytes ||
                    se.blob_len > header_.blob_bytes - se.blob_off)
                    return;
            }
            ok_ = true;
        }
        bool ok() const { return ok_; }
        uint32_t count() const { return ok_ ? header_.count : 0; }
        const StoreStats &stats() const { return header_.stats; }
        Entry entry(uint32_t i) const { return raw(i).entry; }
        std::string_view blob(uint32_t i) const {
            SnapshotEntry se = raw(i);
            size_t entries_end =
                sizeof(SnapshotHeader) + sizeof(SnapshotEntry) * size_t{header_.count};
            return {data_ + entries_end + se.blob_off, se.blob_len};
        }

      private:
        SnapshotEntry raw(uint32_t i) const {
            SnapshotEntry se;
            std::memcpy(&se, data_ + sizeof(SnapshotHeader) + sizeof(SnapshotEntry) * size_t{i},
                        sizeof se);
            return se;
        }
        const char *data_;
        size_t len_;
        SnapshotHeader header_{};
        bool ok_ = false;
    };

    // Re-inserts the entries of a valid snapshot into an empty store (exclusive lock). When the
    // snapshot holds more entries than the store can, the least used are evicted as usual.
    // Returns the number of entries present afterwards.
    uint32_t restore(const Snapshot &snap) {
        for (uint32_t i = 0; i < snap.count(); i++) {
            Entry e = snap.entry(i);
            Entry *dst = insert(e.key, snap.blob(i));
            if (dst) *dst = e;
        }
        return count();
    }

  private:
    Header &header() const { return *reinterpret_cast<Header *>(base_); }
    int32_t *buckets() const { return reinterpret_cast<int32_t *>(base_ + align8(sizeof(Header))); }
    Slot *slots() const {
        return reinterpret_cast<Slot *>(base_ + align8(sizeof(Header)) +
                                        align8(sizeof(int32_t) * header().nbuckets));
    }
    Rank *ranks() const {
        return reinterpret_cast<Rank *>(reinterpret_cast<char *>(slots()) +
                                        align8(sizeof(Slot) * header().capacity));
    }
    char *arena() const {
        return reinterpret_cast<char *>(ranks()) + align8(sizeof(Rank) * header().capacity);
    }
    const Slot &slot_of(const Entry *e) const {
        return *reinterpret_cast<const Slot *>(reinterpret_cast<const char *>(e) -
                                               offsetof(Slot, entry));
    }

    void clear_entries() {
        Header &h = header();
        for (uint32_t i = 0; i < h.nbuckets; i++)
            buckets()[i] = -1;
        for (uint32_t i = 0; i < h.capacity; i++) {
            Slot &s = slots()[i];
            s.in_use = 0;
            s.next = i + 1 < h.capacity ? static_cast<int32_t>(i + 1) : -1;
            s.blob_len = 0;
            s.blob_off = 0;
        }
        h.free_head = h.capacity > 0 ? 0 : -1;
        h.count = 0;
        h.arena_used = 0;
        h.median_usage = 0;
    }

    bool arena_room(size_t len) const {
        return header().arena_used + align8(sizeof(BlobHeader) + len) <= header().arena_size;
    }

    void put_blob(uint32_t slot, std::string_view blob) {
        Header &h = header();
        BlobHeader bh{slot, static_cast<uint32_t>(blob.size())};
        std::memcpy(arena() + h.arena_used, &bh, sizeof bh);
        std::memcpy(arena() + h.arena_used + sizeof bh, blob.data(), blob.size());
        Slot &s = slots()[slot];
        s.blob_off = h.arena_used + sizeof bh;
        s.blob_len = static_cast<uint32_t>(blob.size());
        h.arena_used += align8(sizeof bh + blob.size());
    }

    // Slides live blobs down over dead ones; blobs keep their order.
    void compact() {
        Header &h = header();
        uint64_t read = 0, write = 0;
        while (read < h.arena_used) {
            BlobHeader bh;
            std::memcpy(&bh, arena() + read, sizeof bh);
            uint64_t step = align8(sizeof bh + bh.len);
            Slot &s = slots()[bh.slot];
            bool live = bh.slot < h.capacity && s.in_use && s.blob_off == read + sizeof bh;
            if (live) {
                if (write != read) std::memmove(arena() + write, arena() + read, step);
                s.blob_off = write + sizeof bh;
                write += step;
            }
            read += step;
        }
        h.arena_used = write;
        h.stats.compactions++;
    }

    void remove_slot(uint32_t idx) {
        Header &h = header();
        Slot &s = slots()[idx];
        int32_t *link = &buckets()[s.hash & (h.nbuckets - 1)];
        while (*link >= 0 && *link != static_cast<int32_t>(idx))
            link = &slots()[*link].next;
        if (*link == static_cast<int32_t>(idx)) *link = s.next;
        s.in_use = 0;
        s.next = h.free_head;
        h.free_head = static_cast<int32_t>(idx);
        h.count--;
    }

    char *base_ = nullptr;
};

}  // namespace pg_advisor
