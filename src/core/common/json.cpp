#include "core/common/json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/common/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::json {

void append_quoted(std::string &out, std::string_view text) {
    out.push_back('"');
    for (size_t i = 0; i < text.size();) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        switch (c) {
            case '"':
                out += "\\\"";
                i++;
                continue;
            case '\\':
                out += "\\\\";
                i++;
                continue;
            case '\n':
                out += "\\n";
                i++;
                continue;
            case '\r':
                out += "\\r";
                i++;
                continue;
            case '\t':
                out += "\\t";
                i++;
                continue;
            default:
                break;
        }
        if (c < 0x20 || c == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
            i++;
            continue;
        }
        size_t n = common::utf8_sequence(text, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD
            i++;
            continue;
        }
        out.append(text.data() + i, n);
        i += n;
    }
    out.push_back('"');
}

std::string quote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    append_quoted(out, text);
    return out;
}

std::string number(double value) {
    if (!std::isfinite(value)) return "null";
    if (value == std::floor(value) && std::fabs(value) < 1e15) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.0f", value);
        return std::string(buf) == "-0" ? "0" : buf;
    }
    char buf[40];
    for (int precision = 6; precision <= 17; precision++) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, value);
        if (std::strtod(buf, nullptr) == value) break;
    }
    return buf;
}

}  // namespace pg_advisor::json
