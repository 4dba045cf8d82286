// The statement fingerprint of a backend's statements, scanned once per statement text and then
// replayed. An application sends the same statements again and again with other values: the
// text differs from the one sent before only inside its literals (and its tag comments). The
// cache keeps recent texts with where their literals and comments are (FingerprintRegions);
// a new text is compared with the kept one a word at a time, and only the literals and comments
// in which they differ are scanned again. The result is the one fingerprint_statement() gives
// for the new text, or the text is scanned in full:
//
//   - the scanner reads a text left to right, its state at a byte depending on the bytes
//     before it only, so up to a literal where the texts first differ both are in one state;
//   - the literal there is scanned again in the new text with the scanner's own functions,
//     from a character of the same kind (a digit, a quote, a comment's opener), and must keep
//     its class (int4, int8, numeric, string) and not be part of the shape (ORDER BY 2);
//   - after it the scanner is again in one state for both texts (after a literal of that
//     class), and the comparison goes on from the two literals' ends.
//
// Anything else (a difference outside a literal or comment, E'', $$, TRUE, a number after a
// '.', a text longer than kMaxText, more than FingerprintRegions::kMax literals and comments)
// scans the text in full and keeps it for next time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/common/hash.h"
#include "core/sql/statement_fingerprint.h"

namespace pg_advisor {

class FingerprintCache {
  public:
    static constexpr size_t kMaxText = 2048;
    static constexpr size_t kSets = 16;
    static constexpr size_t kWays = 4;

    // *out = fingerprint_statement(source, span, opts, nul_terminated), from a kept text when
    // it can be replayed.
    void fingerprint(std::string_view source, StatementSpan span, const sql::LexOptions &opts,
                     bool nul_terminated, StatementFingerprint *out);

    struct Stats {
        uint64_t replayed = 0;
        uint64_t scanned = 0;
        uint64_t failed = 0;  // replays begun and given up (then another kept text or a scan)
    };
    const Stats &stats() const { return stats_; }

  private:
    struct Entry {
        uint64_t key = 0;  // 0: empty
        uint64_t last_used = 0;
        uint32_t len = 0;
        bool standard_conforming_strings = true;
        StatementFingerprint fp;
        uint64_t values_sum = 0;  // of fp.values, before values_result()
        FingerprintRegions regions;
        char text[kMaxText];
    };

    // The first 16 bytes: statements of one application differ there rarely, and their values
    // seldom come that early.
    static uint64_t key_of(std::string_view stmt, const sql::LexOptions &opts) {
        uint64_t w[2] = {0, 0};
        if (stmt.size() >= 16)
            std::memcpy(w, stmt.data(), 16);
        else
            std::memcpy(w, stmt.data(), stmt.size());
        uint64_t k =
            mix64(w[0] * 0x9e3779b97f4a7c15ULL ^ w[1] ^ (opts.standard_conforming_strings));
        return k == 0 ? 1 : k;
    }
    // Whether stmt may be replayed from e, from the bytes around e's first literal or comment:
    // a text that differs from e before it cannot. Two kept texts of one key mostly differ
    // there ("+ 1" and "+ -1"): the right one is found without a replay of the other.
    static bool may_replay(const Entry &e, std::string_view stmt) {
        if (e.regions.n == 0) return true;
        size_t f = e.regions.r[0].begin;
        if (f == 0 || f >= stmt.size() || f >= e.len) return true;
        if (stmt[f - 1] != e.text[f - 1]) return false;
        char a = stmt[f], b = e.text[f];
        return a == b || (a >= '0' && a <= '9' && b >= '0' && b <= '9');
    }
    bool replay(const Entry &e, std::string_view source, StatementSpan span,
                const sql::LexOptions &opts, bool nul_terminated, StatementFingerprint *out) const;
    void keep(Entry &e, uint64_t key, std::string_view stmt, const sql::LexOptions &opts,
              const StatementFingerprint &fp, const FingerprintRegions &r);

    Entry entries_[kSets * kWays];
    uint8_t mru_[kSets] = {};  // the way of each set used last
    uint64_t clock_ = 0;
    Stats stats_;
};

// Length of the common prefix of a and b (n bytes each at most).
inline size_t common_prefix(const char *a, const char *b, size_t n) {
    size_t i = 0;
#if defined(__SSE2__)
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i *>(a + i));
        __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i *>(b + i));
        unsigned equal = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)));
        if (equal != 0xffff) return i + static_cast<size_t>(__builtin_ctz(~equal));
    }
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        std::memcpy(&x, a + i, 8);
        std::memcpy(&y, b + i, 8);
        if (x != y) return i + static_cast<size_t>(__builtin_ctzll(x ^ y)) / 8;
    }
    if (i < n && n >= 8) {
        // The last bytes, in the word that ends with them (its first bytes are known equal).
        uint64_t x, y;
        std::memcpy(&x, a + n - 8, 8);
        std::memcpy(&y, b + n - 8, 8);
        if (x == y) return n;
        return n - 8 + static_cast<size_t>(__builtin_ctzll(x ^ y)) / 8;
    }
#endif
    for (; i < n; i++)
        if (a[i] != b[i]) return i;
    return n;
}

}  // namespace pg_advisor
