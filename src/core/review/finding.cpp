#include "core/review/finding.h"

#include <cstdio>
#include <tuple>

#include "core/common/hash.h"
#include "core/common/json.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::review {

namespace {

constexpr std::string_view kSeverityNames[] = {"critical", "high", "medium", "low", "info"};
constexpr std::string_view kCategoryNames[] = {"indexing",  "schema",     "query",
                                               "migration", "operations", "security"};

}  // namespace

std::string_view severity_name(Severity s) {
    return kSeverityNames[static_cast<int>(s)];
}

std::string_view category_name(Category c) {
    return kCategoryNames[static_cast<int>(c)];
}

bool parse_severity(std::string_view name, Severity *out) {
    for (int i = 0; i < 5; i++)
        if (kSeverityNames[i] == name) {
            *out = static_cast<Severity>(i);
            return true;
        }
    return false;
}

bool parse_category(std::string_view name, Category *out) {
    for (int i = 0; i < 6; i++)
        if (kCategoryNames[i] == name) {
            *out = static_cast<Category>(i);
            return true;
        }
    return false;
}

Severity raise(Severity s, int steps) {
    int v = static_cast<int>(s) - steps;
    return static_cast<Severity>(v < 0 ? 0 : v > 4 ? 4 : v);
}

Severity lower(Severity s, int steps) {
    return raise(s, -steps);
}

Evidence &Evidence::add(std::string name, double value) {
    items_.emplace_back(std::move(name), json::number(value));
    return *this;
}

Evidence &Evidence::add(std::string name, int64_t value) {
    items_.emplace_back(std::move(name), std::to_string(value));
    return *this;
}

Evidence &Evidence::add(std::string name, std::string value) {
    items_.emplace_back(std::move(name), json::quote(value));
    return *this;
}

Evidence &Evidence::add(std::string name, bool value) {
    items_.emplace_back(std::move(name), value ? "true" : "false");
    return *this;
}

Evidence &Evidence::add(std::string name, const std::vector<std::string> &values) {
    std::string out = "[";
    for (size_t i = 0; i < values.size(); i++) {
        if (i) out += ", ";
        json::append_quoted(out, values[i]);
    }
    out += "]";
    items_.emplace_back(std::move(name), std::move(out));
    return *this;
}

Evidence &Evidence::add_json(std::string name, std::string json_text) {
    items_.emplace_back(std::move(name), std::move(json_text));
    return *this;
}

std::string Evidence::json() const {
    std::string out = "{";
    for (size_t i = 0; i < items_.size(); i++) {
        if (i) out += ", ";
        json::append_quoted(out, items_[i].first);
        out += ": ";
        out += items_[i].second;
    }
    out += "}";
    return out;
}

std::string Evidence::get(std::string_view name) const {
    for (const auto &[k, v] : items_)
        if (k == name) return v;
    return "";
}

std::string index_fix_key(const std::string &table, const std::vector<std::string> &keys,
                          const std::string &predicate) {
    std::string out = "index " + table + " (";
    for (size_t i = 0; i < keys.size(); i++)
        out += (i ? ", " : "") + keys[i];
    out += ")";
    if (!predicate.empty()) out += " WHERE " + predicate;
    return out;
}

std::string drop_index_fix_key(const std::string &index) {
    return "drop index " + index;
}

std::string widen_column_fix_key(const std::string &column) {
    return "widen " + column;
}

std::string finding_key(std::string_view rule, std::string_view object, std::string_view identity) {
    uint64_t h = hash_string(rule);
    h = hash_combine(h, hash_string(object));
    h = hash_combine(h, hash_string(identity));
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return std::string(rule) + ":" + buf;
}

bool ranks_before(const Finding &a, const Finding &b) {
    if (a.severity != b.severity) return a.severity < b.severity;
    if (a.impact != b.impact) return a.impact > b.impact;
    return std::tie(a.rule, a.object, a.finding_key) < std::tie(b.rule, b.object, b.finding_key);
}

}  // namespace pg_advisor::review
