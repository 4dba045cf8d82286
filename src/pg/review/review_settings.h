// The review's settings: one pg_advisor.<name> setting per threshold of the rule registry
// (defined from the registry at start, so a new rule's thresholds need no code here), and
// pg_advisor.disabled_rules, export_directory, snapshot_retention.
#pragma once

#include <string>
#include <vector>

#include "core/review/registry.h"

extern char *pga_disabled_rules;    // comma-separated rule ids
extern char *pga_export_directory;  // absolute; "" = export refused
extern int pga_snapshot_retention;  // snapshots kept by advisor.snapshot()

// Defines the settings above (called from pga_define_gucs while preloading).
void pga_define_review_gucs(void);

// The current values of every threshold, and the rules switched off.
void pga_review_settings(pg_advisor::review::Settings *settings,
                         std::vector<std::string> *disabled);
