// A fixed-capacity text builder for messages and generated SQL: never allocates, never throws;
// text beyond the capacity is dropped and remembered as truncated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

namespace pg_advisor {

class TextBuffer {
  public:
    TextBuffer(char *data, size_t cap) : data_(data), cap_(cap) {
        if (cap_) data_[0] = '\0';
    }
    TextBuffer &add(std::string_view s) {
        for (char c : s)
            put(c);
        return *this;
    }
    TextBuffer &add(uint64_t v) {
        char buf[24];
        int n = std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(v));
        return add(std::string_view(buf, static_cast<size_t>(n)));
    }
    TextBuffer &add_int(int64_t v) {
        char buf[24];
        int n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
        return add(std::string_view(buf, static_cast<size_t>(n)));
    }
    void put(char c) {
        if (len_ + 1 < cap_) {
            data_[len_++] = c;
            data_[len_] = '\0';
        } else {
            truncated_ = true;
        }
    }
    std::string_view view() const { return {data_, len_}; }
    size_t size() const { return len_; }
    bool truncated() const { return truncated_; }
    const char *c_str() const { return data_; }

  private:
    char *data_;
    size_t cap_;
    size_t len_ = 0;
    bool truncated_ = false;
};

template <size_t N>
class FixedText : public TextBuffer {
  public:
    FixedText() : TextBuffer(storage_, N) {}
    FixedText(const FixedText &) = delete;
    FixedText &operator=(const FixedText &) = delete;

  private:
    char storage_[N];
};

}  // namespace pg_advisor
