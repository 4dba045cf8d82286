#include "core/store/stats_file.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

using namespace pg_advisor;

namespace {

// File layout (see stats_file.cpp): a 24-byte header
//   magic[8] | format_version u32 | pg_major u32 | nsections u32 | header_crc u32
// where header_crc is the CRC-32C of the 20 bytes before it, then per section
//   id u32 | crc u32 | len u64 | payload.
constexpr size_t kHeaderSize = 24;
constexpr size_t kVersionAt = 8;
constexpr size_t kPgMajorAt = 12;
constexpr size_t kNSectionsAt = 16;
constexpr size_t kHeaderCrcAt = 20;
constexpr size_t kSectionHeaderSize = 16;

std::string encode(uint32_t pg_major, const std::vector<StatsSection> &sections) {
    std::string out(stats_file_size(sections.data(), sections.size()), '\0');
    size_t n = encode_stats_file(pg_major, sections.data(), sections.size(), &out[0]);
    EXPECT_EQ(n, out.size());
    return out;
}

uint32_t get32(const std::string &f, size_t at) {
    uint32_t v;
    std::memcpy(&v, f.data() + at, 4);
    return v;
}
void put32(std::string &f, size_t at, uint32_t v) {
    std::memcpy(&f[at], &v, 4);
}
void put64(std::string &f, size_t at, uint64_t v) {
    std::memcpy(&f[at], &v, 8);
}

// Rewrites a header field and recomputes the header checksum, as the writer does.
void edit_header(std::string &f, size_t at, uint32_t v) {
    put32(f, at, v);
    put32(f, kHeaderCrcAt, crc32c(f.data(), kHeaderCrcAt));
}

std::string error_of(const std::string &f, uint32_t pg_major = 17) {
    DecodedStatsFile d = decode_stats_file(f, pg_major);
    EXPECT_FALSE(d.ok);
    return d.error ? d.error : "(no error)";
}

class StatsFile : public ::testing::Test {
  protected:
    void SetUp() override {
        payload2_.assign(1000, '\0');
        for (size_t i = 0; i < payload2_.size(); i++)
            payload2_[i] = static_cast<char>(i * 13);
        good_ = encode(17, {{1, payload1_}, {7, payload2_}});
    }
    std::string payload1_ = "hello";
    std::string payload2_;
    std::string good_;
};

}  // namespace

TEST(Crc32c, KnownVectors) {
    EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u);
    EXPECT_EQ(crc32c("", 0), 0u);
    // RFC 3720 (iSCSI) appendix B.4 test vectors.
    std::vector<unsigned char> zeros(32, 0x00), ones(32, 0xFF), inc(32);
    for (int i = 0; i < 32; i++)
        inc[i] = static_cast<unsigned char>(i);
    EXPECT_EQ(crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);
    EXPECT_EQ(crc32c(ones.data(), ones.size()), 0x62A8AB43u);
    EXPECT_EQ(crc32c(inc.data(), inc.size()), 0x46DD794Eu);
}

TEST(Crc32c, CanBeComputedIncrementally) {
    uint32_t part = crc32c("1234", 4);
    EXPECT_EQ(crc32c("56789", 5, part), 0xE3069283u);
    EXPECT_EQ(crc32c("", 0, part), part);
}

TEST_F(StatsFile, Size) {
    StatsSection s[2] = {{1, payload1_}, {7, payload2_}};
    EXPECT_EQ(stats_file_size(s, 0), kHeaderSize);
    EXPECT_EQ(stats_file_size(s, 2), kHeaderSize + 2 * kSectionHeaderSize + 5 + 1000);
    EXPECT_EQ(good_.size(), kHeaderSize + 2 * kSectionHeaderSize + 5 + 1000);
}

TEST_F(StatsFile, HeaderBytes) {
    EXPECT_EQ(good_.substr(0, 8), "PGADVSTA");
    EXPECT_EQ(get32(good_, kVersionAt), 1u);
    EXPECT_EQ(get32(good_, kPgMajorAt), 17u);
    EXPECT_EQ(get32(good_, kNSectionsAt), 2u);
    EXPECT_EQ(get32(good_, kHeaderCrcAt), crc32c(good_.data(), kHeaderCrcAt));
    EXPECT_EQ(get32(good_, kHeaderSize), 1u);                      // first section id
    EXPECT_EQ(get32(good_, kHeaderSize + 4), crc32c("hello", 5));  // its checksum
    EXPECT_EQ(good_.substr(kHeaderSize + kSectionHeaderSize, 5), "hello");
}

TEST_F(StatsFile, RoundTrip) {
    DecodedStatsFile d = decode_stats_file(good_, 17);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.error, nullptr);
    ASSERT_EQ(d.nsections, 2u);
    EXPECT_EQ(d.sections[0].id, 1u);
    EXPECT_EQ(d.sections[0].bytes, payload1_);
    EXPECT_EQ(d.sections[1].id, 7u);
    EXPECT_EQ(d.sections[1].bytes, payload2_);
    // The sections point into the file image.
    EXPECT_EQ(d.sections[0].bytes.data(), good_.data() + kHeaderSize + kSectionHeaderSize);
}

TEST_F(StatsFile, Find) {
    DecodedStatsFile d = decode_stats_file(good_, 17);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.find(1), payload1_);
    EXPECT_EQ(d.find(7), payload2_);
    EXPECT_TRUE(d.find(2).empty());
    EXPECT_TRUE(d.find(0).empty());
    EXPECT_TRUE(DecodedStatsFile().find(1).empty());
}

TEST(StatsFileEdge, NoSectionsAndEmptySections) {
    std::string none = encode(16, {});
    EXPECT_EQ(none.size(), kHeaderSize);
    DecodedStatsFile d = decode_stats_file(none, 16);
    EXPECT_TRUE(d.ok);
    EXPECT_EQ(d.nsections, 0u);

    std::string empty = encode(16, {{3, ""}, {4, "x"}});
    d = decode_stats_file(empty, 16);
    ASSERT_TRUE(d.ok);
    ASSERT_EQ(d.nsections, 2u);
    EXPECT_EQ(d.find(3), "");
    EXPECT_EQ(d.find(4), "x");
}

TEST(StatsFileEdge, EightSectionsAreAllowed) {
    std::vector<std::string> payloads;
    for (int i = 0; i < 8; i++)
        payloads.push_back(std::string(static_cast<size_t>(i), 'a' + i));
    std::vector<StatsSection> sections;
    for (uint32_t i = 0; i < 8; i++)
        sections.push_back({100 + i, payloads[i]});
    std::string f = encode(15, sections);
    DecodedStatsFile d = decode_stats_file(f, 15);
    ASSERT_TRUE(d.ok);
    ASSERT_EQ(d.nsections, kMaxStatsSections);
    for (uint32_t i = 0; i < 8; i++)
        EXPECT_EQ(d.find(100 + i), payloads[i]);
}

TEST_F(StatsFile, RejectsTooShort) {
    EXPECT_EQ(error_of(""), "file is too short to be a pg_advisor statistics file");
    EXPECT_EQ(error_of(good_.substr(0, kHeaderSize - 1)),
              "file is too short to be a pg_advisor statistics file");
}

TEST_F(StatsFile, RejectsBadMagic) {
    std::string f = good_;
    f[0] = 'X';
    EXPECT_EQ(error_of(f), "not a pg_advisor statistics file (bad magic number)");
    f = good_;
    f[7] = 'B';
    EXPECT_EQ(error_of(f), "not a pg_advisor statistics file (bad magic number)");
    EXPECT_EQ(error_of(std::string(100, '\0')),
              "not a pg_advisor statistics file (bad magic number)");
}

TEST_F(StatsFile, RejectsHeaderChecksumMismatch) {
    std::string f = good_;
    put32(f, kPgMajorAt, 16);  // without recomputing the checksum
    EXPECT_EQ(error_of(f, 16), "header checksum mismatch");
    f = good_;
    f[kHeaderCrcAt] = static_cast<char>(f[kHeaderCrcAt] ^ 1);
    EXPECT_EQ(error_of(f), "header checksum mismatch");
}

TEST_F(StatsFile, RejectsOtherFormatVersion) {
    std::string f = good_;
    edit_header(f, kVersionAt, 2);
    EXPECT_EQ(error_of(f), "unsupported file format version");
    edit_header(f, kVersionAt, 0);
    EXPECT_EQ(error_of(f), "unsupported file format version");
    edit_header(f, kVersionAt, 1);  // sanity: the edit helper reproduces the writer
    EXPECT_TRUE(decode_stats_file(f, 17).ok);
}

TEST_F(StatsFile, RejectsOtherPgMajor) {
    EXPECT_EQ(error_of(good_, 16), "file was written by another PostgreSQL major version");
    EXPECT_EQ(error_of(good_, 18), "file was written by another PostgreSQL major version");
    EXPECT_TRUE(decode_stats_file(good_, 17).ok);
}

TEST_F(StatsFile, RejectsTooManySections) {
    std::vector<StatsSection> nine;
    for (uint32_t i = 0; i < 9; i++)
        nine.push_back({i, "p"});
    EXPECT_EQ(error_of(encode(17, nine)), "too many sections");
    std::string f = good_;
    edit_header(f, kNSectionsAt, 0xFFFFFFFFu);
    EXPECT_EQ(error_of(f), "too many sections");
}

TEST_F(StatsFile, RejectsTruncated) {
    // Cut inside the first section header, inside a payload, and one byte short.
    EXPECT_EQ(error_of(good_.substr(0, kHeaderSize)), "file is truncated");
    EXPECT_EQ(error_of(good_.substr(0, kHeaderSize + 8)), "file is truncated");
    EXPECT_EQ(error_of(good_.substr(0, kHeaderSize + kSectionHeaderSize + 2)), "file is truncated");
    EXPECT_EQ(error_of(good_.substr(0, good_.size() - 1)), "file is truncated");
    // The header announces more sections than the file holds.
    std::string f = good_;
    edit_header(f, kNSectionsAt, 3);
    EXPECT_EQ(error_of(f), "file is truncated");
    // A section length beyond the end (and one that would overflow an offset).
    f = good_;
    put64(f, kHeaderSize + 8, 6);
    EXPECT_EQ(error_of(f), "section checksum mismatch");  // 6 bytes exist, checksum differs
    put64(f, kHeaderSize + 8, good_.size());
    EXPECT_EQ(error_of(f), "file is truncated");
    put64(f, kHeaderSize + 8, UINT64_MAX);
    EXPECT_EQ(error_of(f), "file is truncated");
}

TEST_F(StatsFile, RejectsSectionChecksumMismatch) {
    std::string f = good_;
    size_t last_payload_byte = f.size() - 1;
    f[last_payload_byte] = static_cast<char>(f[last_payload_byte] ^ 0x40);
    EXPECT_EQ(error_of(f), "section checksum mismatch");
    f = good_;
    f[kHeaderSize + kSectionHeaderSize] = 'j';  // "jello"
    EXPECT_EQ(error_of(f), "section checksum mismatch");
    f = good_;
    put32(f, kHeaderSize + 4, get32(f, kHeaderSize + 4) + 1);  // the stored checksum itself
    EXPECT_EQ(error_of(f), "section checksum mismatch");
}

TEST_F(StatsFile, RejectsTrailingBytes) {
    EXPECT_EQ(error_of(good_ + "x"), "trailing bytes after the last section");
    std::string f = good_;
    edit_header(f, kNSectionsAt, 1);
    EXPECT_EQ(error_of(f), "trailing bytes after the last section");
    f = good_;
    edit_header(f, kNSectionsAt, 0);
    EXPECT_EQ(error_of(f), "trailing bytes after the last section");
}
