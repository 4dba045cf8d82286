// Raw parse trees -> ddl::Statement (see translate.h and core/ddl/schema_change.h).
#include <exception>
#include <string>
#include <vector>

#include "core/ddl/schema_change.h"

extern "C" {
#include "postgres.h"

#include "nodes/nodeFuncs.h"
#include "nodes/parsenodes.h"
#include "nodes/value.h"
#include "catalog/pg_class.h"
}

#include "pg/compat.h"
#include "pg/ddl/translate.h"

using pg_advisor::ddl::Action;
using pg_advisor::ddl::Change;
using pg_advisor::ddl::ColumnSpec;
using pg_advisor::ddl::ConstraintKind;
using pg_advisor::ddl::expression_text;
using pg_advisor::ddl::Statement;
using pg_advisor::ddl::TypeSpec;
using DName = pg_advisor::ddl::Name;
using DExpr = pg_advisor::ddl::Expr;
using DConstraint = pg_advisor::ddl::Constraint;

namespace {

constexpr int kMaxExprDepth = 64;

std::string str(const char *s) {
    return s ? std::string(s) : std::string();
}

// The last String of a qualified name list, and the one before it as the schema.
DName name_of_list(const List *names) {
    DName n;
    int len = list_length(names);
    if (len >= 1 && IsA(llast(names), String)) n.name = strVal(llast(names));
    if (len >= 2 && IsA(list_nth(names, len - 2), String))
        n.schema = strVal(list_nth(names, len - 2));
    return n;
}

DName name_of(const RangeVar *rv) {
    DName n;
    if (rv == NULL) return n;
    n.schema = str(rv->schemaname);
    n.name = str(rv->relname);
    return n;
}

std::vector<std::string> strings(const List *items) {
    std::vector<std::string> out;
    const ListCell *lc;
    foreach (lc, items)
        if (IsA(lfirst(lc), String)) out.push_back(strVal(lfirst(lc)));
    return out;
}

TypeSpec type_of(const TypeName *t) {
    TypeSpec spec;
    if (t == NULL) return spec;
    DName n = name_of_list(t->names);
    spec.schema = n.schema == "pg_catalog" ? std::string() : n.schema;
    spec.name = n.name;
    const ListCell *lc;
    foreach (lc, t->typmods) {
        const Node *m = (const Node *)lfirst(lc);
        if (IsA(m, A_Const) && !PGA_ACONST_ISNULL((const A_Const *)m) &&
            IsA(PGA_ACONST_VALUE((const A_Const *)m), Integer))
            spec.modifiers.push_back(intVal(PGA_ACONST_VALUE((const A_Const *)m)));
    }
    spec.array = t->arrayBounds != NIL;
    return spec;
}

// A literal, optionally cast.
bool is_constant(const Node *n) {
    for (int depth = 0; n != NULL && depth < kMaxExprDepth; depth++) {
        if (IsA(n, A_Const)) return true;
        if (!IsA(n, TypeCast)) return false;
        n = ((const TypeCast *)n)->arg;
    }
    return false;
}

void collect_functions(const Node *n, std::vector<std::string> &out, int depth);

void collect_list(const List *items, std::vector<std::string> &out, int depth) {
    const ListCell *lc;
    foreach (lc, items)
        collect_functions((const Node *)lfirst(lc), out, depth + 1);
}

void collect_functions(const Node *n, std::vector<std::string> &out, int depth) {
    if (n == NULL || depth > kMaxExprDepth) return;
    switch (nodeTag(n)) {
        case T_FuncCall: {
            const FuncCall *f = (const FuncCall *)n;
            DName fn = name_of_list(f->funcname);
            if (!fn.name.empty()) out.push_back(fn.name);
            collect_list(f->args, out, depth);
            break;
        }
        case T_A_Expr:
            collect_functions(((const A_Expr *)n)->lexpr, out, depth + 1);
            collect_functions(((const A_Expr *)n)->rexpr, out, depth + 1);
            break;
        case T_TypeCast:
            collect_functions(((const TypeCast *)n)->arg, out, depth + 1);
            break;
        case T_BoolExpr:
            collect_list(((const BoolExpr *)n)->args, out, depth);
            break;
        case T_NullTest:
            collect_functions((const Node *)((const NullTest *)n)->arg, out, depth + 1);
            break;
        case T_CoalesceExpr:
            collect_list(((const CoalesceExpr *)n)->args, out, depth);
            break;
        case T_CaseExpr: {
            const CaseExpr *c = (const CaseExpr *)n;
            collect_functions((const Node *)c->arg, out, depth + 1);
            collect_list(c->args, out, depth);
            collect_functions((const Node *)c->defresult, out, depth + 1);
            break;
        }
        case T_CaseWhen:
            collect_functions((const Node *)((const CaseWhen *)n)->expr, out, depth + 1);
            collect_functions((const Node *)((const CaseWhen *)n)->result, out, depth + 1);
            break;
        case T_List:
            collect_list((const List *)n, out, depth);
            break;
        case T_MinMaxExpr:
            collect_list(((const MinMaxExpr *)n)->args, out, depth);
            break;
        case T_A_ArrayExpr:
            collect_list(((const A_ArrayExpr *)n)->elements, out, depth);
            break;
        case T_RowExpr:
            collect_list(((const RowExpr *)n)->args, out, depth);
            break;
        case T_NamedArgExpr:
            collect_functions((const Node *)((const NamedArgExpr *)n)->arg, out, depth + 1);
            break;
        case T_CollateClause:
            collect_functions(((const CollateClause *)n)->arg, out, depth + 1);
            break;
        case T_A_Indirection:
            collect_functions(((const A_Indirection *)n)->arg, out, depth + 1);
            break;
        case T_BooleanTest:
            collect_functions((const Node *)((const BooleanTest *)n)->arg, out, depth + 1);
            break;
        case T_SubLink:
            collect_functions(((const SubLink *)n)->testexpr, out, depth + 1);
            collect_functions(((const SubLink *)n)->subselect, out, depth + 1);
            break;
        case T_SelectStmt: {
            const SelectStmt *sel = (const SelectStmt *)n;
            collect_list(sel->targetList, out, depth);
            collect_functions(sel->whereClause, out, depth + 1);
            collect_functions(sel->havingClause, out, depth + 1);
            break;
        }
        case T_ResTarget:
            collect_functions(((const ResTarget *)n)->val, out, depth + 1);
            break;
        default:
            break;
    }
}

class Translator {
  public:
    Translator(size_t base, Statement &stmt) : base_(base), stmt_(stmt) {}

    void statement(const Node *n);

  private:
    size_t base_;
    Statement &stmt_;

    Change &add(Action a) {
        stmt_.changes.emplace_back();
        stmt_.changes.back().action = a;
        return stmt_.changes.back();
    }
    DExpr expr(const Node *n, bool stop_at_constraint_keyword) const;
    DConstraint constraint(const struct Constraint *c, const std::string &column) const;
    ColumnSpec column(const ColumnDef *def) const;
    void create_table(const CreateStmt *s);
    void alter_table(const AlterTableStmt *s);
    void alter_cmd(const DName &table, const AlterTableCmd *cmd);
    void create_index(const IndexStmt *s);
    void drop(const DropStmt *s);
    void rename(const RenameStmt *s);
    void set(const VariableSetStmt *s);
    void transaction(const TransactionStmt *s);
    void reindex(const ReindexStmt *s);
    void vacuum(const VacuumStmt *s);
    void domain(const CreateDomainStmt *s);
    void alter_domain(const AlterDomainStmt *s);
    void alter_enum(const AlterEnumStmt *s);
};

DExpr Translator::expr(const Node *n, bool stop) const {
    DExpr e;
    if (n == NULL) return e;
    int loc = exprLocation(n);
    if (loc >= 0 && (size_t)loc >= base_ && (size_t)loc - base_ < stmt_.text.size())
        e.text = expression_text(stmt_.text, (size_t)loc - base_, stop);
    collect_functions(n, e.functions, 0);
    e.constant = is_constant(n);
    return e;
}

DConstraint Translator::constraint(const struct Constraint *c, const std::string &column) const {
    DConstraint out;
    out.name = str(c->conname);
    out.not_valid = c->skip_validation;
    out.using_index = str(c->indexname);
    switch (c->contype) {
        case CONSTR_PRIMARY:
            out.kind = ConstraintKind::PrimaryKey;
            out.columns = strings(c->keys);
            break;
        case CONSTR_UNIQUE:
            out.kind = ConstraintKind::Unique;
            out.columns = strings(c->keys);
            break;
        case CONSTR_FOREIGN:
            out.kind = ConstraintKind::ForeignKey;
            out.columns = strings(c->fk_attrs);
            out.references.table = name_of(c->pktable);
            out.references.columns = strings(c->pk_attrs);
            break;
        case CONSTR_EXCLUSION:
            out.kind = ConstraintKind::Exclusion;
            break;
        case CONSTR_NOTNULL:
            out.kind = ConstraintKind::NotNull;
            break;
        default:
            out.kind = ConstraintKind::Check;
            out.check = expr(c->raw_expr, false);
            break;
    }
    if (out.columns.empty() && !column.empty() && out.kind != ConstraintKind::Check)
        out.columns.push_back(column);
    return out;
}

ColumnSpec Translator::column(const ColumnDef *def) const {
    ColumnSpec col;
    col.name = str(def->colname);
    col.type = type_of(def->typeName);
    col.not_null = def->is_not_null;
    if (def->raw_default) col.default_value = expr(def->raw_default, true);
    const ListCell *lc;
    foreach (lc, def->constraints) {
        const struct Constraint *c = (const struct Constraint *)lfirst(lc);
        if (!IsA(c, Constraint)) continue;
        switch (c->contype) {
            case CONSTR_NOTNULL:
                col.not_null = true;
                break;
            case CONSTR_NULL:
                break;
            case CONSTR_DEFAULT:
                col.default_value = expr(c->raw_expr, true);
                break;
            case CONSTR_IDENTITY:
                col.identity = true;
                break;
            case CONSTR_GENERATED:
                col.generated_stored = true;
                break;
            case CONSTR_PRIMARY:
                col.primary_key = true;
                break;
            case CONSTR_UNIQUE:
                col.unique = true;
                break;
            case CONSTR_CHECK:
            case CONSTR_FOREIGN:
                col.constraints.push_back(constraint(c, col.name));
                break;
            default:
                break;
        }
    }
    return col;
}

void Translator::create_table(const CreateStmt *s) {
    Change &c = add(Action::CreateTable);
    c.target = name_of(s->relation);
    c.if_not_exists = s->if_not_exists;
    c.temporary = s->relation && s->relation->relpersistence == RELPERSISTENCE_TEMP;
    const ListCell *lc;
    foreach (lc, s->tableElts) {
        const Node *e = (const Node *)lfirst(lc);
        if (IsA(e, ColumnDef))
            c.columns.push_back(column((const ColumnDef *)e));
        else if (IsA(e, Constraint))
            c.constraints.push_back(constraint((const struct Constraint *)e, ""));
    }
    foreach (lc, s->constraints)
        if (IsA(lfirst(lc), Constraint))
            c.constraints.push_back(constraint((const struct Constraint *)lfirst(lc), ""));
}

void Translator::alter_cmd(const DName &table, const AlterTableCmd *cmd) {
    auto change = [&](Action a) -> Change & {
        Change &c = add(a);
        c.target = table;
        c.column = str(cmd->name);
        c.if_exists = cmd->missing_ok;
        c.cascade = cmd->behavior == DROP_CASCADE;
        return c;
    };
    switch (cmd->subtype) {
        case AT_AddColumn: {
            Change &c = change(Action::AddColumn);
            if (cmd->def && IsA(cmd->def, ColumnDef)) {
                c.column_def = column((const ColumnDef *)cmd->def);
                c.column = c.column_def.name;
            }
            break;
        }
        case AT_DropColumn:
            change(Action::DropColumn);
            break;
        case AT_AlterColumnType: {
            Change &c = change(Action::AlterColumnType);
            if (cmd->def && IsA(cmd->def, ColumnDef)) {
                const ColumnDef *def = (const ColumnDef *)cmd->def;
                c.new_type = type_of(def->typeName);
                c.using_expr = expr(def->raw_default, false);
            }
            break;
        }
        case AT_SetNotNull:
            change(Action::SetNotNull);
            break;
        case AT_DropNotNull:
            change(Action::DropNotNull);
            break;
        case AT_ColumnDefault: {
            Change &c = change(cmd->def ? Action::SetDefault : Action::DropDefault);
            if (cmd->def) c.column_def.default_value = expr(cmd->def, false);
            break;
        }
        case AT_AddConstraint: {
            Change &c = change(Action::AddConstraint);
            if (cmd->def && IsA(cmd->def, Constraint)) {
                c.constraint = constraint((const struct Constraint *)cmd->def, "");
                c.object = c.constraint.name;
            }
            break;
        }
        case AT_ValidateConstraint:
        case AT_DropConstraint: {
            Change &c = change(cmd->subtype == AT_ValidateConstraint ? Action::ValidateConstraint
                                                                     : Action::DropConstraint);
            c.object = str(cmd->name);
            c.column.clear();  // cmd->name is the constraint's
            break;
        }
        case AT_AttachPartition:
        case AT_DetachPartition: {
            Change &c = change(cmd->subtype == AT_AttachPartition ? Action::AttachPartition
                                                                  : Action::DetachPartition);
            if (cmd->def && IsA(cmd->def, PartitionCmd)) {
                const PartitionCmd *p = (const PartitionCmd *)cmd->def;
                c.object = name_of(p->name).plain();
                c.concurrently = p->concurrent;
            }
            break;
        }
        default:
            change(Action::Other);
            break;
    }
}

void Translator::alter_table(const AlterTableStmt *s) {
    DName table = name_of(s->relation);
    if (PGA_ALTER_TABLE_OBJTYPE(s) != OBJECT_TABLE) {
        Change &c = add(Action::Other);
        c.target = table;
        return;
    }
    const ListCell *lc;
    foreach (lc, s->cmds) {
        if (!IsA(lfirst(lc), AlterTableCmd)) continue;
        size_t before = stmt_.changes.size();
        alter_cmd(table, (const AlterTableCmd *)lfirst(lc));
        if (s->missing_ok)
            for (size_t i = before; i < stmt_.changes.size(); i++)
                stmt_.changes[i].if_exists = true;
    }
}

void Translator::create_index(const IndexStmt *s) {
    Change &c = add(Action::CreateIndex);
    c.target = name_of(s->relation);
    c.object = str(s->idxname);
    c.concurrently = s->concurrent;
    c.if_not_exists = s->if_not_exists;
    c.index.table = c.target;
    c.index.unique = s->unique || s->primary;
    c.index.method = s->accessMethod && strcmp(s->accessMethod, "btree") != 0
                         ? std::string(s->accessMethod)
                         : std::string();
    const ListCell *lc;
    foreach (lc, s->indexParams) {
        const IndexElem *e = (const IndexElem *)lfirst(lc);
        if (!IsA(e, IndexElem)) continue;
        if (e->name)
            c.index.columns.push_back(e->name);
        else
            c.index.columns.push_back(expr(e->expr, false).text);
    }
    foreach (lc, s->indexIncludingParams) {
        const IndexElem *e = (const IndexElem *)lfirst(lc);
        if (IsA(e, IndexElem) && e->name) c.index.include.push_back(e->name);
    }
    c.index.predicate = expr(s->whereClause, false);
}

void Translator::drop(const DropStmt *s) {
    Action a;
    switch (s->removeType) {
        case OBJECT_TABLE:
            a = Action::DropTable;
            break;
        case OBJECT_INDEX:
            a = Action::DropIndex;
            break;
        case OBJECT_SCHEMA:
            a = Action::DropSchema;
            break;
        default:
            a = Action::Other;
            break;
    }
    const ListCell *lc;
    foreach (lc, s->objects) {
        Change &c = add(a);
        const Node *o = (const Node *)lfirst(lc);
        if (IsA(o, List))
            c.target = name_of_list((const List *)o);
        else if (IsA(o, String))
            c.target.name = strVal(o);
        else if (IsA(o, TypeName))
            c.target = name_of_list(((const TypeName *)o)->names);
        c.if_exists = s->missing_ok;
        c.cascade = s->behavior == DROP_CASCADE;
        c.concurrently = s->concurrent;
    }
}

void Translator::rename(const RenameStmt *s) {
    Action a = Action::Other;
    if (s->renameType == OBJECT_TABLE)
        a = Action::RenameTable;
    else if (s->renameType == OBJECT_COLUMN && s->relationType == OBJECT_TABLE)
        a = Action::RenameColumn;
    else if (s->renameType == OBJECT_SCHEMA)
        a = Action::RenameSchema;
    Change &c = add(a);
    if (s->renameType == OBJECT_SCHEMA)
        c.target.name = str(s->subname);
    else
        c.target = name_of(s->relation);
    if (a == Action::RenameColumn) c.column = str(s->subname);
    if (s->renameType == OBJECT_TABCONSTRAINT) c.object = str(s->subname);
    c.new_name = str(s->newname);
    c.if_exists = s->missing_ok;
}

std::string value_text(const Node *n) {
    if (n == NULL) return {};
    if (IsA(n, TypeCast)) return value_text(((const TypeCast *)n)->arg);
    if (!IsA(n, A_Const) || PGA_ACONST_ISNULL((const A_Const *)n)) return {};
    const Node *v = PGA_ACONST_VALUE((const A_Const *)n);
    if (IsA(v, Integer)) return std::to_string(intVal(v));
    if (IsA(v, Float)) return str(PGA_FLOAT_STR(v));
    if (IsA(v, String)) return str(strVal(v));
    return {};
}

void Translator::set(const VariableSetStmt *s) {
    if (s->kind == VAR_SET_MULTI || s->kind == VAR_RESET_ALL || s->name == NULL) {
        add(Action::Other);
        return;
    }
    Change &c = add(Action::Set);
    c.setting = str(s->name);
    for (char &ch : c.setting)
        ch = (char)pg_ascii_tolower((unsigned char)ch);
    c.local = s->is_local;
    if (s->kind != VAR_SET_VALUE) return;
    const ListCell *lc;
    foreach (lc, s->args) {
        if (!c.value.empty()) c.value += ", ";
        c.value += value_text((const Node *)lfirst(lc));
    }
}

void Translator::transaction(const TransactionStmt *s) {
    switch (s->kind) {
        case TRANS_STMT_BEGIN:
        case TRANS_STMT_START:
            add(Action::Begin);
            break;
        case TRANS_STMT_COMMIT:
        case TRANS_STMT_PREPARE:
            add(Action::Commit);
            break;
        case TRANS_STMT_ROLLBACK:
            add(Action::Rollback);
            break;
        default:
            add(Action::Other);
            break;
    }
}

bool option_on(const List *options, const char *name) {
    const ListCell *lc;
    foreach (lc, options) {
        const DefElem *d = (const DefElem *)lfirst(lc);
        if (!IsA(d, DefElem) || d->defname == NULL || strcmp(d->defname, name) != 0) continue;
        if (d->arg == NULL) return true;
        std::string v = value_text(d->arg);
        return !(v == "false" || v == "off" || v == "0");
    }
    return false;
}

void Translator::reindex(const ReindexStmt *s) {
    Change &c = add(Action::Reindex);
    c.concurrently = option_on(s->params, "concurrently");
    switch (s->kind) {
        case REINDEX_OBJECT_INDEX:
            c.reindex_kind = "index";
            c.target = name_of(s->relation);
            break;
        case REINDEX_OBJECT_TABLE:
            c.reindex_kind = "table";
            c.target = name_of(s->relation);
            break;
        case REINDEX_OBJECT_SCHEMA:
            c.reindex_kind = "schema";
            c.target.name = str(s->name);
            break;
        default:
            c.reindex_kind = "database";
            c.target.name = str(s->name);
            break;
    }
}

void Translator::vacuum(const VacuumStmt *s) {
    if (!s->is_vacuumcmd || !option_on(s->options, "full")) {
        add(Action::Other);
        return;
    }
    if (s->rels == NIL) add(Action::VacuumFull);
    const ListCell *lc;
    foreach (lc, s->rels) {
        const VacuumRelation *r = (const VacuumRelation *)lfirst(lc);
        if (IsA(r, VacuumRelation)) add(Action::VacuumFull).target = name_of(r->relation);
    }
}

void Translator::domain(const CreateDomainStmt *s) {
    Change &c = add(Action::CreateDomain);
    c.target = name_of_list(s->domainname);
    c.new_type = type_of(s->typeName);
    const ListCell *lc;
    foreach (lc, s->constraints) {
        const struct Constraint *k = (const struct Constraint *)lfirst(lc);
        if (IsA(k, Constraint) && k->contype == CONSTR_CHECK) {
            c.constraint = constraint(k, "");
            break;
        }
    }
}

void Translator::alter_domain(const AlterDomainStmt *s) {
    bool add_check = s->subtype == 'C' && s->def && IsA(s->def, Constraint);
    Change &c = add(add_check ? Action::AlterDomainAddConstraint : Action::Other);
    c.target = name_of_list(s->typeName);
    if (add_check) {
        c.constraint = constraint((const struct Constraint *)s->def, "");
        c.object = c.constraint.name;
    }
}

void Translator::alter_enum(const AlterEnumStmt *s) {
    Change &c = add(s->oldVal ? Action::AlterEnumRenameValue : Action::AlterEnumAddValue);
    c.target = name_of_list(s->typeName);
    if (s->oldVal) {
        c.enum_value = str(s->oldVal);
        c.new_name = str(s->newVal);
        return;
    }
    c.enum_value = str(s->newVal);
    c.enum_position = s->newValNeighbor != NULL;
    c.if_not_exists = s->skipIfNewValExists;
}

void Translator::statement(const Node *n) {
    switch (nodeTag(n)) {
        case T_CreateStmt:
            create_table((const CreateStmt *)n);
            break;
        case T_CreateTableAsStmt: {
            const CreateTableAsStmt *s = (const CreateTableAsStmt *)n;
            Change &c = add(Action::CreateTableAs);
            if (s->into) c.target = name_of(s->into->rel);
            c.if_not_exists = s->if_not_exists;
            break;
        }
        case T_AlterTableStmt:
            alter_table((const AlterTableStmt *)n);
            break;
        case T_IndexStmt:
            create_index((const IndexStmt *)n);
            break;
        case T_DropStmt:
            drop((const DropStmt *)n);
            break;
        case T_DropdbStmt: {
            Change &c = add(Action::DropDatabase);
            c.target.name = str(((const DropdbStmt *)n)->dbname);
            c.if_exists = ((const DropdbStmt *)n)->missing_ok;
            break;
        }
        case T_RenameStmt:
            rename((const RenameStmt *)n);
            break;
        case T_TruncateStmt: {
            const TruncateStmt *s = (const TruncateStmt *)n;
            const ListCell *lc;
            foreach (lc, s->relations) {
                Change &c = add(Action::Truncate);
                c.target = name_of((const RangeVar *)lfirst(lc));
                c.cascade = s->behavior == DROP_CASCADE;
            }
            break;
        }
        case T_VariableSetStmt:
            set((const VariableSetStmt *)n);
            break;
        case T_TransactionStmt:
            transaction((const TransactionStmt *)n);
            break;
        case T_ReindexStmt:
            reindex((const ReindexStmt *)n);
            break;
        case T_VacuumStmt:
            vacuum((const VacuumStmt *)n);
            break;
        case T_ClusterStmt:
            add(Action::Cluster).target = name_of(((const ClusterStmt *)n)->relation);
            break;
        case T_CreateDomainStmt:
            domain((const CreateDomainStmt *)n);
            break;
        case T_AlterDomainStmt:
            alter_domain((const AlterDomainStmt *)n);
            break;
        case T_AlterEnumStmt:
            alter_enum((const AlterEnumStmt *)n);
            break;
        case T_AlterObjectSchemaStmt: {
            const AlterObjectSchemaStmt *s = (const AlterObjectSchemaStmt *)n;
            Change &c = add(Action::Other);
            c.target = name_of(s->relation);
            c.new_name = str(s->newschema);
            break;
        }
        case T_UpdateStmt: {
            const UpdateStmt *s = (const UpdateStmt *)n;
            Change &c = add(Action::Update);
            c.target = name_of(s->relation);
            c.has_where = s->whereClause != NULL;
            break;
        }
        case T_DeleteStmt: {
            const DeleteStmt *s = (const DeleteStmt *)n;
            Change &c = add(Action::Delete);
            c.target = name_of(s->relation);
            c.has_where = s->whereClause != NULL;
            break;
        }
        case T_InsertStmt:
            add(Action::Insert).target = name_of(((const InsertStmt *)n)->relation);
            break;
        default:
            add(Action::Other);
            break;
    }
}

}  // namespace

void pga_ddl_translate(const Node *raw, size_t base, Statement &stmt) {
    if (raw == NULL) return;
    if (IsA(raw, RawStmt)) raw = ((const RawStmt *)raw)->stmt;
    Translator(base, stmt).statement(raw);
}
