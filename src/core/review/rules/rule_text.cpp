#include "core/review/rules/rule_text.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::text {

std::string comma(const std::vector<std::string> &items) {
    std::string out;
    for (const std::string &s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string join_words(const std::vector<std::string> &items, std::string_view last) {
    std::string out;
    for (size_t i = 0; i < items.size(); i++) {
        if (i > 0) out += i + 1 == items.size() ? " " + std::string(last) + " " : ", ";
        out += items[i];
    }
    return out;
}

std::string squash_space(std::string_view in) {
    std::string out;
    bool space = false;
    for (char c : in) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::string shorten(std::string_view in, size_t max) {
    std::string s = squash_space(in);
    if (s.size() <= max) return s;
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        cut--;
    return s.substr(0, cut) + "...";
}

}  // namespace pg_advisor::review::text
