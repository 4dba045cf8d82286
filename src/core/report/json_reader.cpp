#include "core/report/json_reader.h"

#include <cstdlib>

#include "core/common/json.h"
#include "core/common/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

namespace {

class Parser {
  public:
    Parser(std::string_view text, int max_depth) : s_(text), max_depth_(max_depth) {}

    bool parse(JsonValue *out, std::string *error) {
        bool ok = value(out, 0);
        if (ok) {
            space();
            if (pos_ != s_.size()) ok = fail("unexpected text after the value");
        }
        if (!ok && error) *error = error_ + " at byte " + std::to_string(pos_);
        return ok;
    }

  private:
    bool fail(const char *message) {
        if (error_.empty()) error_ = message;
        return false;
    }
    void space() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            pos_++;
    }
    bool literal(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) return fail("invalid literal");
        pos_ += word.size();
        return true;
    }
    bool digits() {
        size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9')
            pos_++;
        return pos_ > start || fail("digit expected");
    }

    bool value(JsonValue *out, int depth) {
        if (depth > max_depth_) return fail("nesting too deep");
        space();
        if (pos_ >= s_.size()) return fail("value expected");
        char c = s_[pos_];
        *out = JsonValue{};
        switch (c) {
            case '{':
                return object(out, depth);
            case '[':
                return array(out, depth);
            case '"':
                out->type = JsonValue::Type::String;
                return string(&out->text);
            case 't':
                out->type = JsonValue::Type::Bool;
                out->boolean = true;
                return literal("true");
            case 'f':
                out->type = JsonValue::Type::Bool;
                return literal("false");
            case 'n':
                return literal("null");
            default:
                out->type = JsonValue::Type::Number;
                return number(&out->text);
        }
    }

    bool number(std::string *out) {
        size_t start = pos_;
        if (s_[pos_] == '-') pos_++;
        if (pos_ < s_.size() && s_[pos_] == '0') {
            pos_++;
        } else if (!digits()) {
            return false;
        }
        if (pos_ < s_.size() && s_[pos_] == '.') {
            pos_++;
            if (!digits()) return false;
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            pos_++;
            if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) pos_++;
            if (!digits()) return false;
        }
        *out = std::string(s_.substr(start, pos_ - start));
        return true;
    }

    bool hex4(unsigned *out) {
        if (pos_ + 4 > s_.size()) return fail("truncated \\u escape");
        unsigned v = 0;
        for (int i = 0; i < 4; i++) {
            char h = s_[pos_++];
            int d = h >= '0' && h <= '9'   ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                           : -1;
            if (d < 0) return fail("invalid \\u escape");
            v = v * 16 + static_cast<unsigned>(d);
        }
        *out = v;
        return true;
    }

    static void append_utf8(std::string *out, unsigned cp) {
        if (cp < 0x80) {
            out->push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }

    bool escape(std::string *out) {
        if (pos_ >= s_.size()) return fail("truncated escape");
        char e = s_[pos_++];
        static constexpr std::string_view kFrom = "\"\\/bfnrt", kTo = "\"\\/\b\f\n\r\t";
        size_t k = kFrom.find(e);
        if (k != std::string_view::npos) {
            out->push_back(kTo[k]);
            return true;
        }
        if (e != 'u') return fail("invalid escape");
        unsigned cp;
        if (!hex4(&cp)) return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("lone low surrogate");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned low;
            if (s_.substr(pos_, 2) != "\\u") return fail("lone high surrogate");
            pos_ += 2;
            if (!hex4(&low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return fail("invalid surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, cp);
        return true;
    }

    bool string(std::string *out) {
        pos_++;  // opening quote
        while (pos_ < s_.size()) {
            unsigned char c = static_cast<unsigned char>(s_[pos_]);
            if (c == '"') {
                pos_++;
                return true;
            }
            if (c < 0x20) return fail("control character in a string");
            if (c == '\\') {
                pos_++;
                if (!escape(out)) return false;
                continue;
            }
            size_t n = common::utf8_sequence(s_, pos_);
            if (n == 0) return fail("invalid UTF-8 in a string");
            out->append(s_.data() + pos_, n);
            pos_ += n;
        }
        return fail("unterminated string");
    }

    bool array(JsonValue *out, int depth) {
        out->type = JsonValue::Type::Array;
        pos_++;
        space();
        if (pos_ < s_.size() && s_[pos_] == ']') {
            pos_++;
            return true;
        }
        for (;;) {
            out->items.emplace_back();
            if (!value(&out->items.back(), depth + 1)) return false;
            space();
            if (pos_ >= s_.size()) return fail("unterminated array");
            char c = s_[pos_++];
            if (c == ']') return true;
            if (c != ',') return fail("',' or ']' expected");
        }
    }

    bool object(JsonValue *out, int depth) {
        out->type = JsonValue::Type::Object;
        pos_++;
        space();
        if (pos_ < s_.size() && s_[pos_] == '}') {
            pos_++;
            return true;
        }
        for (;;) {
            space();
            if (pos_ >= s_.size() || s_[pos_] != '"') return fail("member name expected");
            out->members.emplace_back();
            if (!string(&out->members.back().first)) return false;
            space();
            if (pos_ >= s_.size() || s_[pos_++] != ':') return fail("':' expected");
            if (!value(&out->members.back().second, depth + 1)) return false;
            space();
            if (pos_ >= s_.size()) return fail("unterminated object");
            char c = s_[pos_++];
            if (c == '}') return true;
            if (c != ',') return fail("',' or '}' expected");
        }
    }

    std::string_view s_;
    int max_depth_;
    size_t pos_ = 0;
    std::string error_;
};

void write(const JsonValue &v, std::string &out) {
    switch (v.type) {
        case JsonValue::Type::Null:
            out += "null";
            return;
        case JsonValue::Type::Bool:
            out += v.boolean ? "true" : "false";
            return;
        case JsonValue::Type::Number:
            out += v.text;
            return;
        case JsonValue::Type::String:
            json::append_quoted(out, v.text);
            return;
        case JsonValue::Type::Array:
            out += '[';
            for (size_t i = 0; i < v.items.size(); i++) {
                if (i) out += ',';
                write(v.items[i], out);
            }
            out += ']';
            return;
        case JsonValue::Type::Object:
            out += '{';
            for (size_t i = 0; i < v.members.size(); i++) {
                if (i) out += ',';
                json::append_quoted(out, v.members[i].first);
                out += ':';
                write(v.members[i].second, out);
            }
            out += '}';
            return;
    }
}

}  // namespace

const JsonValue *JsonValue::find(std::string_view name) const {
    for (const auto &[k, v] : members)
        if (k == name) return &v;
    return nullptr;
}

double JsonValue::number() const {
    return type == Type::Number ? std::strtod(text.c_str(), nullptr) : 0;
}

bool parse_json(std::string_view text, JsonValue *out, std::string *error, int max_depth) {
    return Parser(text, max_depth).parse(out, error);
}

std::string to_json(const JsonValue &value) {
    std::string out;
    write(value, out);
    return out;
}

}  // namespace pg_advisor::report
