// The rule functions of the security family; their registry table is in security.cpp.
#pragma once

#include "core/review/registry.h"

namespace pg_advisor::review::security {

// security_rls.cpp: row-level security, views and what they expose.
void rls_disabled_on_exposed_table(RuleContext &cx);
void policy_but_rls_disabled(RuleContext &cx);
void rls_enabled_no_policy(RuleContext &cx);
void permissive_policy_always_true(RuleContext &cx);
void multiple_permissive_policies(RuleContext &cx);
void security_definer_view(RuleContext &cx);
void sensitive_columns_unprotected(RuleContext &cx);
void unsafe_object_exposure(RuleContext &cx);

// security_access.cpp: functions, schemas, roles and how clients connect.
void function_search_path_mutable(RuleContext &cx);
void public_schema_create(RuleContext &cx);
void privileged_roles(RuleContext &cx);
void weak_auth_or_transport(RuleContext &cx);

// Helpers shared by the two files (security_text.cpp).
// The policy's object name: "<policy> ON <schema>.<table>".
std::string policy_object(const catalog::Policy &p, const catalog::Table &t);
// Whether a deparsed policy expression is always true: "true", "(1 = 1)", "'a'::text =
// 'a'::text", "NOT false", or an OR with such an operand.
bool always_true(const std::string &expr);
// The expression without its always-true OR operands ("(a OR true)" -> "a"); "" when nothing
// else remains.
std::string without_tautologies(const std::string &expr);
// A column name that looks like a secret or personal data (password, token, ssn, ...).
bool sensitive_column_name(const std::string &name);
// "a, b, c" (privileges, roles).
std::string comma_list(const std::vector<std::string> &privileges);

}  // namespace pg_advisor::review::security
