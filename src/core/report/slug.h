// File names of the exported report: database-review-YYYY-MM-DD.{md,json,html} and one
// database-review-YYYY-MM-DD/finding-NNN-<slug>.md per finding, numbered in priority order.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>

namespace pg_advisor::report {

// Longest slug (without the "finding-NNN-" prefix and the extension).
constexpr size_t kMaxSlugLength = 60;

// The slug of a finding, from its rule and object: lowercase ASCII letters, digits and single
// hyphens, no hyphen at either end, at most kMaxSlugLength characters (cut at a hyphen when
// one is near). The schema "public" is left out of the object; quotes and dots become hyphens;
// common Latin letters with accents lose them (é -> e, ß -> ss), other characters separate
// words. "fk_missing_index" + "\"public\".\"orders\".\"customer_id\"" ->
// "fk-missing-index-orders-customer-id". Never empty ("finding").
std::string finding_slug(std::string_view rule, std::string_view object);

// Hands out slugs, adding "-2", "-3", ... (within the length cap) to a slug already given.
class SlugSet {
  public:
    std::string unique(std::string slug);

  private:
    std::unordered_set<std::string> used_;
};

// "database-review-2025-01-15".
std::string export_basename(std::string_view date);
// "finding-003-<slug>.md" (three digits, more when there are over 999 findings).
std::string finding_file_name(size_t number, std::string_view slug);

}  // namespace pg_advisor::report
