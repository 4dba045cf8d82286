// What the index advisor needs to know about a table, read from the catalogs and statistics
// into plain palloc'd structs (no C++ objects: the reads can raise). Include after postgres.h.
#pragma once

extern "C" {
#include "access/attnum.h"
}

struct PgaColumnFacts {
    AttrNumber attnum;
    char *name;
    char *name_sql;
    char *type_name;
    bool btree;
    bool dedup;                   // its btree operator class can deduplicate
    const char *pattern_opclass;  // NULL unless LIKE prefixes need one (non-C collation)
    bool is_bool;
    char type_category;  // pg_type.typcategory: 'S' string, 'E' enum, 'B' boolean, 'N' ...
    bool foreign_key;    // a column of a foreign key of the table
    double n_distinct;
    double null_frac;
    int32 avg_width;
    int nmcv;
    char **mcv_values;
    double *mcv_freqs;
};

struct PgaIndexFacts {
    Oid oid;
    char *name;
    bool valid;
    bool btree;
    int nkeys;
    AttrNumber *keys;  // 0 for expressions
    char **exprs;      // deparsed expression per key (NULL for columns)
    bool *desc;
    int ninclude;
    AttrNumber *include;
    char *predicate;  // deparsed, NULL when not partial
};

struct PgaTableFacts {
    Oid relid;
    char *name;
    char *name_sql;
    char relkind;
    bool catalog;
    bool temporary;
    double reltuples;  // planner's estimate (leaf partitions summed for a partitioned table)
    double relpages;
    double allvisible;  // share of pages all-visible (visibility map), as the planner sees it
    int ncolumns;
    PgaColumnFacts *columns;
    int nindexes;
    PgaIndexFacts *indexes;
    int npk;
    AttrNumber *pk;
};

// The table indexes would be created on: the root of a partition tree, else relid itself.
Oid pga_index_target(Oid relid);

// Whether a relation exists (a syscache probe, no lock).
bool pga_relation_exists(Oid relid);

// Takes AccessShareLock on a relation `role` holds some privilege on (checked first), without
// waiting: raises ERRCODE_LOCK_NOT_AVAILABLE when another session holds a conflicting lock
// (DDL in progress), the privilege error when the role has none. The advisor reads the
// captured workload this way: a table being changed is left out rather than waited for.
void pga_lock_for_reading(Oid relid, Oid role);

// For each column number of relid (1..*natts), the number of the same column in root (a
// partition's root; relid itself otherwise), 0 for dropped columns and columns the root does
// not have. palloc'd array of *natts + 1 entries.
int16 *pga_column_map(Oid relid, Oid root, int *natts);

// The name of a live column (palloc'd), or NULL when the relation or column is gone or the
// column was dropped (its catalog name then reads "........pg.dropped.N........").
char *pga_live_attname(Oid relid, AttrNumber attnum);

// Rows of a table as the planner estimates them (leaf partitions summed for a partitioned
// table), for tables whose AccessShareLock is free right now (never waiting behind DDL);
// pg_class.reltuples for the others. Call inside pga_with_released_locks().
double pga_table_rows(Oid relid);

// Reads the facts of a table (must exist; raises otherwise).
void pga_read_table_facts(Oid relid, PgaTableFacts *out);

// A sample of a table that counts the distinct combinations of several column sets at once (the
// key columns of multi-column index candidates), for the size of the indexes (key_distinct.h).
struct PgaKeySample {
    const char *table_sql;  // quoted, schema-qualified
    bool inherited;         // a partitioned table: sample its partitions
    const char *predicate;  // partial index predicate (SQL), or NULL
    double percent;         // TABLESAMPLE SYSTEM percentage (deterministic: REPEATABLE (0))
    int nsets;
    const int *set_sizes;
    const char *const *const *sets;  // quoted column names per set
};

// Per set: rows sampled, distinct combinations, combinations seen once.
struct PgaKeyGroups {
    double *rows;
    double *groups;
    double *singletons;
};

// Runs the sample (SPI, as the current user: it needs SELECT on the table). False when the
// sets name more than 31 columns in all; raises on SQL errors.
bool pga_sample_key_groups(const PgaKeySample *sample, PgaKeyGroups *out);
