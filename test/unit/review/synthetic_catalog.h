// A synthetic catalog of `tables` tables (10 columns, 3 indexes, a foreign key and a serial
// sequence each, with statistics and a few defects), to measure how the indexing and schema
// rules scale (unit test and benchmark).
#pragma once

#include <string>

#include "core/catalog/catalog_snapshot.h"

namespace pg_advisor::review::synthetic {

inline catalog::CatalogSnapshot catalog_of(int tables) {
    using namespace catalog;
    CatalogSnapshot snap;
    snap.database.server_version_num = 150000;
    snap.database.now = 100LL * 86400 * 1000000;
    snap.database.postmaster_start = 10LL * 86400 * 1000000;
    snap.database.settings["block_size"] = "8192";
    snap.tables.reserve(static_cast<size_t>(tables));
    uint32_t oid = 100000;
    const struct {
        const char *name;
        uint32_t type;
        const char *type_name;
        const char *category;
    } cols[] = {{"id", 20, "bigint", "N"},       {"parent_id", 20, "bigint", "N"},
                {"a", 23, "integer", "N"},       {"b", 25, "text", "S"},
                {"c", 1184, "timestamptz", "D"}, {"d", 1700, "numeric", "N"},
                {"e", 16, "boolean", "B"},       {"f", 23, "integer", "N"},
                {"g", 25, "text", "S"},          {"h", 3802, "jsonb", "U"}};
    for (int i = 0; i < tables; i++) {
        Table t;
        t.oid = oid++;
        t.schema = "s" + std::to_string(i % 10);
        t.name = "t" + std::to_string(i);
        t.owner = "app";
        t.reltuples = 50000 + i;
        t.relpages = 500;
        for (int c = 0; c < 10; c++) {
            Column col;
            col.attnum = static_cast<int16_t>(c + 1);
            col.name = cols[c].name;
            col.type_oid = cols[c].type;
            col.type = cols[c].type_name;
            col.type_category = cols[c].category;
            col.not_null = c == 0;
            col.stats.present = true;
            col.stats.avg_width = 8;
            col.stats.n_distinct = c == 6 ? 2 : -0.5;
            col.stats.null_frac = c == 8 ? 0.7 : 0;
            t.columns.push_back(col);
        }
        auto index = [&](const std::string &name, std::vector<int16_t> keys, bool primary) {
            Index ix;
            ix.oid = oid++;
            ix.name = name;
            ix.am = "btree";
            ix.keys = keys;
            ix.opclasses.assign(keys.size(), "int8_ops");
            ix.default_opclass.assign(keys.size(), true);
            ix.collations.assign(keys.size(), "");
            ix.descending.assign(keys.size(), false);
            ix.nulls_first.assign(keys.size(), false);
            ix.primary = ix.unique = primary;
            ix.pages = 150;
            ix.tuples = t.reltuples;
            ix.scans = primary ? 1000 : i % 7 == 0 ? 0 : 20;
            ix.definition = "CREATE INDEX " + name + " ON " + t.qualified() + " USING btree (...)";
            t.indexes.push_back(ix);
        };
        index(t.name + "_pkey", {1}, true);
        if (i % 10 != 0) index(t.name + "_parent_id_idx", {2}, false);  // every 10th: no FK index
        index(t.name + "_a_f_idx", {3, 8}, false);
        if (i % 20 == 0) index(t.name + "_a_idx", {3}, false);       // prefix of (a, f)
        if (i % 25 == 0) index(t.name + "_a_f_dup", {3, 8}, false);  // duplicate
        t.stats.present = true;
        t.stats.seq_scan = i % 5 == 0 ? 500 : 2;
        t.stats.seq_tup_read = t.stats.seq_scan * 50000;
        t.stats.idx_scan = 2000;
        t.stats.n_tup_ins = 50000;
        t.stats.n_tup_upd = 20000;
        t.stats.n_tup_del = 100;
        t.stats.n_tup_hot_upd = i % 3 == 0 ? 100 : 15000;
        t.stats.n_live_tup = 50000;
        snap.tables.push_back(t);
        if (i > 0) {
            Constraint fk;
            fk.oid = oid++;
            fk.name = t.name + "_parent_id_fkey";
            fk.type = 'f';
            fk.table = t.oid;
            fk.columns = {2};
            fk.ref_table = snap.tables[static_cast<size_t>(i - 1)].oid;
            fk.ref_columns = {1};
            fk.definition = "FOREIGN KEY (parent_id) REFERENCES ...";
            snap.constraints.push_back(fk);
        }
        Sequence s;
        s.oid = oid++;
        s.schema = t.schema;
        s.name = t.name + "_id_seq";
        s.type = "bigint";
        s.max_value = INT64_MAX;
        s.owned_by_table = t.oid;
        s.owned_by_column = 1;
        snap.sequences.push_back(s);
    }
    snap.index();
    return snap;
}

}  // namespace pg_advisor::review::synthetic
