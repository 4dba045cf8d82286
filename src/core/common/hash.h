// 64-bit hashing used for keys, parameter-value fingerprints and scope keys.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace pg_advisor {

// Finalizer with full avalanche (the murmur3 64-bit mixer constants).
inline uint64_t mix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

inline uint64_t hash_combine(uint64_t seed, uint64_t value) {
    return mix64(seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)));
}

// Hash of a byte string: 8-byte words folded through mix64; deterministic across processes
// and restarts (no per-process seed), so hashes can be saved and compared later.
inline uint64_t hash_bytes(const void *data, size_t len, uint64_t seed = 0x6a09e667f3bcc909ULL) {
    const unsigned char *p = static_cast<const unsigned char *>(data);
    uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL);
    while (len >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ mix64(w)) * 0x9fb21c651e98df25ULL;
        p += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < len; i++)
        tail |= static_cast<uint64_t>(p[i]) << (8 * i);
    h = (h ^ mix64(tail + len)) * 0x9fb21c651e98df25ULL;
    return mix64(h);
}

inline uint64_t hash_string(std::string_view s, uint64_t seed = 0x6a09e667f3bcc909ULL) {
    return hash_bytes(s.data(), s.size(), seed);
}

}  // namespace pg_advisor
