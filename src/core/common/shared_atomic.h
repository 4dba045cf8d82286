// Lock-free counters and a tiny spinlock for structures that live in shared memory.
//
// Entries in shared memory must stay trivially copyable (they are snapshotted with memcpy and
// saved to disk), so fields are plain integers updated through GCC's __atomic builtins rather
// than std::atomic members. Both are address-free on every platform PostgreSQL supports.
#pragma once

#include <cstdint>
#include <sched.h>

namespace pg_advisor {

inline uint64_t atomic_load(const uint64_t &v) {
    return __atomic_load_n(&v, __ATOMIC_RELAXED);
}
inline int64_t atomic_load(const int64_t &v) {
    return __atomic_load_n(&v, __ATOMIC_RELAXED);
}
inline uint32_t atomic_load(const uint32_t &v) {
    return __atomic_load_n(&v, __ATOMIC_RELAXED);
}
inline void atomic_store(uint64_t &v, uint64_t x) {
    __atomic_store_n(&v, x, __ATOMIC_RELAXED);
}
inline void atomic_store(int64_t &v, int64_t x) {
    __atomic_store_n(&v, x, __ATOMIC_RELAXED);
}
inline void atomic_store(uint32_t &v, uint32_t x) {
    __atomic_store_n(&v, x, __ATOMIC_RELAXED);
}
inline uint64_t atomic_add(uint64_t &v, uint64_t x) {
    return __atomic_add_fetch(&v, x, __ATOMIC_RELAXED);
}
inline uint32_t atomic_add(uint32_t &v, uint32_t x) {
    return __atomic_add_fetch(&v, x, __ATOMIC_RELAXED);
}

inline void atomic_max(uint64_t &v, uint64_t x) {
    uint64_t cur = __atomic_load_n(&v, __ATOMIC_RELAXED);
    while (x > cur &&
           !__atomic_compare_exchange_n(&v, &cur, x, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}
inline void atomic_min(uint64_t &v, uint64_t x) {
    uint64_t cur = __atomic_load_n(&v, __ATOMIC_RELAXED);
    while (x < cur &&
           !__atomic_compare_exchange_n(&v, &cur, x, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}
inline void atomic_max(int64_t &v, int64_t x) {
    int64_t cur = __atomic_load_n(&v, __ATOMIC_RELAXED);
    while (x > cur &&
           !__atomic_compare_exchange_n(&v, &cur, x, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}

// Test-and-test-and-set spinlock over a uint32 field. Critical sections guarded by it are a
// few memcpy's long and never call out of src/core.
class SpinGuard {
  public:
    explicit SpinGuard(uint32_t &word) : word_(word) {
        for (unsigned spins = 0;; spins++) {
            if (__atomic_load_n(&word_, __ATOMIC_RELAXED) == 0 &&
                __atomic_exchange_n(&word_, 1u, __ATOMIC_ACQUIRE) == 0)
                return;
            if (spins > 64) sched_yield();
#if defined(__x86_64__) || defined(__i386__)
            else
                __builtin_ia32_pause();
#endif
        }
    }
    ~SpinGuard() {
        __atomic_store_n(&word_, 0u, __ATOMIC_RELEASE);
    }
    SpinGuard(const SpinGuard &) = delete;
    SpinGuard &operator=(const SpinGuard &) = delete;

  private:
    uint32_t &word_;
};

}  // namespace pg_advisor
