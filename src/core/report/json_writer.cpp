#include "core/report/json_writer.h"

#include "core/common/json.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

void JsonWriter::newline() {
    out_ += '\n';
    out_.append(first_.size() * 2, ' ');
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    newline();
}

JsonWriter &JsonWriter::begin_object() {
    before_value();
    out_ += '{';
    first_.push_back(true);
    return *this;
}

JsonWriter &JsonWriter::close(char bracket) {
    bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_ += bracket;
    return *this;
}

JsonWriter &JsonWriter::end_object() {
    return close('}');
}

JsonWriter &JsonWriter::begin_array() {
    before_value();
    out_ += '[';
    first_.push_back(true);
    return *this;
}

JsonWriter &JsonWriter::end_array() {
    return close(']');
}

JsonWriter &JsonWriter::key(std::string_view name) {
    before_value();
    json::append_quoted(out_, name);
    out_ += ": ";
    after_key_ = true;
    return *this;
}

JsonWriter &JsonWriter::string(std::string_view text) {
    before_value();
    json::append_quoted(out_, text);
    return *this;
}

JsonWriter &JsonWriter::integer(int64_t n) {
    before_value();
    out_ += std::to_string(n);
    return *this;
}

JsonWriter &JsonWriter::number(double v) {
    before_value();
    out_ += json::number(v);
    return *this;
}

JsonWriter &JsonWriter::boolean(bool b) {
    before_value();
    out_ += b ? "true" : "false";
    return *this;
}

JsonWriter &JsonWriter::null() {
    before_value();
    out_ += "null";
    return *this;
}

JsonWriter &JsonWriter::value(const JsonValue &v) {
    switch (v.type) {
        case JsonValue::Type::Array:
            begin_array();
            for (const JsonValue &item : v.items)
                value(item);
            return end_array();
        case JsonValue::Type::Object:
            begin_object();
            for (const auto &[name, member] : v.members)
                key(name).value(member);
            return end_object();
        case JsonValue::Type::String:
            return string(v.text);
        default:
            before_value();
            out_ += to_json(v);
            return *this;
    }
}

std::string JsonWriter::take() {
    out_ += '\n';
    return std::move(out_);
}

}  // namespace pg_advisor::report
