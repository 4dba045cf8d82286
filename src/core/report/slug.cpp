#include "core/report/slug.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "core/common/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

namespace {

// ASCII spellings of the Latin-1 supplement letters (U+00C0 .. U+00FF), lowercase; "" for the
// multiplication and division signs.
constexpr const char *kLatin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

// Splits a qualified name at the dots outside double quotes, removing the quotes ("" inside
// quotes stands for one quote).
std::vector<std::string> name_parts(std::string_view object) {
    std::vector<std::string> parts(1);
    bool quoted = false;
    for (size_t i = 0; i < object.size(); i++) {
        char c = object[i];
        if (c == '"') {
            if (quoted && i + 1 < object.size() && object[i + 1] == '"') {
                parts.back() += '"';
                i++;
            } else {
                quoted = !quoted;
            }
        } else if (c == '.' && !quoted) {
            parts.emplace_back();
        } else {
            parts.back() += c;
        }
    }
    return parts;
}

// Appends the slug spelling of text: letters and digits lowercased, everything else a hyphen
// (runs collapsed).
void append_words(std::string &out, std::string_view text) {
    auto separate = [&out] {
        if (!out.empty() && out.back() != '-') out += '-';
    };
    for (size_t i = 0; i < text.size();) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        size_t n = common::utf8_sequence(text, i);
        if (n == 0) n = 1;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out += static_cast<char>(c);
        } else if (c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c - 'A' + 'a');
        } else if (n == 2 && (c == 0xC3)) {
            const char *ascii = kLatin1[static_cast<unsigned char>(text[i + 1]) - 0x80];
            if (*ascii) {
                out += ascii;
            } else {
                separate();
            }
        } else {
            separate();
        }
        i += n;
    }
}

std::string trim_to(std::string slug, size_t cap) {
    if (slug.size() > cap) {
        size_t cut = slug.rfind('-', cap);
        slug.resize(cut != std::string::npos && cut >= cap / 2 ? cut : cap);
    }
    while (!slug.empty() && slug.back() == '-')
        slug.pop_back();
    return slug;
}

}  // namespace

std::string finding_slug(std::string_view rule, std::string_view object) {
    std::string slug;
    append_words(slug, rule);
    std::vector<std::string> parts = name_parts(object);
    for (size_t i = 0; i < parts.size(); i++) {
        if (i == 0 && parts.size() > 1 && parts[0] == "public") continue;
        if (!slug.empty() && slug.back() != '-') slug += '-';
        append_words(slug, parts[i]);
    }
    size_t start = slug.find_first_not_of('-');
    slug = trim_to(start == std::string::npos ? "" : slug.substr(start), kMaxSlugLength);
    return slug.empty() ? "finding" : slug;
}

std::string SlugSet::unique(std::string slug) {
    std::string candidate = slug;
    for (int n = 2; !used_.insert(candidate).second; n++) {
        std::string suffix = "-" + std::to_string(n);
        candidate = trim_to(slug, kMaxSlugLength - suffix.size()) + suffix;
    }
    return candidate;
}

std::string export_basename(std::string_view date) {
    return "database-review-" + std::string(date);
}

std::string finding_file_name(size_t number, std::string_view slug) {
    return fmt::format("finding-{:03d}-{}.md", number, slug);
}

}  // namespace pg_advisor::report
