#include "core/workload/scan_shape.h"

#include "core/common/text_buffer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace pg_advisor;

namespace {

std::string encode(const ShapeBuilder &b) {
    std::string out(b.encoded_size(), '\0');
    size_t n = b.encode(&out[0], out.size());
    EXPECT_EQ(n, out.size());
    return out;
}

// Byte offsets of the encoded sections, from the header counts.
struct Layout {
    size_t scans, quals, order, pool, end;
    explicit Layout(const ShapeHeader &h) {
        scans = sizeof(ShapeHeader);
        quals = scans + sizeof(ScanRecord) * h.nscans;
        order = quals + sizeof(Qual) * h.nquals;
        pool = order + sizeof(OrderColumn) * h.norder;
        end = pool + h.pool_len;
    }
};

template <class T>
T get(const std::string &blob, size_t off) {
    T v;
    std::memcpy(&v, blob.data() + off, sizeof v);
    return v;
}
template <class T>
void put(std::string &blob, size_t off, const T &v) {
    std::memcpy(&blob[off], &v, sizeof v);
}

ShapeHeader header_of(const std::string &blob) {
    return get<ShapeHeader>(blob, 0);
}

// Two scans with quals of every kind of pool use, one scan without quals, two ORDER BY items.
ShapeBuilder sample_builder() {
    ShapeBuilder b;
    b.header().limit = 10;
    b.header().flags = kShapeForUpdate | kShapeSkipLocked;
    b.header().command = static_cast<uint8_t>(CommandKind::Update);
    b.header().total_cost = 12.5;
    b.header().plan_rows = 3;
    EXPECT_TRUE(b.begin_scan(16384, ScanType::SeqScan, 0, false, 100.5, 55.25));
    EXPECT_TRUE(b.add_qual(2, QualKind::Equality, QualSource::Const, 96, {}, "42"));
    EXPECT_TRUE(b.add_qual(0, QualKind::Other, QualSource::Expr, 0, "lower(email)", "'x@y'"));
    EXPECT_TRUE(b.begin_scan(16390, ScanType::IndexScan, 16400, true, 1, 8.5));
    EXPECT_TRUE(b.add_qual(3, QualKind::InList, QualSource::Param, 1070, {}, {}, 5));
    EXPECT_TRUE(b.begin_scan(16500, ScanType::BitmapHeapScan, 16501, false, 7, 9));
    EXPECT_TRUE(b.add_order(16384, 2, true, true));
    EXPECT_TRUE(b.add_order(0, 0, false, false));
    return b;
}

}  // namespace

TEST(ScanShape, EmptyBuilder) {
    ShapeBuilder b;
    EXPECT_EQ(b.nscans(), 0u);
    EXPECT_FALSE(b.truncated());
    EXPECT_EQ(b.encoded_size(), sizeof(ShapeHeader));
    std::string blob = encode(b);
    ShapeView v(blob);
    ASSERT_TRUE(v.valid());
    EXPECT_EQ(v.header().version, 3u);
    EXPECT_EQ(v.header().limit, -1);
    EXPECT_EQ(v.header().flags, 0u);
    EXPECT_EQ(v.header().command, 0u);
    EXPECT_EQ(v.nscans(), 0u);
    EXPECT_EQ(v.norder(), 0u);
}

TEST(ScanShape, RoundTrip) {
    ShapeBuilder b = sample_builder();
    EXPECT_FALSE(b.truncated());
    EXPECT_EQ(b.nscans(), 3u);
    EXPECT_EQ(b.encoded_size(), sizeof(ShapeHeader) + 3 * sizeof(ScanRecord) + 3 * sizeof(Qual) +
                                    2 * sizeof(OrderColumn) + 19);  // "42" "lower(email)" "'x@y'"
    std::string blob = encode(b);
    ShapeView v(blob);
    ASSERT_TRUE(v.valid());

    const ShapeHeader &h = v.header();
    EXPECT_EQ(h.limit, 10);
    EXPECT_EQ(h.flags, kShapeForUpdate | kShapeSkipLocked);
    EXPECT_EQ(h.command, static_cast<uint8_t>(CommandKind::Update));
    EXPECT_EQ(h.total_cost, 12.5);
    EXPECT_EQ(h.plan_rows, 3.0);
    EXPECT_EQ(h.nquals, 3u);
    EXPECT_EQ(h.pool_len, 19u);

    ASSERT_EQ(v.nscans(), 3u);
    ScanRecord s0 = v.scan(0);
    EXPECT_EQ(s0.relid, 16384u);
    EXPECT_EQ(s0.scan_type, static_cast<uint8_t>(ScanType::SeqScan));
    EXPECT_EQ(s0.index_oid, 0u);
    EXPECT_EQ(s0.parameterized, 0u);
    EXPECT_EQ(s0.est_rows, 100.5);
    EXPECT_EQ(s0.est_cost, 55.25);
    EXPECT_EQ(s0.first_qual, 0u);
    ASSERT_EQ(s0.nquals, 2u);

    Qual q0 = v.qual(s0, 0);
    EXPECT_EQ(q0.attnum, 2);
    EXPECT_EQ(q0.kind, static_cast<uint8_t>(QualKind::Equality));
    EXPECT_EQ(q0.source, static_cast<uint8_t>(QualSource::Const));
    EXPECT_EQ(q0.opno, 96u);
    EXPECT_EQ(q0.expr_len, 0u);
    EXPECT_EQ(v.expr(q0), "");
    EXPECT_EQ(v.value(q0), "42");
    EXPECT_EQ(q0.value_off, 0u);
    EXPECT_EQ(q0.nvalues, 0u);

    Qual q1 = v.qual(s0, 1);
    EXPECT_EQ(q1.attnum, 0);
    EXPECT_EQ(q1.kind, static_cast<uint8_t>(QualKind::Other));
    EXPECT_EQ(q1.source, static_cast<uint8_t>(QualSource::Expr));
    EXPECT_EQ(v.expr(q1), "lower(email)");
    EXPECT_EQ(v.value(q1), "'x@y'");
    EXPECT_EQ(q1.expr_off, 2u);
    EXPECT_EQ(q1.value_off, 14u);

    ScanRecord s1 = v.scan(1);
    EXPECT_EQ(s1.relid, 16390u);
    EXPECT_EQ(s1.scan_type, static_cast<uint8_t>(ScanType::IndexScan));
    EXPECT_EQ(s1.index_oid, 16400u);
    EXPECT_EQ(s1.parameterized, 1u);
    EXPECT_EQ(s1.first_qual, 2u);
    ASSERT_EQ(s1.nquals, 1u);
    Qual q2 = v.qual(s1, 0);
    EXPECT_EQ(q2.attnum, 3);
    EXPECT_EQ(q2.kind, static_cast<uint8_t>(QualKind::InList));
    EXPECT_EQ(q2.source, static_cast<uint8_t>(QualSource::Param));
    EXPECT_EQ(q2.opno, 1070u);
    EXPECT_EQ(q2.nvalues, 5u);
    EXPECT_EQ(v.expr(q2), "");
    EXPECT_EQ(v.value(q2), "");

    ScanRecord s2 = v.scan(2);
    EXPECT_EQ(s2.relid, 16500u);
    EXPECT_EQ(s2.scan_type, static_cast<uint8_t>(ScanType::BitmapHeapScan));
    EXPECT_EQ(s2.first_qual, 3u);
    EXPECT_EQ(s2.nquals, 0u);

    ASSERT_EQ(v.norder(), 2u);
    OrderColumn o0 = v.order(0);
    EXPECT_EQ(o0.relid, 16384u);
    EXPECT_EQ(o0.attnum, 2);
    EXPECT_EQ(o0.descending, 1u);
    EXPECT_EQ(o0.nulls_first, 1u);
    OrderColumn o1 = v.order(1);
    EXPECT_EQ(o1.relid, 0u);
    EXPECT_EQ(o1.attnum, 0);
    EXPECT_EQ(o1.descending, 0u);
    EXPECT_EQ(o1.nulls_first, 0u);
}

TEST(ScanShape, EncodeNeedsRoom) {
    ShapeBuilder b = sample_builder();
    std::vector<char> out(b.encoded_size());
    EXPECT_EQ(b.encode(out.data(), out.size() - 1), 0u);
    EXPECT_EQ(b.encode(out.data(), 0), 0u);
    EXPECT_EQ(b.encode(out.data(), out.size()), out.size());
}

TEST(ScanShape, TooManyScans) {
    ShapeBuilder b;
    for (size_t i = 0; i < ShapeBuilder::kMaxScans; i++) {
        ASSERT_TRUE(
            b.begin_scan(static_cast<uint32_t>(100 + i), ScanType::SeqScan, 0, false, 1, 1));
        ASSERT_TRUE(b.add_qual(1, QualKind::Equality, QualSource::Param, 96));
    }
    EXPECT_FALSE(b.truncated());
    EXPECT_FALSE(b.begin_scan(999, ScanType::SeqScan, 0, false, 1, 1));
    EXPECT_TRUE(b.truncated());
    // The quals of the scan that did not fit are not attached to the previous one.
    EXPECT_FALSE(b.add_qual(2, QualKind::Range, QualSource::Const, 97, {}, "5"));
    EXPECT_EQ(b.nscans(), ShapeBuilder::kMaxScans);
    std::string blob = encode(b);
    ShapeView v(blob);
    ASSERT_TRUE(v.valid());
    ASSERT_EQ(v.nscans(), ShapeBuilder::kMaxScans);
    EXPECT_EQ(v.header().nquals, ShapeBuilder::kMaxScans);
    EXPECT_EQ(v.header().pool_len, 0u);
    for (size_t i = 0; i < ShapeBuilder::kMaxScans; i++) {
        ScanRecord s = v.scan(i);
        EXPECT_EQ(s.relid, 100 + i);
        EXPECT_EQ(s.first_qual, i);
        EXPECT_EQ(s.nquals, 1u);
    }
}

TEST(ScanShape, TooManyQuals) {
    ShapeBuilder b;
    ASSERT_TRUE(b.begin_scan(1, ScanType::SeqScan, 0, false, 1, 1));
    for (size_t i = 0; i < ShapeBuilder::kMaxQuals; i++)
        ASSERT_TRUE(
            b.add_qual(static_cast<int16_t>(i + 1), QualKind::Equality, QualSource::Const, 96));
    EXPECT_FALSE(b.truncated());
    EXPECT_FALSE(b.add_qual(100, QualKind::Equality, QualSource::Const, 96));
    EXPECT_TRUE(b.truncated());
    // A new scan still fits, but has no room for quals.
    ASSERT_TRUE(b.begin_scan(2, ScanType::SeqScan, 0, false, 1, 1));
    EXPECT_FALSE(b.add_qual(1, QualKind::IsNull, QualSource::None, 0));
    std::string blob = encode(b);
    ShapeView v(blob);
    ASSERT_TRUE(v.valid());
    EXPECT_EQ(v.scan(0).nquals, ShapeBuilder::kMaxQuals);
    EXPECT_EQ(v.qual(v.scan(0), ShapeBuilder::kMaxQuals - 1).attnum,
              static_cast<int16_t>(ShapeBuilder::kMaxQuals));
    EXPECT_EQ(v.scan(1).nquals, 0u);
    EXPECT_EQ(v.scan(1).first_qual, ShapeBuilder::kMaxQuals);
}

TEST(ScanShape, TooManyOrderColumns) {
    ShapeBuilder b;
    for (size_t i = 0; i < ShapeBuilder::kMaxOrder; i++)
        ASSERT_TRUE(b.add_order(7, static_cast<int16_t>(i), i % 2 == 0, false));
    EXPECT_FALSE(b.truncated());
    EXPECT_FALSE(b.add_order(7, 99, false, false));
    EXPECT_TRUE(b.truncated());
    std::string blob = encode(b);
    ShapeView v(blob);
    ASSERT_TRUE(v.valid());
    ASSERT_EQ(v.norder(), ShapeBuilder::kMaxOrder);
    OrderColumn last = v.order(ShapeBuilder::kMaxOrder - 1);
    EXPECT_EQ(last.attnum, static_cast<int16_t>(ShapeBuilder::kMaxOrder - 1));
    EXPECT_EQ(last.descending, 0u);
}

TEST(ScanShape, PoolOverflowDropsWholeStrings) {
    ShapeBuilder b;
    ASSERT_TRUE(b.begin_scan(1, ScanType::SeqScan, 0, false, 1, 1));
    std::string e1(2000, 'e');
    std::string v1(100, 'v');
    // The qual is kept; its expression fits, its value does not and is dropped whole.
    ASSERT_TRUE(b.add_qual(0, QualKind::Other, QualSource::Const, 1, e1, v1));
    EXPECT_TRUE(b.truncated());
    EXPECT_EQ(b.header().pool_len, 2000u);
    // Strings that still fit are still interned, up to exactly the pool size.
    std::string v2(ShapeBuilder::kPoolSize - 2000, 'w');
    ASSERT_TRUE(b.add_qual(1, QualKind::Equality, QualSource::Const, 96, {}, v2));
    EXPECT_EQ(b.header().pool_len, ShapeBuilder::kPoolSize);
    ASSERT_TRUE(b.add_qual(2, QualKind::Equality, QualSource::Const, 96, {}, "x"));
    EXPECT_EQ(b.header().pool_len, ShapeBuilder::kPoolSize);

    std::string blob = encode(b);
    ShapeView v(blob);
    ASSERT_TRUE(v.valid());
    ScanRecord s = v.scan(0);
    ASSERT_EQ(s.nquals, 3u);
    Qual q0 = v.qual(s, 0);
    EXPECT_EQ(v.expr(q0), e1);
    EXPECT_EQ(q0.value_len, 0u);
    EXPECT_EQ(q0.value_off, 0u);
    EXPECT_EQ(v.value(q0), "");
    EXPECT_EQ(v.value(v.qual(s, 1)), v2);
    EXPECT_EQ(v.value(v.qual(s, 2)), "");
}

TEST(ScanShape, StringLargerThanThePoolIsDropped) {
    ShapeBuilder b;
    ASSERT_TRUE(b.begin_scan(1, ScanType::SeqScan, 0, false, 1, 1));
    ASSERT_TRUE(b.add_qual(0, QualKind::Other, QualSource::Expr, 0,
                           std::string(ShapeBuilder::kPoolSize + 1, 'x'), "ok"));
    EXPECT_TRUE(b.truncated());
    std::string blob = encode(b);
    ShapeView v(blob);
    ASSERT_TRUE(v.valid());
    Qual q = v.qual(v.scan(0), 0);
    EXPECT_EQ(v.expr(q), "");
    EXPECT_EQ(v.value(q), "ok");
}

TEST(ScanShape, QualWithoutAnOpenScanIsRejected) {
    ShapeBuilder b;
    EXPECT_FALSE(b.add_qual(1, QualKind::Equality, QualSource::Const, 96, {}, "1"));
    EXPECT_FALSE(b.truncated());  // nothing was lost: there is no scan to attach it to
    EXPECT_EQ(b.header().nquals, 0u);
    EXPECT_EQ(b.header().pool_len, 0u);
    EXPECT_EQ(b.encoded_size(), sizeof(ShapeHeader));
}

// ---- Corrupted blobs

TEST(ScanShape, ViewRejectsShortBlobs) {
    std::string blob = encode(sample_builder());
    EXPECT_FALSE(ShapeView(std::string_view()).valid());
    for (size_t len = 0; len < blob.size(); len++)
        EXPECT_FALSE(ShapeView(std::string_view(blob.data(), len)).valid()) << len;
    EXPECT_FALSE(ShapeView(blob + "x").valid());
    ShapeView bad(std::string_view(blob.data(), 10));
    EXPECT_EQ(bad.nscans(), 0u);
    EXPECT_EQ(bad.norder(), 0u);
}

TEST(ScanShape, NeededColumnsAndQualPresence) {
    ShapeBuilder b;
    b.need_column(3);  // no scan open: ignored
    ASSERT_TRUE(b.begin_scan(10, ScanType::SeqScan, 0, false, 1, 1));
    b.need_column(1);
    b.need_column(3);
    b.need_column(64);
    EXPECT_FALSE(b.has_qual_on(2));
    ASSERT_TRUE(b.add_qual(2, QualKind::Equality, QualSource::Param, 96));
    EXPECT_TRUE(b.has_qual_on(2));
    ASSERT_TRUE(b.begin_scan(11, ScanType::SeqScan, 0, false, 1, 1));
    EXPECT_FALSE(b.has_qual_on(2));  // per scan
    b.need_column(0);                // whole row
    b.need_column(65);               // beyond the mask
    b.need_column(-1);               // system column: not a stored column
    std::string blob = encode(b);
    ShapeView v(blob);
    ASSERT_TRUE(v.valid());
    EXPECT_EQ(v.scan(0).needed_columns, (1ull << 0) | (1ull << 2) | (1ull << 63));
    EXPECT_EQ(v.scan(0).needs_more, 0u);
    EXPECT_EQ(v.scan(1).needed_columns, 0u);
    EXPECT_EQ(v.scan(1).needs_more, 1u);
}

TEST(ScanShape, ViewRejectsOtherVersions) {
    std::string blob = encode(sample_builder());
    for (uint16_t version : {0, 1, 2, 4, 0xFFFF}) {
        std::string v = blob;
        ShapeHeader h = header_of(v);
        h.version = version;
        put(v, 0, h);
        ShapeView view(v);
        EXPECT_FALSE(view.valid()) << version;
        EXPECT_EQ(view.nscans(), 0u);
    }
}

TEST(ScanShape, ViewRejectsCountsThatDisagreeWithTheSize) {
    std::string blob = encode(sample_builder());
    auto with = [&](auto edit) {
        std::string v = blob;
        ShapeHeader h = header_of(v);
        edit(h);
        put(v, 0, h);
        return ShapeView(v).valid();
    };
    EXPECT_FALSE(with([](ShapeHeader &h) { h.nscans++; }));
    EXPECT_FALSE(with([](ShapeHeader &h) { h.nscans--; }));
    EXPECT_FALSE(with([](ShapeHeader &h) { h.nquals++; }));
    EXPECT_FALSE(with([](ShapeHeader &h) { h.norder = 0xFFFF; }));
    EXPECT_FALSE(with([](ShapeHeader &h) { h.pool_len--; }));
    EXPECT_FALSE(with([](ShapeHeader &h) { h.pool_len = 0xFFFF; }));
    EXPECT_TRUE(with([](ShapeHeader &h) { h.limit = 123; }));  // sanity: header edits work
}

TEST(ScanShape, ViewRejectsQualRangesOutOfBounds) {
    std::string blob = encode(sample_builder());
    Layout l(header_of(blob));
    size_t s1_at = l.scans + sizeof(ScanRecord);
    {
        std::string v = blob;
        ScanRecord s = get<ScanRecord>(v, s1_at);
        s.nquals = 2;  // first_qual 2 + 2 > 3
        put(v, s1_at, s);
        EXPECT_FALSE(ShapeView(v).valid());
    }
    {
        std::string v = blob;
        ScanRecord s = get<ScanRecord>(v, s1_at);
        s.first_qual = 0xFFFF;
        s.nquals = 0xFFFF;  // must not wrap around in 16 bits
        put(v, s1_at, s);
        EXPECT_FALSE(ShapeView(v).valid());
    }
    {
        std::string v = blob;
        ScanRecord s = get<ScanRecord>(v, s1_at);
        s.first_qual = 4;
        s.nquals = 0;
        put(v, s1_at, s);
        EXPECT_FALSE(ShapeView(v).valid());
    }
    {
        // Overlapping but in-bounds ranges are structurally fine.
        std::string v = blob;
        ScanRecord s = get<ScanRecord>(v, s1_at);
        s.first_qual = 0;
        s.nquals = 3;
        put(v, s1_at, s);
        EXPECT_TRUE(ShapeView(v).valid());
    }
}

TEST(ScanShape, ViewRejectsPoolOffsetsOutOfBounds) {
    std::string blob = encode(sample_builder());
    Layout l(header_of(blob));
    const uint16_t pool_len = header_of(blob).pool_len;  // 19
    size_t q1_at = l.quals + sizeof(Qual);
    auto with = [&](auto edit) {
        std::string v = blob;
        Qual q = get<Qual>(v, q1_at);
        edit(q);
        put(v, q1_at, q);
        return ShapeView(v).valid();
    };
    EXPECT_FALSE(
        with([&](Qual &q) { q.expr_len = static_cast<uint16_t>(pool_len - q.expr_off + 1); }));
    EXPECT_FALSE(with([&](Qual &q) {
        q.expr_off = static_cast<uint16_t>(pool_len);
        q.expr_len = 1;
    }));
    EXPECT_FALSE(with([&](Qual &q) {
        q.value_off = 0xFFFF;
        q.value_len = 0xFFFF;
    }));
    EXPECT_FALSE(with([&](Qual &q) {
        q.value_off = static_cast<uint16_t>(pool_len + 1);
        q.value_len = 0;
    }));
    EXPECT_TRUE(
        with([&](Qual &q) { q.value_len = static_cast<uint16_t>(pool_len - q.value_off); }));
    EXPECT_TRUE(with([&](Qual &q) {
        q.expr_off = pool_len;
        q.expr_len = 0;
    }));
}

// Random byte flips and truncations of a valid blob: the view is either invalid or every
// accessor stays within the blob. The mutated blob lives in an exactly sized heap buffer so a
// sanitizer build would also catch a stray read.
TEST(ScanShape, FuzzedBlobsNeverReadOutOfBounds) {
    ShapeBuilder b = sample_builder();
    ASSERT_TRUE(b.add_qual(4, QualKind::LikePrefix, QualSource::Const, 1209, {}, "'ab%'"));
    ASSERT_TRUE(b.begin_scan(16600, ScanType::IndexOnlyScan, 16601, false, 2, 3));
    ASSERT_TRUE(b.add_qual(1, QualKind::Range, QualSource::JoinParam, 97, "a + b", {}));
    ASSERT_TRUE(b.add_qual(2, QualKind::IsNotNull, QualSource::None, 0));
    const std::string good = encode(b);
    ASSERT_TRUE(ShapeView(good).valid());

    std::mt19937 rng(20240611);
    int valid = 0, invalid = 0;
    for (int iter = 0; iter < 20000; iter++) {
        std::string m = good;
        int flips = 1 + static_cast<int>(rng() % 4);
        for (int f = 0; f < flips; f++) {
            size_t pos = rng() % m.size();
            // Bias toward the header, scan and qual records, where the structure lives.
            if (rng() % 2 == 0) pos = rng() % std::min<size_t>(m.size(), 220);
            m[pos] = static_cast<char>(m[pos] ^ static_cast<char>(1 + rng() % 255));
        }
        if (rng() % 8 == 0) m.resize(rng() % (m.size() + 1));

        std::unique_ptr<char[]> buf(new char[m.size() + 1]);
        std::memcpy(buf.get(), m.data(), m.size());
        const char *lo = buf.get();
        const char *hi = lo + m.size();
        ShapeView v(std::string_view(lo, m.size()));
        if (!v.valid()) {
            invalid++;
            EXPECT_EQ(v.nscans(), 0u);
            EXPECT_EQ(v.norder(), 0u);
            continue;
        }
        valid++;
        const ShapeHeader &h = v.header();
        Layout l(h);
        ASSERT_EQ(l.end, m.size()) << iter;
        auto in_bounds = [&](std::string_view s) {
            return s.empty() || (s.data() >= lo && s.data() + s.size() <= hi);
        };
        for (size_t i = 0; i < v.nscans(); i++) {
            ASSERT_LE(l.scans + (i + 1) * sizeof(ScanRecord), m.size());
            ScanRecord s = v.scan(i);
            EXPECT_EQ(std::memcmp(&s, lo + l.scans + i * sizeof(ScanRecord), sizeof s), 0);
            ASSERT_LE(size_t{s.first_qual} + s.nquals, h.nquals) << iter;
            for (size_t j = 0; j < s.nquals; j++) {
                size_t at = l.quals + (s.first_qual + j) * sizeof(Qual);
                ASSERT_LE(at + sizeof(Qual), l.order);
                Qual q = v.qual(s, j);
                EXPECT_EQ(std::memcmp(&q, lo + at, sizeof q), 0);
                std::string_view e = v.expr(q), val = v.value(q);
                ASSERT_TRUE(in_bounds(e)) << iter;
                ASSERT_TRUE(in_bounds(val)) << iter;
                EXPECT_EQ(e.size(), q.expr_len);
                EXPECT_EQ(val.size(), q.value_len);
                if (!e.empty()) {
                    EXPECT_EQ(e.data(), lo + l.pool + q.expr_off);
                }
                if (!val.empty()) {
                    EXPECT_EQ(val.data(), lo + l.pool + q.value_off);
                }
            }
        }
        for (size_t j = 0; j < v.norder(); j++) {
            ASSERT_LE(l.order + (j + 1) * sizeof(OrderColumn), l.pool);
            OrderColumn o = v.order(j);
            EXPECT_EQ(std::memcmp(&o, lo + l.order + j * sizeof(OrderColumn), sizeof o), 0);
        }
    }
    // Both outcomes must actually be exercised for the test to mean anything.
    EXPECT_GT(valid, 1000);
    EXPECT_GT(invalid, 1000);
}

TEST(ScanShape, Names) {
    EXPECT_EQ(qual_kind_name(QualKind::Equality), "eq");
    EXPECT_EQ(qual_kind_name(QualKind::Range), "range");
    EXPECT_EQ(qual_kind_name(QualKind::InList), "in");
    EXPECT_EQ(qual_kind_name(QualKind::LikePrefix), "like_prefix");
    EXPECT_EQ(qual_kind_name(QualKind::IsNull), "is_null");
    EXPECT_EQ(qual_kind_name(QualKind::IsNotNull), "is_not_null");
    EXPECT_EQ(qual_kind_name(QualKind::Other), "other");
    EXPECT_EQ(qual_kind_name(static_cast<QualKind>(0)), "other");
    EXPECT_EQ(qual_kind_name(static_cast<QualKind>(200)), "other");

    EXPECT_EQ(qual_source_name(QualSource::None), "none");
    EXPECT_EQ(qual_source_name(QualSource::Const), "const");
    EXPECT_EQ(qual_source_name(QualSource::Param), "param");
    EXPECT_EQ(qual_source_name(QualSource::JoinParam), "join");
    EXPECT_EQ(qual_source_name(QualSource::Column), "column");
    EXPECT_EQ(qual_source_name(QualSource::Expr), "expr");
    EXPECT_EQ(qual_source_name(static_cast<QualSource>(99)), "expr");

    EXPECT_EQ(scan_type_name(ScanType::Other), "other");
    EXPECT_EQ(scan_type_name(ScanType::SeqScan), "seq_scan");
    EXPECT_EQ(scan_type_name(ScanType::IndexScan), "index_scan");
    EXPECT_EQ(scan_type_name(ScanType::IndexOnlyScan), "index_only_scan");
    EXPECT_EQ(scan_type_name(ScanType::BitmapHeapScan), "bitmap_heap_scan");
    EXPECT_EQ(scan_type_name(ScanType::TidScan), "tid_scan");
    EXPECT_EQ(scan_type_name(static_cast<ScanType>(77)), "other");

    EXPECT_EQ(command_name(CommandKind::Unknown), "UNKNOWN");
    EXPECT_EQ(command_name(CommandKind::Select), "SELECT");
    EXPECT_EQ(command_name(CommandKind::Insert), "INSERT");
    EXPECT_EQ(command_name(CommandKind::Update), "UPDATE");
    EXPECT_EQ(command_name(CommandKind::Delete), "DELETE");
    EXPECT_EQ(command_name(CommandKind::Merge), "MERGE");
    EXPECT_EQ(command_name(CommandKind::Utility), "UTILITY");
    EXPECT_EQ(command_name(static_cast<CommandKind>(42)), "UNKNOWN");
}

TEST(ScanShape, DescribeQual) {
    Qual q{};
    q.kind = static_cast<uint8_t>(QualKind::Equality);
    q.source = static_cast<uint8_t>(QualSource::Param);
    FixedText<64> a;
    describe_qual(a, "customer_id", q);
    EXPECT_EQ(a.view(), "customer_id eq param");
    q.kind = static_cast<uint8_t>(QualKind::InList);
    q.source = static_cast<uint8_t>(QualSource::Const);
    q.nvalues = 3;
    FixedText<64> b;
    describe_qual(b, "status", q);
    EXPECT_EQ(b.view(), "status in const[3]");
    q.source = static_cast<uint8_t>(QualSource::None);
    q.nvalues = 0;
    FixedText<64> c;
    describe_qual(c, "", q);
    EXPECT_EQ(c.view(), "? in");
    // An arm of an OR over several columns names its OR.
    q.kind = static_cast<uint8_t>(QualKind::OrArm);
    q.source = static_cast<uint8_t>(QualSource::Param);
    q.nvalues = 2;
    FixedText<64> d;
    describe_qual(d, "title", q);
    EXPECT_EQ(d.view(), "title or_eq param of or 2");
}
