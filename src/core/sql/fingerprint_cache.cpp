#include "core/sql/fingerprint_cache.h"

#include <cstring>

#include "core/common/hash.h"
#include "core/sql/literal_hash.h"
#include "core/common/no_postgres.h"

namespace pg_advisor {

namespace {

// Whether a character after digits makes them more than a plain integer (a fraction, an
// exponent, a prefix, '_' separators) or runs on into other characters: lex_number decides.
inline bool continues_number(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    unsigned char lower = u | 0x20;
    return (lower >= 'a' && lower <= 'z') || u == '_' || u == '$' || u == '.' || u >= 0x80;
}

// The length of the run of digits that starts the 8 bytes of w (8: all are digits).
inline size_t digits_in_word(uint64_t w) {
    constexpr uint64_t kHigh = 0xf0f0f0f0f0f0f0f0ULL, kLow = 0x0f0f0f0f0f0f0f0fULL;
    // A byte is a digit when its high nibble is 3 and its low nibble plus 6 stays below 16.
    uint64_t other =
        ((w & kHigh) ^ 0x3030303030303030ULL) | (((w & kLow) + 0x0606060606060606ULL) & kHigh);
    return other == 0 ? 8 : static_cast<size_t>(__builtin_ctzll(other)) / 8;
}

// A number of fewer than 8 plain digits at b (t[b] is a digit): where it ends and its value
// hash, from one word; false when it is longer or runs on (then lex_number decides).
inline bool short_number(std::string_view source, size_t b, size_t end, size_t *e, uint64_t *v) {
    uint64_t w;
    if (b + 8 <= source.size()) {
        std::memcpy(&w, source.data() + b, 8);
    } else if (source.size() >= 8) {
        // Near the text's end: the word that ends there, shifted (zeros, no digits, after it).
        std::memcpy(&w, source.data() + source.size() - 8, 8);
        w >>= 8 * (b + 8 - source.size());
    } else {
        return false;
    }
    size_t d = digits_in_word(w);
    if (d == 8) return false;
    if (b + d > end) d = end - b;
    if (b + d < end && continues_number(source[b + d])) return false;
    *e = b + d;
    // literal_value() of the d digits: one word, masked, with its length.
    *v = word_step(kLiteralSeed,
                   (w & (~0ULL >> (64 - 8 * d))) | (static_cast<uint64_t>(0x80 | d) << 56));
    return true;
}

// Scans the region `g` again in the new text, from b (a position in it): where it ends and
// (a literal) its value hash, or false when the text there is not a literal or comment of the
// same kind and class.
inline bool rescan(const Region &g, char first, std::string_view source, size_t b, size_t end,
                   bool nul_terminated, bool plain_escapes, size_t *e, uint64_t *v) {
    const char *t = source.data();
    switch (g.kind) {
        case RegionKind::Number: {
            if (b >= end || t[b] < '0' || t[b] > '9') return false;
            // Most numbers are a few plain digits: an int4 whatever they are.
            if (short_number(source, b, end, e, v)) {
                if (g.negated) *v = ~*v;
                return g.cls == LiteralClass::Int4;
            }
            if (lex_number(source, b, end, stops_at(source, end, nul_terminated), e) != g.cls)
                return false;
            *v = literal_value(source, b, *e, g.negated);
            return true;
        }
        case RegionKind::String: {
            if (b >= end || t[b] != '\'') return false;
            bool closed;
            *e = sql::string_constant_end(source, b, plain_escapes, &closed);
            if (!closed || *e > end) return false;
            *v = literal_value(source, b, *e, g.negated);
            return true;
        }
        case RegionKind::Comment:
            // Of the same kind: has_block_comment stays as it was.
            if (b + 1 >= end || t[b] != first) return false;
            if (t[b] == '-' && t[b + 1] == '-') {
                *e = line_comment_end(source, b, end);
                return true;
            }
            if (t[b] == '/' && t[b + 1] == '*') {
                *e = sql::block_comment_end(source, b);
                return *e != std::string_view::npos && *e <= end;
            }
            return false;
        case RegionKind::Other:
            return false;
    }
    return false;
}

}  // namespace

__attribute__((always_inline)) inline bool FingerprintCache::replay(
    const Entry &e, std::string_view source, StatementSpan span, const sql::LexOptions &opts,
    bool nul_terminated, StatementFingerprint *out) const {
    if (e.standard_conforming_strings != opts.standard_conforming_strings) return false;
    const char *t = source.data() + span.begin;
    const size_t n = span.end - span.begin;
    const FingerprintRegions &rs = e.regions;
    *out = e.fp;  // then the literals that differ
    uint64_t sum = e.values_sum;

    size_t xn = 0, xo = 0;  // positions in the new and the kept text
    uint32_t r = 0;
    for (;;) {
        size_t room = n - xn < e.len - xo ? n - xn : e.len - xo;
        size_t m = common_prefix(t + xn, e.text + xo, room);
        xn += m;
        xo += m;
        if (xn == n && xo == e.len) break;
        // The first difference: it must lie in (or right after) a literal or comment.
        while (r < rs.n && rs.r[r].end < xo)
            r++;
        if (r == rs.n) return false;
        const Region &g = rs.r[r];
        if (g.begin > xo || g.structural) return false;
        size_t b = span.begin + xn - (xo - g.begin);  // the bytes from g.begin to xo are equal
        size_t end_at;
        uint64_t v = 0;
        if (!rescan(g, e.text[g.begin], source, b, span.end, nul_terminated,
                    !opts.standard_conforming_strings, &end_at, &v))
            return false;
        if (g.kind != RegionKind::Comment) {
            uint64_t mixed = literal_mix(v);
            sum += values_term(mixed, g.literal) - values_term(g.mixed, g.literal);
            if (g.literal < kTrackedLiterals) out->literal_hash[g.literal] = literal_hash32(mixed);
        }
        xn = end_at - span.begin;
        xo = g.end;
        r++;
    }
    out->values = values_result(sum, out->literals);
    return true;
}

void FingerprintCache::keep(Entry &e, uint64_t key, std::string_view stmt,
                            const sql::LexOptions &opts, const StatementFingerprint &fp,
                            const FingerprintRegions &r) {
    uint32_t literals = 0;
    for (uint32_t i = 0; i < r.n; i++)
        literals += r.r[i].kind != RegionKind::Comment ? 1 : 0;
    if (literals != fp.literals) return;  // not every literal has its region: never replayed
    e.values_sum = kValuesSeed;
    for (uint32_t i = 0; i < r.n; i++)
        if (r.r[i].kind != RegionKind::Comment)
            e.values_sum += values_term(r.r[i].mixed, r.r[i].literal);
    e.key = key;
    e.last_used = ++clock_;
    e.len = static_cast<uint32_t>(stmt.size());
    e.standard_conforming_strings = opts.standard_conforming_strings;
    e.fp = fp;
    e.regions.n = r.n;
    e.regions.overflow = false;
    std::memcpy(e.regions.r, r.r, sizeof(Region) * r.n);
    std::memcpy(e.text, stmt.data(), stmt.size());
}

void FingerprintCache::fingerprint(std::string_view source, StatementSpan span,
                                   const sql::LexOptions &opts, bool nul_terminated,
                                   StatementFingerprint *out) {
    if (span.end < span.begin || span.end > source.size() || span.end - span.begin > kMaxText ||
        span.end == span.begin) {
        stats_.scanned++;
        *out = fingerprint_statement(source, span, opts, nul_terminated);
        return;
    }
    std::string_view stmt = source.substr(span.begin, span.end - span.begin);
    uint64_t key = key_of(stmt, opts);
    size_t set_index = key % kSets;
    Entry *set = &entries_[set_index * kWays];
    // The statement used last first: a loop sends the same statement again and again.
    size_t mru = mru_[set_index];
    for (size_t i = 0; i < kWays; i++) {
        size_t w = (mru + i) % kWays;
        if (set[w].key != key || !may_replay(set[w], stmt)) continue;
        if (replay(set[w], source, span, opts, nul_terminated, out)) {
            set[w].last_used = ++clock_;
            mru_[set_index] = static_cast<uint8_t>(w);
            stats_.replayed++;
            return;
        }
        stats_.failed++;
    }
    FingerprintRegions regions;
    *out = fingerprint_statement(source, span, opts, nul_terminated, &regions);
    stats_.scanned++;
    if (out->complete && !regions.overflow) {
        Entry *victim = &set[0];
        for (size_t w = 1; w < kWays; w++)
            if (set[w].last_used < victim->last_used) victim = &set[w];
        keep(*victim, key, stmt, opts, *out, regions);
        mru_[set_index] = static_cast<uint8_t>(victim - set);
    }
}

}  // namespace pg_advisor
