// Hand-built catalog snapshots for the unit tests of the indexing and schema rules, and a
// runner that reviews one rule through the engine.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/catalog/catalog_snapshot.h"
#include "core/review/engine.h"
#include "core/review/registry.h"
#include "core/workload/workload_snapshot.h"

namespace pg_advisor::review::relation_test {

using catalog::CatalogSnapshot;
using catalog::Column;
using catalog::Constraint;
using catalog::Index;
using catalog::Sequence;
using catalog::Table;

constexpr int64_t kDay = 86400LL * 1000000;
constexpr double kMiB = 1024.0 * 1024;
constexpr double kGiB = 1024 * kMiB;

// Type oids the tests use.
constexpr uint32_t kInt2 = 21, kInt4 = 23, kInt8 = 20, kText = 25, kBool = 16, kJson = 114,
                   kVarchar = 1043, kBpchar = 1042, kTimestamp = 1114, kTimestamptz = 1184,
                   kFloat8 = 701, kMoney = 790, kInt4Array = 1007, kRegproc = 24, kOid = 26,
                   kRegclass = 2205, kDate = 1082;

class Builder {
  public:
    Builder() {
        snap_.database.server_version_num = 150000;
        snap_.database.now = 100 * kDay;
        snap_.database.postmaster_start = 50 * kDay;  // a 50-day statistics window
        snap_.database.settings["block_size"] = "8192";
        snap_.tables.reserve(64);  // references returned below stay valid
        snap_.constraints.reserve(64);
        snap_.sequences.reserve(64);
    }

    // A table with `rows` rows and pages for 100 rows per page (at least one).
    Table &table(const std::string &name, double rows, char relkind = 'r',
                 const std::string &schema = "public") {
        Table t;
        t.oid = next_oid_++;
        t.schema = schema;
        t.name = name;
        t.relkind = relkind;
        t.owner = "app";
        t.reltuples = rows;
        t.relpages = rows > 0 ? std::max(1.0, rows / 100) : 0;
        t.stats.present = true;
        t.stats.seq_scan = 0;
        t.stats.seq_tup_read = 0;
        t.stats.idx_scan = 0;
        t.stats.n_tup_ins = 0;
        t.stats.n_tup_upd = 0;
        t.stats.n_tup_del = 0;
        t.stats.n_tup_hot_upd = 0;
        t.stats.n_live_tup = static_cast<int64_t>(rows);
        snap_.tables.push_back(t);
        // References to columns and indexes returned below stay valid while adding more.
        snap_.tables.back().columns.reserve(256);
        snap_.tables.back().indexes.reserve(32);
        EXPECT_LE(snap_.tables.size(), 64u) << "the builder holds 64 tables";
        return snap_.tables.back();
    }

    Column &column(Table &t, const std::string &name, uint32_t type_oid, bool not_null = false) {
        Column c;
        c.attnum = static_cast<int16_t>(t.columns.size() + 1);
        c.name = name;
        c.type_oid = type_oid;
        c.not_null = not_null;
        describe_type(c);
        t.columns.push_back(c);
        return t.columns.back();
    }

    // A valid btree index on columns by name ("(expr)" for an expression key).
    Index &index(Table &t, const std::string &name, const std::vector<std::string> &keys,
                 double bytes = 8192) {
        Index ix;
        ix.oid = next_oid_++;
        ix.name = name;
        ix.am = "btree";
        ix.relkind = t.relkind == 'p' ? 'I' : 'i';
        for (const std::string &k : keys) {
            if (!k.empty() && k[0] == '(') {
                ix.keys.push_back(0);
                ix.key_expressions.push_back(k.substr(1, k.size() - 2));
            } else {
                const Column *c = t.column(k);
                EXPECT_NE(c, nullptr) << "no column " << k << " in " << t.name;
                ix.keys.push_back(c ? c->attnum : 0);
                ix.key_expressions.push_back("");
            }
            ix.opclasses.push_back("");
            ix.default_opclass.push_back(true);
            ix.collations.push_back("");
            ix.descending.push_back(false);
            ix.nulls_first.push_back(false);
        }
        bool has_expr = false;
        for (const std::string &e : ix.key_expressions)
            if (!e.empty()) {
                ix.expressions += (ix.expressions.empty() ? "" : ", ") + e;
                has_expr = true;
            }
        if (!has_expr) ix.key_expressions.clear();
        ix.definition = "CREATE INDEX " + name + " ON " + t.qualified() + " USING btree (...)";
        ix.pages = bytes / 8192;
        ix.tuples = t.reltuples;
        ix.scans = 0;
        t.indexes.push_back(ix);
        return t.indexes.back();
    }

    Constraint &fk(const Table &child, const std::string &name, const std::vector<int16_t> &cols,
                   const Table &parent, const std::vector<int16_t> &ref_cols) {
        Constraint c;
        c.oid = next_oid_++;
        c.name = name;
        c.type = 'f';
        c.table = child.oid;
        c.columns = cols;
        c.ref_table = parent.oid;
        c.ref_columns = ref_cols;
        c.definition = "FOREIGN KEY (...) REFERENCES " + parent.name + "(...)";
        snap_.constraints.push_back(c);
        return snap_.constraints.back();
    }

    Constraint &constraint(const Table &t, const std::string &name, char type,
                           const std::vector<int16_t> &cols, const std::string &definition) {
        Constraint c;
        c.oid = next_oid_++;
        c.name = name;
        c.type = type;
        c.table = t.oid;
        c.columns = cols;
        c.definition = definition;
        snap_.constraints.push_back(c);
        return snap_.constraints.back();
    }

    Sequence &sequence(const std::string &name, const std::string &type, int64_t max_value) {
        Sequence s;
        s.oid = next_oid_++;
        s.schema = "public";
        s.name = name;
        s.type = type;
        s.min_value = 1;
        s.max_value = max_value;
        snap_.sequences.push_back(s);
        return snap_.sequences.back();
    }

    catalog::Database &database() { return snap_.database; }
    // The snapshot with its lookups built (call after the last change).
    const CatalogSnapshot &done() {
        snap_.index();
        return snap_;
    }

  private:
    static void describe_type(Column &c) {
        struct T {
            uint32_t oid;
            const char *name;
            const char *category;
            int16_t len;
        };
        static const T types[] = {{kInt2, "smallint", "N", 2},
                                  {kInt4, "integer", "N", 4},
                                  {kInt8, "bigint", "N", 8},
                                  {kText, "text", "S", -1},
                                  {kBool, "boolean", "B", 1},
                                  {kJson, "json", "U", -1},
                                  {kVarchar, "character varying", "S", -1},
                                  {kBpchar, "character", "S", -1},
                                  {kTimestamp, "timestamp without time zone", "D", 8},
                                  {kTimestamptz, "timestamp with time zone", "D", 8},
                                  {kDate, "date", "D", 4},
                                  {kFloat8, "double precision", "N", 8},
                                  {kMoney, "money", "N", 8},
                                  {kInt4Array, "integer[]", "A", -1},
                                  {kRegproc, "regproc", "N", 4},
                                  {kRegclass, "regclass", "N", 4},
                                  {kOid, "oid", "N", 4}};
        for (const T &t : types)
            if (t.oid == c.type_oid) {
                c.type = t.name;
                c.type_category = t.category;
                c.typlen = t.len;
            }
    }

    CatalogSnapshot snap_;
    uint32_t next_oid_ = 16384;
};

struct RuleRun {
    std::vector<Finding> findings;
    bool ran = false;
    std::string reason;  // why it did not run
};

inline RuleRun run_rule(const char *rule, const CatalogSnapshot &cat,
                        const Settings &settings = Settings(),
                        const workload::WorkloadSnapshot &workload = workload::WorkloadSnapshot()) {
    ReviewInput in{cat, workload, settings};
    ReviewOptions options;
    options.now = cat.database.now;
    options.only_rules = {rule};
    ReviewResult r = run_review(in, options);
    RuleRun out;
    for (const RuleOutcome &o : r.outcomes)
        if (o.rule && std::string(o.rule->id) == rule) {
            out.ran = o.ran;
            out.reason = o.reason;
        }
    out.findings = std::move(r.findings);
    return out;
}

// The findings the rule itself adds, before the engine keys, merges and ranks them.
inline std::vector<Finding> raw_findings(const char *rule, const CatalogSnapshot &cat,
                                         const Settings &settings = Settings()) {
    workload::WorkloadSnapshot workload;
    ReviewInput in{cat, workload, settings};
    const RuleInfo *info = find_rule(rule);
    EXPECT_NE(info, nullptr) << rule;
    if (info == nullptr) return {};
    RuleContext cx(in, *info);
    info->run(cx);
    return cx.findings();
}

// The finding on `object` (and `identity` when given), or null.
inline const Finding *find(const RuleRun &r, const std::string &object,
                           const char *identity = nullptr) {
    for (const Finding &f : r.findings)
        if (f.object == object && (identity == nullptr || f.identity == identity)) return &f;
    return nullptr;
}

}  // namespace pg_advisor::review::relation_test
