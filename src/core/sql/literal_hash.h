// The hashes of a statement's text that fingerprint_statement() computes and the fingerprint
// cache recomputes for a changed literal: inline, so that a replayed literal costs a few
// instructions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/common/hash.h"

namespace pg_advisor {

// Each token is hashed 8 bytes at a time; its last word carries the token's length in its top
// byte (0x80 | bytes), which no word of text can (text has no NUL), so token boundaries cannot
// be confused.
inline uint64_t word_step(uint64_t h, uint64_t w) {
    h = (h ^ w) * 0x9fb21c651e98df25ULL;
    return h ^ (h >> 32);
}

// Hashes the n bytes at p; the readable text runs from `base` to `limit` (a word may be read
// around the token, never outside the text, and masked).
inline uint64_t hash_token(uint64_t h, const char *p, size_t n, const char *base,
                           const char *limit) {
    while (n >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        h = word_step(h, w);
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    if (n > 0) {
        if (p + 8 <= limit) {
            std::memcpy(&w, p, 8);
            w &= ~0ULL >> (64 - 8 * n);
        } else if (p + n >= base + 8) {  // the word that ends with the token's last byte
            std::memcpy(&w, p + n - 8, 8);
            w >>= 64 - 8 * n;
        } else {
            for (size_t i = 0; i < n; i++)
                w |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
        }
    }
    return word_step(h, w | (static_cast<uint64_t>(0x80 | n) << 56));
}

constexpr uint64_t kLiteralSeed = 0x243f6a8885a308d3ULL;

// A literal's value hash: the bytes from b to e of text (negated: after an operator ending in
// '-').
inline uint64_t literal_value(std::string_view text, size_t b, size_t e, bool negated) {
    uint64_t v =
        hash_token(kLiteralSeed, text.data() + b, e - b, text.data(), text.data() + text.size());
    return negated ? ~v : v;
}

// A literal's value hash is mixed once (literal_mix); the mixed value gives both its 32-bit
// form (StatementFingerprint::literal_hash, never 0) and its term in the values fingerprint:
// the sum over the statement's literals of mixed * (2 * index + 1), so that a literal whose
// value changes changes the sum by its own term only, and equal values in other places give
// other sums.
inline uint64_t literal_mix(uint64_t value) {
    return mix64(value);
}
inline uint32_t literal_hash32(uint64_t mixed) {
    uint32_t h32 = static_cast<uint32_t>(mixed >> 32);
    return h32 == 0 ? 1 : h32;
}
constexpr uint64_t kValuesSeed = 0x13198a2e03707344ULL;
inline uint64_t values_term(uint64_t mixed, uint32_t index) {
    return mixed * (2 * static_cast<uint64_t>(index) + 1);
}
// The values fingerprint from the sum: 0 when the statement has no literal, never 0 otherwise.
inline uint64_t values_result(uint64_t sum, uint32_t literals) {
    return literals == 0 ? 0 : (sum == 0 ? 1 : sum);
}

}  // namespace pg_advisor
