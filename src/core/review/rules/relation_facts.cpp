#include "core/review/rules/relation_facts.h"

#include <cstdlib>

#include "core/common/no_postgres.h"

namespace pg_advisor::review::relation {

namespace {

std::string lower(const std::string &s) {
    std::string out = s;
    for (char &c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Whether `word` is a non-empty prefix of `of` (the server accepts "tr" for true).
bool prefix_of(const std::string &word, const char *of) {
    return !word.empty() && std::string(of).compare(0, word.size(), word) == 0;
}

}  // namespace

std::optional<std::string> reloption(const catalog::Table &t, const std::string &name) {
    for (const std::string &opt : t.options) {
        size_t eq = opt.find('=');
        if (eq != std::string::npos && opt.compare(0, eq, name) == 0 && eq == name.size())
            return opt.substr(eq + 1);
    }
    return std::nullopt;
}

bool parse_pg_bool(const std::string &value, bool *out) {
    std::string v = lower(value);
    if (v == "1" || prefix_of(v, "true") || prefix_of(v, "yes") || v == "on") {
        *out = true;
        return true;
    }
    if (v == "0" || prefix_of(v, "false") || prefix_of(v, "no") || v == "off" || v == "of") {
        *out = false;
        return true;
    }
    return false;
}

bool reloption_bool(const catalog::Table &t, const std::string &name, bool fallback) {
    std::optional<std::string> v = reloption(t, name);
    bool b = fallback;
    return v && parse_pg_bool(*v, &b) ? b : fallback;
}

double reloption_number(const catalog::Table &t, const std::string &name, double fallback) {
    std::optional<std::string> v = reloption(t, name);
    if (!v || v->empty()) return fallback;
    char *end = nullptr;
    double d = std::strtod(v->c_str(), &end);
    return end && *end == '\0' ? d : fallback;
}

double table_rows(const catalog::Table &t) {
    if (t.reltuples >= 0) return t.reltuples;
    if (t.stats.present && t.stats.n_live_tup >= 0) return static_cast<double>(t.stats.n_live_tup);
    return -1;
}

bool is_user_table(const catalog::Table &t) {
    return (t.relkind == 'r' || t.relkind == 'p') && t.persistence != 't' && !t.extension_member;
}

}  // namespace pg_advisor::review::relation
