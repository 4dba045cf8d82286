#include "cli/log/line_source.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace pg_advisor::cli::log {

LineSource LineSource::from_memory(std::string_view bytes) {
    LineSource s;
    s.in_memory_ = true;
    s.memory_ = bytes;
    return s;
}

LineSource::LineSource(LineSource &&o) noexcept
    : gz_(o.gz_),
      memory_(o.memory_),
      in_memory_(o.in_memory_),
      eof_(o.eof_),
      buf_(std::move(o.buf_)),
      begin_(o.begin_),
      end_(o.end_),
      long_line_(std::move(o.long_line_)),
      truncated_(o.truncated_),
      error_(std::move(o.error_)) {
    o.gz_ = nullptr;
}

LineSource::~LineSource() {
    if (gz_) gzclose(static_cast<gzFile>(gz_));
}

bool LineSource::open(const std::string &path) {
    gzFile f = path == "-" ? gzdopen(dup(STDIN_FILENO), "rb") : gzopen(path.c_str(), "rb");
    if (f == nullptr) {
        error_ = std::strerror(errno ? errno : ENOENT);
        return false;
    }
    gzbuffer(f, kBufferSize);
    gz_ = f;
    buf_.resize(kBufferSize);
    return true;
}

// Moves the unread bytes to the front and reads more after them; false when nothing came.
bool LineSource::fill() {
    if (eof_) return false;
    if (begin_ > 0) {
        std::memmove(&buf_[0], buf_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    int n =
        gzread(static_cast<gzFile>(gz_), &buf_[end_], static_cast<unsigned>(buf_.size() - end_));
    if (n <= 0) {
        int code = 0;
        const char *msg = gzerror(static_cast<gzFile>(gz_), &code);
        if (n < 0 || (code != Z_OK && code != Z_BUF_ERROR)) error_ = msg ? msg : "read error";
        eof_ = true;
        return false;
    }
    end_ += static_cast<size_t>(n);
    return true;
}

static std::string_view chomp(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

bool LineSource::next(std::string_view &line) {
    if (in_memory_) {
        if (memory_.empty()) return false;
        const char *nl =
            static_cast<const char *>(std::memchr(memory_.data(), '\n', memory_.size()));
        size_t len = nl ? static_cast<size_t>(nl - memory_.data()) : memory_.size();
        line = chomp(memory_.substr(0, len));
        if (line.size() > kMaxLine) {
            line = line.substr(0, kMaxLine);
            truncated_++;
        }
        memory_.remove_prefix(nl ? len + 1 : len);
        return true;
    }
    if (gz_ == nullptr) return false;
    long_line_.clear();
    bool cut = false;
    for (;;) {
        const char *start = buf_.data() + begin_;
        const char *nl = static_cast<const char *>(std::memchr(start, '\n', end_ - begin_));
        if (nl) {
            size_t len = static_cast<size_t>(nl - start);
            begin_ += len + 1;
            if (long_line_.empty() && !cut) {
                line = chomp(std::string_view(start, len));
                return true;
            }
            if (!cut) long_line_.append(start, std::min(len, kMaxLine - long_line_.size()));
            if (cut || long_line_.size() >= kMaxLine) truncated_++;
            line = chomp(long_line_);
            return true;
        }
        // No newline in the buffer: keep what fits of the partial line, read on.
        if (begin_ == 0 && end_ == buf_.size()) {
            size_t room = kMaxLine - long_line_.size();
            if (end_ > room) cut = true;
            long_line_.append(start, std::min(end_, room));
            begin_ = end_ = 0;
        }
        if (!fill()) {
            if (end_ > begin_) {
                if (!cut)
                    long_line_.append(buf_.data() + begin_,
                                      std::min(end_ - begin_, kMaxLine - long_line_.size()));
                begin_ = end_;
            }
            if (long_line_.empty() && !cut) return false;
            if (cut) truncated_++;
            line = chomp(long_line_);
            return true;
        }
    }
}

}  // namespace pg_advisor::cli::log
