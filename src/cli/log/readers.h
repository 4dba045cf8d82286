// Readers of the three log formats over a LineSource: each returns one LogRecord at a time in
// bounded memory (a record spanning lines is assembled up to kMaxRecord bytes). Lines that
// belong to no record (garbage, a prefix that does not match) are counted and skipped.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "cli/log/line_source.h"
#include "cli/log/log_record.h"
#include "cli/log/prefix.h"

namespace pg_advisor::cli::log {

enum class LogFormat { Auto, Stderr, Csv, Json };

class RecordReader {
  public:
    static constexpr size_t kMaxRecord = 4 << 20;
    virtual ~RecordReader() = default;
    // The next record; false at the end of the input.
    virtual bool next(LogRecord &rec) = 0;
    size_t skipped_lines() const { return skipped_; }

  protected:
    size_t skipped_ = 0;
};

// stderr format. With an empty prefix the first lines decide among common_prefixes().
class StderrReader : public RecordReader {
  public:
    StderrReader(LineSource &src, const std::string &prefix);
    bool next(LogRecord &rec) override;
    const PrefixMatcher &prefix() const { return matcher_; }
    bool prefix_ok() const { return prefix_ok_; }

  private:
    // A record's text: two sets, so that the line starting the next record is parsed once,
    // while the record returned last is still valid.
    struct Buffers {
        std::string session, user, db, app, severity, message;
        LogRecord rec;
    };
    bool next_line(std::string_view &line);
    void detect();
    bool start(std::string_view line, Buffers &b);
    LineSource &src_;
    PrefixMatcher matcher_;
    bool prefix_ok_ = true;
    // Lines read ahead while detecting the prefix.
    std::vector<std::string> ahead_;
    size_t ahead_pos_ = 0;
    Buffers bufs_[2];
    int cur_ = 0;
    bool have_current_ = false;  // bufs_[cur_] holds a record being assembled
    bool have_next_ = false;     // bufs_[cur_ ^ 1] holds the one that follows
};

class CsvReader : public RecordReader {
  public:
    explicit CsvReader(LineSource &src) : src_(src) {}
    bool next(LogRecord &rec) override;

  private:
    bool split(std::string_view record);
    LineSource &src_;
    std::string record_;
    std::vector<std::string> fields_;
};

class JsonReader : public RecordReader {
  public:
    explicit JsonReader(LineSource &src) : src_(src) {}
    bool next(LogRecord &rec) override;

  private:
    bool parse(std::string_view line, LogRecord &rec);
    LineSource &src_;
    std::string user_, db_, app_, session_, severity_, message_, detail_, key_, value_;
};

// Format from the file name (.csv, .json, before any .gz), else from the first line.
LogFormat guess_format(const std::string &path, std::string_view first_line);

// Opens the reader of the given (or guessed) format. The first line is peeked from a second
// LineSource over the same file by the caller (see analyze_log.cpp).
std::unique_ptr<RecordReader> make_reader(LogFormat format, LineSource &src,
                                          const std::string &prefix);

}  // namespace pg_advisor::cli::log
