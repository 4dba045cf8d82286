// The file pg_advisor writes at clean shutdown and reads back at start: a header (magic,
// format version, PostgreSQL major version) followed by checksummed sections, one per store.
// A file that is foreign, truncated, from another major version or corrupt is rejected as a
// whole with a reason, never half-loaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pg_advisor {

uint32_t crc32c(const void *data, size_t len, uint32_t crc = 0);

struct StatsSection {
    uint32_t id;
    std::string_view bytes;
};

constexpr size_t kMaxStatsSections = 8;

// Size of the file for these sections.
size_t stats_file_size(const StatsSection *sections, size_t n);
// Writes the file image into out (must hold stats_file_size bytes). Returns bytes written.
size_t encode_stats_file(uint32_t pg_major, const StatsSection *sections, size_t n, char *out);

struct DecodedStatsFile {
    bool ok = false;
    const char *error = nullptr;  // why the file was rejected (static string)
    size_t nsections = 0;
    StatsSection sections[kMaxStatsSections];
    std::string_view find(uint32_t id) const;
};
DecodedStatsFile decode_stats_file(std::string_view file, uint32_t pg_major);

}  // namespace pg_advisor
