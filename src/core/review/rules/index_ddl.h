// SQL text of index fixes: CREATE / DROP INDEX CONCURRENTLY (and the partitioned-table form,
// which cannot be concurrent), definitions of existing indexes, and names for new ones.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/catalog/catalog_snapshot.h"
#include "core/workload/workload_snapshot.h"

namespace pg_advisor::review::ddl {

using catalog::CatalogSnapshot;
using catalog::Index;
using catalog::Table;

using PartitionMap = std::unordered_map<uint32_t, std::vector<const Table *>>;

// The index's definition: the server's (pg_get_indexdef) or, when the table was locked while
// the snapshot was read, one built from the catalog for plain-column indexes; "" otherwise.
std::string index_definition(const Table &t, const Index &ix);
// CREATE [UNIQUE] INDEX CONCURRENTLY ... ; (plain CREATE INDEX for a partitioned table's
// index, which cannot be built concurrently); "" when the definition is unknown.
std::string recreate_index(const Table &t, const Index &ix);
// DROP INDEX CONCURRENTLY "schema"."index"; (plain DROP INDEX for a partitioned index).
std::string drop_index(const Table &t, const Index &ix);
std::string drop_index(const std::string &schema, const std::string &name, bool partitioned);

// Relation names in use per schema, to give new indexes names that are free (collected on
// the first choice: most reviews name nothing).
class NameRegistry {
  public:
    explicit NameRegistry(const CatalogSnapshot &cat) : cat_(cat) {}
    // PostgreSQL's style: <table>_<col>_<col>_<suffix>, at most 63 bytes, a digit appended
    // while taken; the name is then reserved.
    std::string choose(const std::string &schema, const std::string &table,
                       const std::vector<std::string> &columns, const std::string &suffix);

  private:
    void collect();
    const CatalogSnapshot &cat_;
    bool collected_ = false;
    std::unordered_set<std::string> taken_;  // schema + '\0' + name
};

struct NewIndex {
    std::string name;       // unquoted
    std::string keys_sql;   // "customer_id, created_at DESC"
    std::string predicate;  // "" or the WHERE clause's condition
    // What follows the key list, before WHERE: " INCLUDE (c) WITH (fillfactor=70)" or "".
    std::string options_sql;
    bool unique = false;
    std::string method = "btree";
    std::vector<std::string> name_columns;  // what partitions' index names are made of
};

// CREATE INDEX CONCURRENTLY for a table; for a partitioned table the safe sequence: the parent
// index ON ONLY (invalid until attached), one CREATE INDEX CONCURRENTLY per partition, ATTACH.
std::string create_index(const Table &t, const NewIndex &ix, const PartitionMap &partitions,
                         NameRegistry &names);
// The matching undo (DROP INDEX [CONCURRENTLY]).
std::string drop_new_index(const Table &t, const NewIndex &ix);

// The index name in a CREATE INDEX statement ("" when it has none): unquoted.
std::string created_index_name(const std::string &create_sql);

// The CREATE INDEX of one of the advisor's verified recommendations, named explicitly (a free
// name when the advisor's statement has none) so that the undo can name it, and terminated
// with ';'. *name is "" when the statement cannot be named (t unknown).
std::string recommended_index(const workload::IndexAdviceEvidence &a, const Table *t,
                              NameRegistry &names, std::string *name);

// The fix of a finding that proposes one of the advisor's verified recommendations: the named
// CREATE INDEX, its undo (DROP INDEX of that name in the relation's schema, from a.relation
// when t is unknown; "" when the statement cannot be named), the fix_key every rule proposing
// that index shares (index_fix_key), and the index's name ("" when unnamed).
struct IndexFix {
    std::string fix_sql;
    std::string undo_sql;
    std::string fix_key;
    std::string name;
};
IndexFix recommended_index_fix(const workload::IndexAdviceEvidence &a, const Table *t,
                               NameRegistry &names);

}  // namespace pg_advisor::review::ddl
