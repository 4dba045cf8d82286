#include "core/review/rules/table_facts.h"

#include "core/review/rules/relation_facts.h"
#include "core/review/rules/rule_text.h"

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <ctime>

#include "core/common/no_postgres.h"

namespace pg_advisor::review::facts {

double block_size(const CatalogSnapshot &cat) {
    double b = cat.database.setting_number("block_size", 8192);
    return b > 0 ? b : 8192;
}

double table_bytes(const Table &t, double block) {
    return (std::max(t.relpages, 0.0) + std::max(t.toast_pages, 0.0)) * block;
}

double index_bytes(const Index &ix, double block) {
    return std::max(ix.pages, 0.0) * block;
}

double table_rows(const Table &t) {
    if (t.reltuples >= 0) return t.reltuples;
    if (t.stats.n_live_tup >= 0) return static_cast<double>(t.stats.n_live_tup);
    return 0;
}

bool is_user_table(const Table &t) {
    return relation::is_user_table(t);
}

bool is_designed_table(const Table &t) {
    return is_user_table(t) && !t.is_partition;
}

int64_t updates_and_deletes(const Table &t) {
    if (t.stats.n_tup_upd < 0 || t.stats.n_tup_del < 0) return -1;
    return t.stats.n_tup_upd + t.stats.n_tup_del;
}

int64_t writes(const Table &t) {
    int64_t ud = updates_and_deletes(t);
    if (ud < 0 || t.stats.n_tup_ins < 0) return -1;
    return ud + t.stats.n_tup_ins;
}

int64_t scans(const Table &t) {
    if (t.stats.seq_scan < 0) return -1;
    return t.stats.seq_scan + std::max<int64_t>(t.stats.idx_scan, 0);
}

const Column *column_at(const Table &t, int16_t attnum) {
    auto it = std::lower_bound(t.columns.begin(), t.columns.end(), attnum,
                               [](const Column &c, int16_t a) { return c.attnum < a; });
    if (it != t.columns.end() && it->attnum == attnum) return &*it;
    return t.column(attnum);  // columns not in attnum order (hand-built snapshots)
}

std::string column_name(const Table &t, int16_t attnum) {
    const Column *c = column_at(t, attnum);
    return c ? c->name : "#" + std::to_string(attnum);
}

std::string column_sql(const Table &t, int16_t attnum) {
    const Column *c = column_at(t, attnum);
    return c ? catalog::quote_ident(c->name) : "#" + std::to_string(attnum);
}

std::string column_list_sql(const Table &t, const std::vector<int16_t> &attnums) {
    std::string out;
    for (int16_t a : attnums) {
        if (!out.empty()) out += ", ";
        out += column_sql(t, a);
    }
    return out;
}

std::vector<std::string> column_names(const Table &t, const std::vector<int16_t> &attnums) {
    std::vector<std::string> out;
    for (int16_t a : attnums)
        out.push_back(column_name(t, a));
    return out;
}

std::string index_object(const Table &t, const Index &ix) {
    return catalog::qualified_name(t.schema, ix.name);
}

std::string column_object(const Table &t, const Column &c) {
    return t.qualified() + "." + catalog::quote_ident(c.name);
}

std::vector<std::string> key_names(const Table &t, const Index &ix) {
    std::vector<std::string> out;
    for (size_t k = 0; k < ix.keys.size(); k++) {
        if (ix.keys[k] != 0)
            out.push_back(column_name(t, ix.keys[k]));
        else if (k < ix.key_expressions.size() && !ix.key_expressions[k].empty())
            out.push_back("(" + ix.key_expressions[k] + ")");
        else
            out.push_back("?");
    }
    return out;
}

std::string human_bytes(double bytes) {
    return text::bytes(bytes);
}

std::string human_count(double n) {
    return text::count(n);
}

std::string human_percent(double fraction) {
    return text::percent(fraction);
}

std::string human_time(catalog::Micros t) {
    if (t == 0) return "";
    std::time_t s = static_cast<std::time_t>(t / 1000000);
    std::tm tm{};
    gmtime_r(&s, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

int64_t integer_type_max(uint32_t type_oid) {
    switch (type_oid) {
        case 21:
            return 32767;
        case 23:
            return 2147483647;
        case 20:
            return INT64_MAX;
        default:
            return 0;
    }
}

bool index_usable(const Index &ix) {
    return (ix.valid && ix.ready && ix.live) || ix.being_built;
}

namespace {

std::string set_key(std::vector<int16_t> columns) {
    std::sort(columns.begin(), columns.end());
    std::string key;
    for (int16_t c : columns)
        key += std::to_string(c) + ",";
    return key;
}

}  // namespace

LookupCoverage::LookupCoverage(const Table &t) {
    for (const Index &ix : t.indexes) {
        if (!index_usable(ix) || ix.partial) continue;
        size_t usable_keys = ix.am == "btree" ? ix.keys.size() : ix.am == "hash" ? 1 : 0;
        std::vector<int16_t> prefix;
        for (size_t k = 0; k < usable_keys && k < ix.keys.size() && ix.keys[k] != 0; k++) {
            prefix.push_back(ix.keys[k]);
            by_set_[set_key(prefix)].push_back(&ix);
        }
    }
}

const std::vector<const Index *> &LookupCoverage::covering(
    const std::vector<int16_t> &columns) const {
    static const std::vector<const Index *> none;
    auto it = by_set_.find(set_key(columns));
    return it == by_set_.end() ? none : it->second;
}

std::unordered_map<uint32_t, std::vector<const Table *>> partitions_by_parent(
    const CatalogSnapshot &cat) {
    std::unordered_map<uint32_t, std::vector<const Table *>> out;
    for (const Table &t : cat.tables)
        if (t.parent != 0) out[t.parent].push_back(&t);
    return out;
}

std::unordered_map<uint32_t, IndexRef> indexes_by_oid(const CatalogSnapshot &cat) {
    std::unordered_map<uint32_t, IndexRef> out;
    for (const Table &t : cat.tables)
        for (const Index &ix : t.indexes)
            out[ix.oid] = IndexRef{&t, &ix};
    return out;
}

namespace {

void add_totals(const Table &t,
                const std::unordered_map<uint32_t, std::vector<const Table *>> &partitions,
                double block, int depth, TableTotals *out) {
    auto it = partitions.find(t.oid);
    if (t.relkind == 'p' && it != partitions.end() && depth < 64) {
        for (const Table *part : it->second)
            add_totals(*part, partitions, block, depth + 1, out);
        return;
    }
    if (t.relkind == 'p') return;  // no partitions: nothing of its own
    out->rows += std::max(table_rows(t), 0.0);
    out->bytes += table_bytes(t, block);
    if (t.stats.n_tup_upd >= 0)
        out->updates = std::max<int64_t>(out->updates, 0) + t.stats.n_tup_upd;
    if (t.stats.n_tup_del >= 0)
        out->deletes = std::max<int64_t>(out->deletes, 0) + t.stats.n_tup_del;
}

}  // namespace

TableTotals table_totals(const Table &t,
                         const std::unordered_map<uint32_t, std::vector<const Table *>> &partitions,
                         double block) {
    TableTotals out;
    add_totals(t, partitions, block, 0, &out);
    return out;
}

std::unordered_map<uint32_t, std::vector<const Table *>> views_reading(const CatalogSnapshot &cat) {
    std::unordered_map<uint32_t, std::vector<const Table *>> out;
    for (const Table &v : cat.tables)
        for (uint32_t oid : v.view_reads)
            out[oid].push_back(&v);
    return out;
}

std::unordered_map<std::string, const Table *> tables_by_name(const CatalogSnapshot &cat) {
    std::unordered_map<std::string, const Table *> out;
    for (const Table &t : cat.tables)
        out[t.qualified()] = &t;
    return out;
}

}  // namespace pg_advisor::review::facts
