// Test harness for one review rule on a hand-built snapshot: build the catalog and workload,
// set thresholds, run the rule by id, look at its findings.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/catalog/catalog_snapshot.h"
#include "core/review/registry.h"
#include "core/workload/workload_snapshot.h"

namespace pg_advisor::review::testing {

struct RuleRun {
    catalog::CatalogSnapshot snap;
    workload::WorkloadSnapshot work;
    Settings settings;
    bool skipped = false;
    std::string skip_reason;

    RuleRun() {
        snap.database.name = "app";
        snap.database.server_version = "15.20";
        snap.database.server_version_num = 150020;
        snap.database.now = 1'800'000'000'000'000;  // 2027-01-15
        snap.database.current_user = "postgres";
        work.available = true;
        work.source = "pg_advisor";
        // References returned by table(), role() and policy() stay valid while a test builds.
        snap.tables.reserve(64);
        snap.roles.reserve(64);
        snap.policies.reserve(64);
    }

    // Runs the rule (the snapshot's lookups are rebuilt first).
    std::vector<Finding> run(const char *rule_id) {
        snap.index();
        const RuleInfo *rule = find_rule(rule_id);
        EXPECT_NE(rule, nullptr) << rule_id;
        if (rule == nullptr) return {};
        ReviewInput in{snap, work, settings};
        RuleContext cx(in, *rule);
        rule->run(cx);
        skipped = cx.skipped();
        skip_reason = cx.skip_reason();
        for (const Finding &f : cx.findings()) {
            EXPECT_EQ(f.rule, rule_id);
            EXPECT_FALSE(f.object.empty()) << rule_id;
            EXPECT_FALSE(f.title.empty()) << rule_id;
        }
        return cx.findings();
    }

    catalog::Table &table(uint32_t oid, const std::string &schema, const std::string &name,
                          char relkind = 'r') {
        catalog::Table t;
        t.oid = oid;
        t.schema = schema;
        t.name = name;
        t.relkind = relkind;
        t.owner = "owner";
        t.stats.present = true;
        snap.tables.push_back(t);
        return snap.tables.back();
    }

    catalog::Role &role(const std::string &name, bool login = true) {
        catalog::Role r;
        r.oid = static_cast<uint32_t>(16384 + snap.roles.size());
        r.name = name;
        r.login = login;
        snap.roles.push_back(r);
        return snap.roles.back();
    }

    catalog::Policy &policy(uint32_t table, const std::string &name, std::vector<std::string> roles,
                            std::string using_expr = "", char command = '*',
                            bool permissive = true) {
        catalog::Policy p;
        p.table = table;
        p.name = name;
        p.roles = std::move(roles);
        p.using_expr = std::move(using_expr);
        p.command = command;
        p.permissive = permissive;
        snap.policies.push_back(p);
        return snap.policies.back();
    }
};

inline catalog::Column column(int16_t attnum, const std::string &name,
                              const std::string &category = "S", double avg_width = 8) {
    catalog::Column c;
    c.attnum = attnum;
    c.name = name;
    c.type = category == "S" ? "text" : category == "B" ? "boolean" : "bigint";
    c.type_category = category;
    c.stats.present = true;
    c.stats.avg_width = avg_width;
    return c;
}

inline std::vector<std::string> objects(const std::vector<Finding> &fs) {
    std::vector<std::string> out;
    for (const Finding &f : fs)
        out.push_back(f.object);
    return out;
}

}  // namespace pg_advisor::review::testing
