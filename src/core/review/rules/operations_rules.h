// The rule functions of the operations family; their registry table is in operations.cpp.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "core/review/registry.h"

namespace pg_advisor::review::operations {

// operations_activity.cpp: what the server's backends are doing now.
void connection_saturation(RuleContext &cx);
void connection_churn_without_pooler(RuleContext &cx);
void idle_in_transaction(RuleContext &cx);
void long_running_query(RuleContext &cx);
void xmin_horizon_held(RuleContext &cx);
void lock_contention(RuleContext &cx);

// operations_vacuum.cpp: vacuum, freezing and planner statistics of tables.
void vacuum_lag(RuleContext &cx);
void xid_wraparound(RuleContext &cx);
void multixact_wraparound(RuleContext &cx);
void table_bloat(RuleContext &cx);
void stale_statistics(RuleContext &cx);
void autovacuum_untuned(RuleContext &cx);

// operations_server.cpp: settings, cumulative statistics, version, catalog.
void replication_health(RuleContext &cx);
void checkpoint_pressure(RuleContext &cx);
void stats_window_too_short(RuleContext &cx);
void memory_settings(RuleContext &cx);
void cache_hit_ratio(RuleContext &cx);
void version_support(RuleContext &cx);
void disabled_triggers_nested_views(RuleContext &cx);
void schema_object_count(RuleContext &cx);

// Shared helpers (operations_activity.cpp).
// Seconds from `then` to the snapshot's time; -1 when `then` is unknown (0).
double seconds_since(const catalog::CatalogSnapshot &snap, catalog::Micros then);
// The value a role sets for a setting (ALTER ROLE ... SET), if any; role may be null.
std::optional<std::string> role_setting(const catalog::Role *role, const std::string &name);
// Fix and undo: "ALTER ROLE r SET name = 'value';" and the statement that restores the role's
// current value (role: its catalog entry, null when unknown).
void role_setting_fix(const catalog::Role *role, const std::string &role_name,
                      const std::string &name, const std::string &value, Finding &f);

}  // namespace pg_advisor::review::operations
