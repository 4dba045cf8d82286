// Lines of a server log file, plain or gzip-compressed (zlib reads both), in bounded memory:
// one read buffer and one line at a time, a line longer than kMaxLine truncated.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pg_advisor::cli::log {

class LineSource {
  public:
    static constexpr size_t kBufferSize = 1 << 18;
    static constexpr size_t kMaxLine = 1 << 20;

    // A source over bytes already in memory (tests, the fuzzer).
    static LineSource from_memory(std::string_view bytes);
    // Opens path ("-" is standard input); returns false (with error()) when it cannot.
    bool open(const std::string &path);
    ~LineSource();
    LineSource() = default;
    LineSource(LineSource &&other) noexcept;
    LineSource(const LineSource &) = delete;
    LineSource &operator=(const LineSource &) = delete;

    // The next line without its '\n' (and without a '\r' before it); false at the end. The
    // view is valid until the next call.
    bool next(std::string_view &line);
    const std::string &error() const { return error_; }
    // Lines cut at kMaxLine so far.
    size_t truncated_lines() const { return truncated_; }

  private:
    bool fill();
    void *gz_ = nullptr;  // gzFile
    std::string_view memory_;
    bool in_memory_ = false;
    bool eof_ = false;
    std::string buf_;
    size_t begin_ = 0, end_ = 0;
    std::string long_line_;
    size_t truncated_ = 0;
    std::string error_;
};

}  // namespace pg_advisor::cli::log
