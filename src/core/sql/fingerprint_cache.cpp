#include "core/sql/fingerprint_cache.h"

#include <cstring>

#include "core/common/hash.h"
#include "core/common/no_postgres.h"

namespace pg_advisor {

uint64_t FingerprintCache::key_of(std::string_view stmt, const sql::LexOptions &opts) {
    // The first 16 bytes: statements of one application differ there rarely, and their values
    // seldom come that early.
    uint64_t w[2] = {0, 0};
    if (stmt.size() >= 16)
        std::memcpy(w, stmt.data(), 16);
    else
        std::memcpy(w, stmt.data(), stmt.size());
    uint64_t k = mix64(w[0] * 0x9e3779b97f4a7c15ULL ^ w[1] ^ (opts.standard_conforming_strings));
    return k == 0 ? 1 : k;
}

namespace {

// Whether a character after digits makes them more than a plain integer (a fraction, an
// exponent, a prefix, '_' separators) or runs on into other characters: lex_number decides.
inline bool continues_number(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    unsigned char lower = u | 0x20;
    return (lower >= 'a' && lower <= 'z') || u == '_' || u == '$' || u == '.' || u >= 0x80;
}

// Scans the region `g` again in the new text, from b (a position in it): where it ends, or
// false when the text there is not a literal or comment of the same kind and class.
bool rescan(const Region &g, char first, std::string_view source, size_t b, size_t end, bool stops,
            bool plain_escapes, size_t *e) {
    const char *t = source.data();
    switch (g.kind) {
        case RegionKind::Number: {
            if (b >= end || t[b] < '0' || t[b] > '9') return false;
            // Most numbers are a few plain digits: an int4 whatever they are.
            size_t d = b + 1;
            while (d < end && t[d] >= '0' && t[d] <= '9')
                d++;
            if (d - b < 10 && (d == end || !continues_number(t[d]))) {
                *e = d;
                return g.cls == LiteralClass::Int4;
            }
            return lex_number(source, b, end, stops, e) == g.cls;
        }
        case RegionKind::String: {
            if (b >= end || t[b] != '\'') return false;
            bool closed;
            *e = sql::string_constant_end(source, b, plain_escapes, &closed);
            return closed && *e <= end;
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

bool FingerprintCache::replay(const Entry &e, std::string_view source, StatementSpan span,
                              const sql::LexOptions &opts, bool nul_terminated,
                              StatementFingerprint *out) const {
    if (e.standard_conforming_strings != opts.standard_conforming_strings) return false;
    const char *t = source.data() + span.begin;
    const size_t n = span.end - span.begin;
    const bool stops = stops_at(source, span.end, nul_terminated);
    const FingerprintRegions &rs = e.regions;
    uint32_t changed = 0;  // bit i: region i scanned again
    size_t new_begin[FingerprintRegions::kMax], new_end[FingerprintRegions::kMax];
    uint64_t new_value[FingerprintRegions::kMax];

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
        if (!rescan(g, e.text[g.begin], source, b, span.end, stops,
                    !opts.standard_conforming_strings, &end_at))
            return false;
        changed |= 1u << r;
        new_begin[r] = b;
        new_end[r] = end_at;
        if (g.kind != RegionKind::Comment)
            new_value[r] = literal_value(source, b, end_at, g.negated);
        xn = end_at - span.begin;
        xo = g.end;
        r++;
    }

    // out was zeroed by the caller: the kept fingerprint's fields but the literals'.
    out->shape = e.fp.shape;
    out->literals = e.fp.literals;
    out->has_params = e.fp.has_params;
    out->has_block_comment = e.fp.has_block_comment;
    out->complete = e.fp.complete;
    uint64_t values = 0x13198a2e03707344ULL;
    uint32_t literals = 0;
    int64_t delta = static_cast<int64_t>(span.begin);  // new position - kept offset
    for (uint32_t i = 0; i < rs.n; i++) {
        const Region &g = rs.r[i];
        size_t begin = static_cast<size_t>(static_cast<int64_t>(g.begin) + delta);
        uint64_t v = g.value;
        if (changed & (1u << i)) {
            begin = new_begin[i];
            v = new_value[i];
            delta = static_cast<int64_t>(new_end[i]) - static_cast<int64_t>(g.end);
        }
        if (g.kind == RegionKind::Comment) continue;
        if (literals < kTrackedLiterals) {
            out->literal_hash[literals] = literal_hash32(v);
            out->literal_offset[literals] = static_cast<uint32_t>(begin);
        }
        literals++;
        values = hash_combine(values, v);
    }
    out->values = literals == 0 ? 0 : (values == 0 ? 1 : values);
    return true;
}

void FingerprintCache::keep(Entry &e, uint64_t key, std::string_view stmt,
                            const sql::LexOptions &opts, const StatementFingerprint &fp,
                            const FingerprintRegions &r) {
    uint32_t literals = 0;
    for (uint32_t i = 0; i < r.n; i++)
        literals += r.r[i].kind != RegionKind::Comment ? 1 : 0;
    if (literals != fp.literals) return;  // not every literal has its region: never replayed
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

StatementFingerprint FingerprintCache::fingerprint(std::string_view source, StatementSpan span,
                                                   const sql::LexOptions &opts,
                                                   bool nul_terminated) {
    if (span.end < span.begin || span.end > source.size() || span.end - span.begin > kMaxText ||
        span.end == span.begin) {
        stats_.scanned++;
        return fingerprint_statement(source, span, opts, nul_terminated);
    }
    std::string_view stmt = source.substr(span.begin, span.end - span.begin);
    uint64_t key = key_of(stmt, opts);
    size_t set_index = key % kSets;
    Entry *set = &entries_[set_index * kWays];
    // The statement used last first: a loop sends the same statement again and again.
    size_t mru = mru_[set_index];
    for (size_t i = 0; i < kWays; i++) {
        size_t w = (mru + i) % kWays;
        if (set[w].key != key) continue;
        StatementFingerprint out;
        if (replay(set[w], source, span, opts, nul_terminated, &out)) {
            set[w].last_used = ++clock_;
            mru_[set_index] = static_cast<uint8_t>(w);
            stats_.replayed++;
            return out;
        }
    }
    FingerprintRegions regions;
    StatementFingerprint fp = fingerprint_statement(source, span, opts, nul_terminated, &regions);
    stats_.scanned++;
    if (fp.complete && !regions.overflow) {
        Entry *victim = &set[0];
        for (size_t w = 1; w < kWays; w++)
            if (set[w].last_used < victim->last_used) victim = &set[w];
        keep(*victim, key, stmt, opts, fp, regions);
        mru_[set_index] = static_cast<uint8_t>(victim - set);
    }
    return fp;
}

}  // namespace pg_advisor
