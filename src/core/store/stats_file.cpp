#include "core/store/stats_file.h"

#include <cstring>

#include "core/common/no_postgres.h"

namespace pg_advisor {
namespace {

constexpr char kMagic[8] = {'P', 'G', 'A', 'D', 'V', 'S', 'T', 'A'};
constexpr uint32_t kFormatVersion = 1;

struct FileHeader {
    char magic[8];
    uint32_t format_version;
    uint32_t pg_major;
    uint32_t nsections;
    uint32_t header_crc;  // of the fields above
};

struct SectionHeader {
    uint32_t id;
    uint32_t crc;  // of the payload
    uint64_t len;
};

struct Crc32cTable {
    uint32_t t[256];
    constexpr Crc32cTable() : t() {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            t[i] = c;
        }
    }
};
constexpr Crc32cTable kCrcTable;

uint32_t header_crc(const FileHeader &h) {
    return crc32c(&h, offsetof(FileHeader, header_crc));
}

}  // namespace

uint32_t crc32c(const void *data, size_t len, uint32_t crc) {
    const unsigned char *p = static_cast<const unsigned char *>(data);
    crc = ~crc;
    for (size_t i = 0; i < len; i++)
        crc = kCrcTable.t[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

size_t stats_file_size(const StatsSection *sections, size_t n) {
    size_t size = sizeof(FileHeader);
    for (size_t i = 0; i < n; i++)
        size += sizeof(SectionHeader) + sections[i].bytes.size();
    return size;
}

size_t encode_stats_file(uint32_t pg_major, const StatsSection *sections, size_t n, char *out) {
    FileHeader h;
    std::memset(&h, 0, sizeof h);
    std::memcpy(h.magic, kMagic, sizeof kMagic);
    h.format_version = kFormatVersion;
    h.pg_major = pg_major;
    h.nsections = static_cast<uint32_t>(n);
    h.header_crc = header_crc(h);
    size_t off = 0;
    std::memcpy(out, &h, sizeof h);
    off += sizeof h;
    for (size_t i = 0; i < n; i++) {
        SectionHeader sh{sections[i].id, crc32c(sections[i].bytes.data(), sections[i].bytes.size()),
                         sections[i].bytes.size()};
        std::memcpy(out + off, &sh, sizeof sh);
        off += sizeof sh;
        std::memcpy(out + off, sections[i].bytes.data(), sections[i].bytes.size());
        off += sections[i].bytes.size();
    }
    return off;
}

std::string_view DecodedStatsFile::find(uint32_t id) const {
    for (size_t i = 0; i < nsections; i++)
        if (sections[i].id == id) return sections[i].bytes;
    return {};
}

DecodedStatsFile decode_stats_file(std::string_view file, uint32_t pg_major) {
    DecodedStatsFile d;
    FileHeader h;
    if (file.size() < sizeof h) {
        d.error = "file is too short to be a pg_advisor statistics file";
        return d;
    }
    std::memcpy(&h, file.data(), sizeof h);
    if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) {
        d.error = "not a pg_advisor statistics file (bad magic number)";
        return d;
    }
    if (header_crc(h) != h.header_crc) {
        d.error = "header checksum mismatch";
        return d;
    }
    if (h.format_version != kFormatVersion) {
        d.error = "unsupported file format version";
        return d;
    }
    if (h.pg_major != pg_major) {
        d.error = "file was written by another PostgreSQL major version";
        return d;
    }
    if (h.nsections > kMaxStatsSections) {
        d.error = "too many sections";
        return d;
    }
    size_t off = sizeof h;
    for (uint32_t i = 0; i < h.nsections; i++) {
        SectionHeader sh;
        if (file.size() - off < sizeof sh) {
            d.error = "file is truncated";
            return d;
        }
        std::memcpy(&sh, file.data() + off, sizeof sh);
        off += sizeof sh;
        if (sh.len > file.size() - off) {
            d.error = "file is truncated";
            return d;
        }
        std::string_view bytes = file.substr(off, sh.len);
        if (crc32c(bytes.data(), bytes.size()) != sh.crc) {
            d.error = "section checksum mismatch";
            return d;
        }
        d.sections[d.nsections++] = {sh.id, bytes};
        off += sh.len;
    }
    if (off != file.size()) {
        d.error = "trailing bytes after the last section";
        return d;
    }
    d.ok = true;
    return d;
}

}  // namespace pg_advisor
