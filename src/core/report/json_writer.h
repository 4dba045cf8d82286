// Writes indented JSON (two spaces) member by member; used by the JSON report.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/report/json_reader.h"

namespace pg_advisor::report {

class JsonWriter {
  public:
    JsonWriter &begin_object();
    JsonWriter &end_object();
    JsonWriter &begin_array();
    JsonWriter &end_array();
    JsonWriter &key(std::string_view name);  // the next value is this member's
    JsonWriter &string(std::string_view text);
    JsonWriter &integer(int64_t n);
    JsonWriter &number(double v);  // null when not finite
    JsonWriter &boolean(bool b);
    JsonWriter &null();
    JsonWriter &value(const JsonValue &v);  // a parsed value, re-indented
    // Shorthands for a member.
    JsonWriter &field(std::string_view name, std::string_view text) {
        return key(name).string(text);
    }
    JsonWriter &field(std::string_view name, const char *text) { return key(name).string(text); }
    JsonWriter &field(std::string_view name, const std::string &text) {
        return key(name).string(text);
    }
    JsonWriter &field(std::string_view name, int64_t n) { return key(name).integer(n); }
    JsonWriter &field(std::string_view name, size_t n) {
        return key(name).integer(static_cast<int64_t>(n));
    }
    JsonWriter &field(std::string_view name, bool b) { return key(name).boolean(b); }
    JsonWriter &field(std::string_view name, double v) { return key(name).number(v); }
    std::string take();

  private:
    void before_value();
    JsonWriter &close(char bracket);
    void newline();
    std::string out_;
    std::vector<bool> first_;  // per open container: no element written yet
    bool after_key_ = false;
};

}  // namespace pg_advisor::report
