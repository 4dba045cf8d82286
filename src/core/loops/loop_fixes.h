// What to do about an N+1, a write loop or a duplicate query: the set-based SQL rewrite, the
// ORM's spelling of the fix, the query count after the fix, and the reason for the verdict.
// All text is written into caller-provided fixed buffers.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/loops/n_plus_one_detector.h"
#include "core/common/text_buffer.h"

namespace pg_advisor {

struct LoopFixInput {
    LoopKind kind = LoopKind::NPlusOne;
    uint8_t command = 0;                // CommandKind of the child
    std::string_view child_text;        // normalised child statement
    std::string_view parent_text;       // normalised parent statement (may be empty)
    std::string_view child_table;       // relation name of the child, unquoted (ORM hints)
    std::string_view child_table_sql;   // the same, quoted for SQL
    std::string_view key_column;        // child column compared with the loop's parameter
    std::string_view key_column_sql;    // the same, quoted
    bool key_is_unique = false;         // key is the child's primary key: a many-to-one lookup
    std::string_view parent_fk_column;  // parent's column that references the child (many-to-one)
    bool aggregate = false;             // the child computes an aggregate per parent row
    std::string_view framework;         // from tags_framework(), may be empty
    uint64_t typical_repeats = 0;
};

// The set-based rewrite, as SQL (with a comment line where the rewrite needs explaining).
void write_suggested_sql(const LoopFixInput &in, TextBuffer &out);

// The fix in the ORM's own terms when the framework is known, else a generic sentence.
void write_orm_fix(const LoopFixInput &in, TextBuffer &out);

// "21 -> 2": queries of one occurrence now and after the fix.
void write_expected_queries(const LoopFixInput &in, TextBuffer &out);

struct LoopReasonInput {
    LoopKind kind = LoopKind::NPlusOne;
    uint8_t command = 0;
    ScopeKind scope_kind = ScopeKind::Burst;
    ParentChoice parent_choice = ParentChoice::None;
    std::string_view child_table;
    std::string_view parent_text;
    std::string_view example_scope;
    uint64_t occurrences = 0;
    uint64_t executions = 0;
    uint64_t max_repeats = 0;
    uint64_t max_distinct = 0;
    uint64_t max_parent_rows = 0;
    uint32_t min_repeats = 5;
};

// Why the finding was judged so, in one paragraph.
void write_loop_reason(const LoopReasonInput &in, TextBuffer &out);

struct FindingEntry;
// The reason's input for a detector entry: its counts and scope, with the names the caller
// resolved (the child table, the parent's text).
LoopReasonInput loop_reason_input(const FindingEntry &e, LoopKind kind,
                                  std::string_view child_table, std::string_view parent_text,
                                  uint32_t min_repeats);

// Rewrites the first "<column> = $n" of sql to "<column> = ANY($n)" (keeping a cast as an
// array cast). Returns false, writing nothing, if there is no single such comparison.
bool rewrite_equality_to_any(std::string_view sql, std::string_view column, TextBuffer &out);

}  // namespace pg_advisor
