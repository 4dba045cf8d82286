// The rule functions of the schema family (registered in review/rules/schema.cpp), and the
// column-change SQL several of them share.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "core/review/registry.h"

namespace pg_advisor::review::rules {

void no_primary_key(RuleContext &cx);                 // SCH-01, schema_keys.cpp
void sequence_or_key_near_overflow(RuleContext &cx);  // SCH-02, key_overflow.cpp
void int_key_design(RuleContext &cx);                 // SCH-03, schema_keys.cpp
void fk_type_mismatch(RuleContext &cx);               // SCH-04, schema_constraints.cpp
void nullable_fk(RuleContext &cx);                    // SCH-05, schema_constraints.cpp
void timestamp_without_tz(RuleContext &cx);           // SCH-07, column_types.cpp
void money_as_money_or_float(RuleContext &cx);        // SCH-08, column_types.cpp
void char_varchar_n(RuleContext &cx);                 // SCH-09, column_types.cpp
void json_not_jsonb(RuleContext &cx);                 // SCH-10, column_types.cpp
void serial_not_identity(RuleContext &cx);            // SCH-11, column_types.cpp
void not_valid_constraint_left(RuleContext &cx);      // SCH-12, schema_constraints.cpp
void unlogged_table(RuleContext &cx);                 // SCH-13, schema_tables.cpp
void naming_hygiene(RuleContext &cx);                 // SCH-14, naming_hygiene.cpp
void wide_or_degenerate_table(RuleContext &cx);       // SCH-15, schema_tables.cpp
void reg_or_blob_types(RuleContext &cx);              // SCH-16, column_types.cpp
void duplicate_or_overlapping_fk(RuleContext &cx);    // SCH-17, schema_constraints.cpp
void unused_or_empty_table(RuleContext &cx);          // SCH-18, schema_tables.cpp
void pk_design(RuleContext &cx);                      // SCH-19, schema_keys.cpp
void cross_schema_fk_and_ownership(RuleContext &cx);  // SCH-20, schema_constraints.cpp

// Widening an integer key to bigint: the column, the integer foreign-key columns that
// reference it, and the sequence that fills it (key_overflow.cpp). Built once per rule run.
class KeyWidening {
  public:
    explicit KeyWidening(const catalog::CatalogSnapshot &cat);
    std::string sql(const catalog::Table &t, const catalog::Column &c) const;

  private:
    struct Ref {
        const catalog::Table *child;
        int16_t attnum;
    };
    std::unordered_map<uint64_t, std::vector<Ref>> referencing_;  // table << 16 | attnum
    std::unordered_map<uint64_t, const catalog::Sequence *> owned_;
};
// Steps of an ALTER COLUMN ... TYPE that rewrites the table (column_types.cpp).
std::vector<std::string> rewrite_steps(const catalog::Table &t, double rows,
                                       const std::vector<const catalog::Table *> &views);

}  // namespace pg_advisor::review::rules
