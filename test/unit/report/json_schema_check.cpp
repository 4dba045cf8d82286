#include "json_schema_check.h"

#include <algorithm>

namespace pg_advisor::report::testing {

namespace {

using Type = JsonValue::Type;

const char *const kChecked[] = {"type",  "required", "properties", "additionalProperties",
                                "items", "enum",     "minimum",    "$ref"};
const char *const kIgnored[] = {"$schema", "$id",      "title",    "description",
                                "format",  "$comment", "examples", "$defs"};

bool listed(const char *const *begin, const char *const *end, const std::string &word) {
    return std::any_of(begin, end, [&word](const char *k) { return word == k; });
}

bool has_type(const JsonValue &v, const std::string &type) {
    switch (v.type) {
        case Type::Null:
            return type == "null";
        case Type::Bool:
            return type == "boolean";
        case Type::String:
            return type == "string";
        case Type::Array:
            return type == "array";
        case Type::Object:
            return type == "object";
        case Type::Number:
            if (type == "number") return true;
            return type == "integer" && v.text.find_first_of(".eE") == std::string::npos;
    }
    return false;
}

class Checker {
  public:
    explicit Checker(const JsonValue &root) : root_(root) {}

    void check(const JsonValue &v, const JsonValue &schema, const std::string &path) {
        if (const JsonValue *ref = schema.find("$ref")) {
            const JsonValue *target = resolve(ref->text);
            if (!target) {
                problems.push_back(path + ": cannot resolve " + ref->text);
                return;
            }
            check(v, *target, path);
        }
        if (!check_type(v, schema, path)) return;
        check_enum(v, schema, path);
        if (const JsonValue *min = schema.find("minimum"))
            if (v.is(Type::Number) && v.number() < min->number())
                problems.push_back(path + ": below the minimum " + min->text);
        if (v.is(Type::Object)) check_object(v, schema, path);
        if (v.is(Type::Array))
            if (const JsonValue *items = schema.find("items"))
                for (size_t i = 0; i < v.items.size(); i++)
                    check(v.items[i], *items, path + "[" + std::to_string(i) + "]");
    }

    std::vector<std::string> problems;

  private:
    const JsonValue *resolve(const std::string &ref) const {
        const std::string prefix = "#/$defs/";
        if (ref.rfind(prefix, 0) != 0) return nullptr;
        const JsonValue *defs = root_.find("$defs");
        return defs ? defs->find(ref.substr(prefix.size())) : nullptr;
    }

    bool check_type(const JsonValue &v, const JsonValue &schema, const std::string &path) {
        const JsonValue *type = schema.find("type");
        if (!type) return true;
        bool ok = false;
        if (type->is(Type::String)) ok = has_type(v, type->text);
        for (const JsonValue &t : type->items)
            ok = ok || has_type(v, t.text);
        if (!ok) problems.push_back(path + ": wrong type, want " + to_json(*type));
        return ok;
    }

    void check_enum(const JsonValue &v, const JsonValue &schema, const std::string &path) {
        const JsonValue *values = schema.find("enum");
        if (!values) return;
        std::string got = to_json(v);
        for (const JsonValue &e : values->items)
            if (to_json(e) == got) return;
        problems.push_back(path + ": " + got + " is not one of " + to_json(*values));
    }

    void check_object(const JsonValue &v, const JsonValue &schema, const std::string &path) {
        if (const JsonValue *required = schema.find("required"))
            for (const JsonValue &name : required->items)
                if (!v.find(name.text))
                    problems.push_back(path + ": required member \"" + name.text + "\" is missing");
        const JsonValue *properties = schema.find("properties");
        const JsonValue *additional = schema.find("additionalProperties");
        for (const auto &[name, member] : v.members) {
            const JsonValue *sub = properties ? properties->find(name) : nullptr;
            if (sub) {
                check(member, *sub, path + "." + name);
            } else if (additional && additional->is(Type::Bool) && !additional->boolean) {
                problems.push_back(path + ": member \"" + name + "\" is not in the schema");
            } else if (additional && additional->is(Type::Object)) {
                check(member, *additional, path + "." + name);
            }
        }
    }

    const JsonValue &root_;
};

void collect_unsupported(const JsonValue &schema, std::vector<std::string> &out) {
    if (!schema.is(Type::Object)) return;
    for (const auto &[name, value] : schema.members) {
        if (!listed(std::begin(kChecked), std::end(kChecked), name) &&
            !listed(std::begin(kIgnored), std::end(kIgnored), name))
            out.push_back(name);
        if (name == "properties" || name == "$defs") {
            for (const auto &member : value.members)
                collect_unsupported(member.second, out);
        } else if (name == "items" || name == "additionalProperties") {
            collect_unsupported(value, out);
        }
    }
}

}  // namespace

std::vector<std::string> check_schema(const JsonValue &instance, const JsonValue &schema) {
    Checker c(schema);
    c.check(instance, schema, "$");
    return c.problems;
}

std::vector<std::string> unsupported_keywords(const JsonValue &schema) {
    std::vector<std::string> out;
    collect_unsupported(schema, out);
    return out;
}

}  // namespace pg_advisor::report::testing
