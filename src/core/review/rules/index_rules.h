// The rule functions of the indexing family (registered in review/rules/indexes.cpp).
#pragma once

#include <cstdint>
#include <unordered_set>

#include "core/review/registry.h"

namespace pg_advisor::review::rules {

void fk_missing_index(RuleContext &cx);         // IDX-01, fk_index.cpp
void duplicate_index(RuleContext &cx);          // IDX-02, index_overlap.cpp
void redundant_prefix_index(RuleContext &cx);   // IDX-03, index_overlap.cpp
void unused_index(RuleContext &cx);             // IDX-04, index_usage.cpp
void low_value_index(RuleContext &cx);          // IDX-05, index_usage.cpp
void invalid_index(RuleContext &cx);            // IDX-06, index_health.cpp
void seq_scan_hotspot(RuleContext &cx);         // IDX-07, table_access.cpp
void index_bloat(RuleContext &cx);              // IDX-08, index_health.cpp
void partial_index_candidate(RuleContext &cx);  // IDX-09, index_design.cpp
void index_design_smell(RuleContext &cx);       // IDX-10, index_design.cpp
void hot_update_blocked(RuleContext &cx);       // IDX-11, table_access.cpp
void missing_index(RuleContext &cx);            // advisor recommendations, table_access.cpp

// The indexes duplicate_index and redundant_prefix_index keep as the partner of an index they
// propose to drop (made once per review): unused_index and low_value_index do not propose
// dropping them too (index_overlap.cpp).
const std::unordered_set<uint32_t> &overlap_partners(const RuleContext &cx);

}  // namespace pg_advisor::review::rules
