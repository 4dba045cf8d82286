// IDX-06 invalid_index (leftovers of failed CREATE INDEX / REINDEX CONCURRENTLY) and IDX-08
// index_bloat (btree indexes much larger than CREATE INDEX would build them today).
#include <algorithm>
#include <cstdlib>

#include "core/indexes/btree_size.h"
#include "core/review/rules/index_ddl.h"
#include "core/review/rules/index_rules.h"
#include "core/review/rules/table_facts.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::rules {

namespace {

using catalog::Index;
using catalog::Table;

// REINDEX CONCURRENTLY's temporary copies: <name>_ccnew[N] (the new one) and _ccold[N].
bool reindex_leftover(const std::string &name) {
    for (const char *suffix : {"_ccnew", "_ccold"}) {
        size_t at = name.rfind(suffix);
        if (at == std::string::npos || at == 0) continue;
        size_t digits = at + 6;
        bool only_digits = true;
        for (size_t i = digits; i < name.size(); i++)
            only_digits = only_digits && name[i] >= '0' && name[i] <= '9';
        if (only_digits) return true;
    }
    return false;
}

void report_invalid(RuleContext &cx, const Table &t, const Index &ix, double high_bytes) {
    double bytes = facts::index_bytes(ix, facts::block_size(cx.catalog()));
    bool leftover = reindex_leftover(ix.name);
    bool maintained = ix.ready && ix.live;  // writes still go to it
    Finding f = cx.make("index", facts::index_object(t, ix), ix.name);
    f.severity =
        (ix.unique && maintained) || bytes >= high_bytes ? Severity::High : Severity::Medium;
    f.title = "Index " + ix.name + " on " + t.qualified() + " is INVALID";
    f.evidence.add("index", ix.name)
        .add("indisvalid", ix.valid)
        .add("indisready", ix.ready)
        .add("indislive", ix.live)
        .add("unique", ix.unique)
        .add("index_bytes", bytes)
        .add("reindex_leftover", leftover)
        .add("definition", ddl::index_definition(t, ix));
    f.impact = bytes;
    f.impact_unit = "bytes";
    f.current_state = ddl::index_definition(t, ix) + " -- indisvalid = false";
    f.why = std::string("The planner never uses an invalid index") +
            (maintained ? ", but every write still updates it" : "") +
            (ix.unique && maintained ? ", and as a unique index it still rejects duplicates" : "") +
            ". It is what a failed or cancelled CREATE INDEX CONCURRENTLY or REINDEX "
            "CONCURRENTLY leaves behind, and re-running the same migration then fails because "
            "the name is taken.";
    if (leftover) {
        f.recommendation =
            "Drop it: it is the temporary copy of an interrupted REINDEX "
            "CONCURRENTLY; the original index is still there.";
        f.fix_sql = ddl::drop_index(t, ix);
        f.fix_key = drop_index_fix_key(facts::index_object(t, ix));
        f.undo_sql = "";
    } else {
        f.recommendation =
            "Rebuild it (REINDEX INDEX CONCURRENTLY), or drop it if nothing "
            "needs it. For a unique index, remove the duplicate rows that made the "
            "build fail first.";
        f.fix_sql = cx.catalog().database.server_version_num >= 120000 ||
                            cx.catalog().database.server_version_num == 0
                        ? "REINDEX INDEX CONCURRENTLY " + facts::index_object(t, ix) + ";"
                        : ddl::drop_index(t, ix) + "\n" + ddl::recreate_index(t, ix);
        f.undo_sql = "";
    }
    f.steps = {
        "Find out why the build failed (server log: lock timeout, cancel, deadlock, "
        "unique violation) and fix that first.",
        "Run the statement outside a transaction block, with a lock_timeout long enough "
        "to wait for older transactions.",
        "If the rebuild fails again, drop the index with DROP INDEX CONCURRENTLY before "
        "the next attempt."};
    f.verify = "SELECT indisvalid FROM pg_index WHERE indexrelid = " +
               catalog::quote_literal(facts::index_object(t, ix)) + "::regclass; returns true" +
               (leftover ? " (or no row once dropped)." : ".");
    cx.add(std::move(f));
}

}  // namespace

void invalid_index(RuleContext &cx) {
    double high_bytes = cx.threshold("invalid_index_high_bytes");
    for (const Table &t : cx.catalog().tables) {
        if (t.extension_member) continue;
        for (const Index &ix : t.indexes) {
            // Partitioned indexes are invalid by design until every partition has its index.
            if (ix.relkind == 'I' || ix.being_built) continue;
            if (!ix.valid || !ix.ready || !ix.live) report_invalid(cx, t, ix, high_bytes);
        }
    }
}

// ---- index_bloat

namespace {

struct BloatLimits {
    double min_bytes;
    double min_percent;
    double high_percent;
};

// Bytes of one entry's key and INCLUDE values from pg_stats (typlen when fixed width and no
// statistics); -1 when a column's width is unknown (expressions, no statistics).
double entry_width(const Table &t, const Index &ix) {
    double width = 0;
    auto add = [&](int16_t attnum) {
        const catalog::Column *c = attnum ? facts::column_at(t, attnum) : nullptr;
        if (c == nullptr) return false;
        if (c->stats.present && c->stats.avg_width > 0)
            width += c->stats.avg_width;
        else if (c->typlen > 0)
            width += c->typlen;
        else
            return false;
        return true;
    };
    for (int16_t k : ix.keys)
        if (!add(k)) return -1;
    for (int16_t k : ix.include)
        if (!add(k)) return -1;
    return width;
}

// Distinct keys for deduplication: single-key non-unique btree without INCLUDE only.
double distinct_keys(const Table &t, const Index &ix, double rows) {
    if (ix.unique || ix.keys.size() != 1 || !ix.include.empty()) return 0;
    const catalog::Column *c = facts::column_at(t, ix.keys[0]);
    if (c == nullptr || !c->stats.present) return 0;
    double nd = c->stats.n_distinct;
    return nd > 0 ? nd : nd < 0 ? -nd * rows : 0;
}

double fillfactor(const Index &ix) {
    for (const std::string &o : ix.options)
        if (o.compare(0, 11, "fillfactor=") == 0) {
            double v = std::atof(o.c_str() + 11);
            if (v >= 10 && v <= 100) return v;
        }
    return 90;  // btree default
}

void report_bloat(RuleContext &cx, const Table &t, const Index &ix, double actual, double expected,
                  double tuples, double width, const BloatLimits &l) {
    double waste = actual - expected;
    double pct = waste / actual * 100;
    Finding f = cx.make("index", facts::index_object(t, ix), ix.name);
    f.severity = pct >= l.high_percent ? Severity::High : Severity::Medium;
    f.title = "Index " + ix.name + " is about " + facts::human_percent(pct / 100) +
              " wasted space (" + facts::human_bytes(waste) + " of " + facts::human_bytes(actual) +
              ")";
    f.evidence.add("index", ix.name)
        .add("index_bytes", actual)
        .add("expected_bytes", expected)
        .add("bloat_bytes", waste)
        .add("bloat_percent", pct)
        .add("index_tuples", tuples)
        .add("entry_data_bytes", width)
        .add("fillfactor", fillfactor(ix))
        .add("model", "what CREATE INDEX builds from the table statistics (btree_size.h)")
        .add("min_bytes", l.min_bytes)
        .add("min_percent", l.min_percent);
    f.impact = waste;
    f.impact_unit = "bytes";
    f.recommendation =
        "Rebuild " + ix.name + " with REINDEX INDEX CONCURRENTLY: it would be about " +
        facts::human_bytes(expected) + " instead of " + facts::human_bytes(actual) + ".";
    f.current_state = ddl::index_definition(t, ix);
    f.why =
        "Scans read and cache the empty space of a bloated index too; a rebuild packs the "
        "entries again and frees about " +
        facts::human_bytes(waste) + ".";
    f.fix_sql = "REINDEX INDEX CONCURRENTLY " + facts::index_object(t, ix) + ";";
    f.undo_sql = "";
    f.steps = {
        "Run it outside a transaction block; it needs free disk for a second copy of "
        "the index while it runs.",
        "If it is cancelled, drop the leftover " + ix.name + "_ccnew index.",
        "If the index bloats again quickly, look at the update pattern (random keys, "
        "mass deletes) and autovacuum on " +
            t.qualified() + "."};
    f.verify = "SELECT relpages FROM pg_class WHERE oid = " +
               catalog::quote_literal(facts::index_object(t, ix)) +
               "::regclass; is close to the expected size afterwards.";
    cx.add(std::move(f));
}

}  // namespace

void index_bloat(RuleContext &cx) {
    const catalog::CatalogSnapshot &cat = cx.catalog();
    BloatLimits l{cx.threshold("index_bloat_min_bytes"), cx.threshold("index_bloat_min_percent"),
                  cx.threshold("index_bloat_high_percent")};
    double block = facts::block_size(cat);
    for (const Table &t : cat.tables) {
        if (t.extension_member) continue;
        for (const Index &ix : t.indexes) {
            if (ix.am != "btree" || ix.relkind != 'i' || !ix.valid || ix.being_built) continue;
            double actual = facts::index_bytes(ix, block);
            if (actual < l.min_bytes) continue;
            double tuples = ix.tuples >= 0 ? ix.tuples : ix.partial ? -1 : facts::table_rows(t);
            double width = entry_width(t, ix);
            if (tuples < 0 || width < 0) continue;
            int columns = static_cast<int>(ix.keys.size() + ix.include.size());
            BtreeSize size = estimate_btree(SizeModel::Statistics, tuples, width, columns,
                                            distinct_keys(t, ix, tuples));
            double expected = size.pages * block * 90 / fillfactor(ix);
            double waste = actual - expected;
            if (waste >= l.min_bytes && waste / actual * 100 >= l.min_percent)
                report_bloat(cx, t, ix, actual, expected, tuples, width, l);
        }
    }
}

}  // namespace pg_advisor::review::rules
