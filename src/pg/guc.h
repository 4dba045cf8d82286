// pg_advisor's settings (GUCs, prefix "pg_advisor.").
#pragma once

enum PgaTrackLevel { PGA_TRACK_NONE = 0, PGA_TRACK_TOP = 1, PGA_TRACK_ALL = 2 };
enum PgaQueryIds { PGA_QUERY_IDS_CACHED = 0, PGA_QUERY_IDS_CORE = 1 };
enum PgaLoopAction {
    PGA_ACTION_OFF = 0,
    PGA_ACTION_LOG = 1,
    PGA_ACTION_WARNING = 2,
    PGA_ACTION_ERROR = 3
};

extern bool pga_enabled;
extern int pga_track;
extern int pga_max_patterns;
extern int pga_max_query_length;
extern bool pga_save;
extern double pga_sample_rate;
extern int pga_idle_gap_ms;
extern int pga_n_plus_one_min_repeats;
extern int pga_n_plus_one_action;
extern int pga_max_findings;
extern double pga_min_table_rows;
extern double pga_index_min_initial_cost;
extern double pga_index_min_saving_pct;
extern double pga_index_wider_margin_pct;
extern int pga_max_indexes_per_table;
extern double pga_hotspot_min_filter_pct;
extern int pga_index_size_model;  // pg_advisor::SizeModel
extern int pga_query_ids;         // PgaQueryIds
extern bool pga_verify_query_ids;
extern int pga_max_relations_per_statement;
extern int pga_max_candidates;
extern int pga_advisor_memory_mb;

// Defines every setting; called once from _PG_init while preloading.
void pga_define_gucs(void);

// The advisor SQL function running now, if any (set by boundary/sql_function.h), and whether
// one ran during the current top-level statement (that statement is the reviewer's call, not
// the application's workload).
extern const char *pga_active_function;
extern bool pga_advisor_called;

// True when statements at this executor nesting level are recorded. What the advisor itself
// runs (catalog reads, what-if planning) never is.
static inline bool pga_tracking(int nesting_level) {
    return pga_enabled && pga_active_function == NULL &&
           (pga_track == PGA_TRACK_ALL || (pga_track == PGA_TRACK_TOP && nesting_level == 0));
}
