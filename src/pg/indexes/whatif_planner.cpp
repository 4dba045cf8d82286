// In-process what-if planning: hypothetical btree indexes, built from CREATE INDEX text, are
// injected through get_relation_info_hook while (and only while) pg_advisor plans a statement
// for itself. Other sessions, and this session's own statements, never see them. Statements
// with $n parameters get a generic plan.
#include <cmath>
#include <exception>

#include "core/indexes/btree_size.h"

extern "C" {
#include "postgres.h"

#include "access/amapi.h"
#include "access/relation.h"
#include "catalog/partition.h"
#include "catalog/pg_am_d.h"
#include "catalog/namespace.h"
#include "catalog/pg_type_d.h"
#include "executor/executor.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/params.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/plancat.h"
#include "parser/analyze.h"
#include "parser/parse_type.h"
#include "parser/parse_utilcmd.h"
#include "parser/parser.h"
#include "rewrite/rewriteHandler.h"
#include "rewrite/rewriteManip.h"
#include "tcop/cmdtag.h"
#include "tcop/tcopprot.h"
#include "tcop/utility.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "parser/parsetree.h"
}

#include "pg/compat.h"
#include "pg/capture/capture.h"
#include "pg/catalog/catalog_facts.h"
#include "pg/capture/shape_extract.h"
#include "pg/indexes/whatif_planner.h"

struct PgaHypotheticalIndex {
    Oid oid;
    Oid relid;  // the table named in the DDL (a partitioned parent for partitions)
    int ncolumns;
    int nkeycolumns;
    AttrNumber *attnums;  // per column, 0 for an expression
    char **names;         // per column, the column name (NULL for expressions)
    Oid *types;
    int32 *typmods;
    Oid *collations;
    Oid *opfamily;  // key columns
    Oid *opcintype;
    bool *desc;
    bool *nulls_first;
    List *exprs;  // varno 1
    List *pred;   // implicit AND, varno 1
    int size_model;
    double data_width;
    double distinct_keys;  // of the table that was asked about (0: unknown)
};

static get_relation_info_hook_type prev_get_relation_info = NULL;
static PgaHypotheticalIndex **active = NULL;
static int nactive = 0;
static Oid next_fake_oid = 0xFFFFFF00u;

Oid pga_hypothetical_oid(const PgaHypotheticalIndex *h) {
    return h->oid;
}

PgaHypotheticalIndex *pga_hypothetical_index(Oid relid, const char *ddl, int size_model,
                                             double data_width, double distinct_keys) {
    List *raw = raw_parser(ddl, RAW_PARSE_DEFAULT);
    if (list_length(raw) != 1 || !IsA(((RawStmt *)linitial(raw))->stmt, IndexStmt))
        ereport(ERROR,
                (errcode(ERRCODE_SYNTAX_ERROR), errmsg("not a CREATE INDEX statement: %s", ddl)));
    IndexStmt *stmt = (IndexStmt *)((RawStmt *)linitial(raw))->stmt;
    stmt = transformIndexStmt(relid, stmt, ddl);

    PgaHypotheticalIndex *h = static_cast<PgaHypotheticalIndex *>(palloc0(sizeof *h));
    h->oid = next_fake_oid--;
    if (next_fake_oid < 0xFFFF0000u) next_fake_oid = 0xFFFFFF00u;
    h->relid = relid;
    h->nkeycolumns = list_length(stmt->indexParams);
    h->ncolumns = h->nkeycolumns + list_length(stmt->indexIncludingParams);
    int n = h->ncolumns, nk = h->nkeycolumns;
    h->attnums = static_cast<AttrNumber *>(palloc0(sizeof(AttrNumber) * n));
    h->names = static_cast<char **>(palloc0(sizeof(char *) * n));
    h->types = static_cast<Oid *>(palloc0(sizeof(Oid) * n));
    h->typmods = static_cast<int32 *>(palloc0(sizeof(int32) * n));
    h->collations = static_cast<Oid *>(palloc0(sizeof(Oid) * n));
    h->opfamily = static_cast<Oid *>(palloc0(sizeof(Oid) * nk));
    h->opcintype = static_cast<Oid *>(palloc0(sizeof(Oid) * nk));
    h->desc = static_cast<bool *>(palloc0(sizeof(bool) * nk));
    h->nulls_first = static_cast<bool *>(palloc0(sizeof(bool) * nk));
    h->size_model = size_model;
    h->data_width = data_width;
    h->distinct_keys = distinct_keys;

    int i = 0;
    List *params = list_concat_copy(stmt->indexParams, stmt->indexIncludingParams);
    ListCell *lc;
    foreach (lc, params) {
        IndexElem *e = (IndexElem *)lfirst(lc);
        if (e->name) {
            AttrNumber a = get_attnum(relid, e->name);
            if (a == InvalidAttrNumber)
                ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                                errmsg("column \"%s\" does not exist", e->name)));
            h->attnums[i] = a;
            h->names[i] = pstrdup(e->name);
            get_atttypetypmodcoll(relid, a, &h->types[i], &h->typmods[i], &h->collations[i]);
        } else {
            h->attnums[i] = 0;
            h->types[i] = exprType(e->expr);
            h->typmods[i] = exprTypmod(e->expr);
            h->collations[i] = exprCollation(e->expr);
            h->exprs = lappend(h->exprs, e->expr);
        }
        if (i < nk) {
            Oid opclass = ResolveOpClass(e->opclass, h->types[i], "btree", BTREE_AM_OID);
            h->opfamily[i] = get_opclass_family(opclass);
            h->opcintype[i] = get_opclass_input_type(opclass);
            h->desc[i] = e->ordering == SORTBY_DESC;
            h->nulls_first[i] = e->nulls_ordering == SORTBY_NULLS_DEFAULT
                                    ? h->desc[i]
                                    : e->nulls_ordering == SORTBY_NULLS_FIRST;
        }
        i++;
    }
    if (stmt->whereClause) {
        Node *pred = eval_const_expressions(NULL, stmt->whereClause);
        pred = (Node *)canonicalize_qual((Expr *)pred, false);
        h->pred = make_ands_implicit((Expr *)pred);
    }
    return h;
}

// The columns of h, renumbered for relation relid (a partition may number them differently);
// false if a column is missing or expressions/predicates would need renumbering.
static bool map_columns(const PgaHypotheticalIndex *h, Oid relid, AttrNumber *out) {
    bool same = true;
    for (int i = 0; i < h->ncolumns; i++) {
        if (h->attnums[i] == 0) {
            out[i] = 0;
            continue;
        }
        AttrNumber a = get_attnum(relid, h->names[i]);
        if (a == InvalidAttrNumber) return false;
        out[i] = a;
        same = same && a == h->attnums[i];
    }
    // Expressions and predicates keep the parent's numbering: usable only when it matches.
    return same || (h->exprs == NIL && h->pred == NIL);
}

// The planner's selectivity of a partial index's predicate on relation relid. The relation is
// not registered in the query's planner state yet while its indexes are being listed, so the
// estimate runs in a minimal planner state of its own holding just this relation.
static Selectivity predicate_selectivity(const PgaHypotheticalIndex *h, Oid relid,
                                         RelOptInfo *rel) {
    RangeTblEntry *rte = makeNode(RangeTblEntry);
    rte->rtekind = RTE_RELATION;
    rte->relid = relid;
    rte->relkind = get_rel_relkind(relid);
    rte->inh = false;
    Query *parse = makeNode(Query);
    parse->rtable = list_make1(rte);
    PlannerInfo *root = makeNode(PlannerInfo);
    root->glob = makeNode(PlannerGlobal);
    root->parse = parse;
    setup_simple_rel_arrays(root);
    root->simple_rel_array[1] = rel;
    return clauselist_selectivity(root, h->pred, 0, JOIN_INNER, NULL);
}

static IndexOptInfo *build_index_info(const PgaHypotheticalIndex *h, Oid relid,
                                      const AttrNumber *attnums, RelOptInfo *rel) {
    const IndexAmRoutine *am = GetIndexAmRoutineByAmId(BTREE_AM_OID, false);
    int n = h->ncolumns, nk = h->nkeycolumns;
    IndexOptInfo *info = makeNode(IndexOptInfo);
    info->indexoid = h->oid;
    info->reltablespace = rel->reltablespace;
    info->rel = rel;
    info->ncolumns = n;
    info->nkeycolumns = nk;
    info->indexkeys = static_cast<int *>(palloc(sizeof(int) * n));
    info->indexcollations = static_cast<Oid *>(palloc(sizeof(Oid) * nk));
    info->opfamily = static_cast<Oid *>(palloc(sizeof(Oid) * nk));
    info->opcintype = static_cast<Oid *>(palloc(sizeof(Oid) * nk));
    info->reverse_sort = static_cast<bool *>(palloc(sizeof(bool) * nk));
    info->nulls_first = static_cast<bool *>(palloc(sizeof(bool) * nk));
    info->canreturn = static_cast<bool *>(palloc(sizeof(bool) * n));
    info->opclassoptions = static_cast<bytea **>(palloc0(sizeof(bytea *) * n));
    for (int i = 0; i < n; i++) {
        info->indexkeys[i] = attnums[i];
        info->canreturn[i] = am->amcanreturn != NULL;  // btree returns every column
        if (i < nk) {
            info->indexcollations[i] = h->collations[i];
            info->opfamily[i] = h->opfamily[i];
            info->opcintype[i] = h->opcintype[i];
            info->reverse_sort[i] = h->desc[i];
            info->nulls_first[i] = h->nulls_first[i];
        }
    }
    info->sortopfamily = info->opfamily;
    info->relam = BTREE_AM_OID;
    info->indexprs = (List *)copyObjectImpl(h->exprs);
    info->indpred = (List *)copyObjectImpl(h->pred);
    if (rel->relid != 1) {
        ChangeVarNodes((Node *)info->indexprs, 1, (int)rel->relid, 0);
        ChangeVarNodes((Node *)info->indpred, 1, (int)rel->relid, 0);
    }
    // Target list describing the index columns (what an index-only scan can return).
    List *tlist = NIL;
    ListCell *expr = list_head(info->indexprs);
    for (int i = 0; i < n; i++) {
        Expr *e;
        if (attnums[i] != 0) {
            e = (Expr *)makeVar(rel->relid, attnums[i], h->types[i], h->typmods[i],
                                h->collations[i], 0);
        } else {
            e = (Expr *)lfirst(expr);
            expr = lnext(info->indexprs, expr);
        }
        tlist = lappend(tlist, makeTargetEntry(e, (AttrNumber)(i + 1), NULL, false));
    }
    info->indextlist = tlist;
    info->indrestrictinfo = NIL;
    info->predOK = false;
    info->unique = false;
    info->immediate = true;
    info->hypothetical = true;
    info->amcanorderbyop = am->amcanorderbyop;
    info->amoptionalkey = am->amoptionalkey;
    info->amsearcharray = am->amsearcharray;
    info->amsearchnulls = am->amsearchnulls;
    info->amhasgettuple = am->amgettuple != NULL;
    info->amhasgetbitmap = am->amgetbitmap != NULL;
    info->amcanparallel = am->amcanparallel;
    info->amcanmarkpos = am->ammarkpos != NULL && am->amrestrpos != NULL;
    info->amcostestimate = PGA_AMCOSTESTIMATE(am->amcostestimate);
    // Size from the relation's row count, the planner's own estimate of the share of rows a
    // partial index keeps, and the size model (core/btree_size.h).
    double tuples = rel->tuples;
    if (h->pred != NIL) tuples *= predicate_selectivity(h, relid, rel);
    pg_advisor::BtreeSize size =
        pg_advisor::estimate_btree(static_cast<pg_advisor::SizeModel>(h->size_model), tuples,
                                   h->data_width, h->ncolumns, Min(h->distinct_keys, tuples));
    info->tuples = tuples;
    info->pages = (BlockNumber)size.pages;
    info->tree_height = size.height;
    return info;
}

static bool is_partition_of(Oid relid, Oid ancestor) {
    if (!get_rel_relispartition(relid)) return false;
    List *ancestors = get_partition_ancestors(relid);
    return list_member_oid(ancestors, ancestor);
}

static void pga_get_relation_info(PlannerInfo *root, Oid relationObjectId, bool inhparent,
                                  RelOptInfo *rel) {
    if (prev_get_relation_info) prev_get_relation_info(root, relationObjectId, inhparent, rel);
    if (nactive == 0 || inhparent) return;
    for (int i = 0; i < nactive; i++) {
        const PgaHypotheticalIndex *h = active[i];
        if (h->relid != relationObjectId && !is_partition_of(relationObjectId, h->relid)) continue;
        AttrNumber *attnums = static_cast<AttrNumber *>(palloc(sizeof(AttrNumber) * h->ncolumns));
        if (!map_columns(h, relationObjectId, attnums)) continue;
        rel->indexlist = lcons(build_index_info(h, relationObjectId, attnums, rel), rel->indexlist);
    }
}

// ---- Planning one statement.

static const char *statement_kind(Node *stmt) {
    switch (nodeTag(stmt)) {
        case T_SelectStmt:
            return NULL;
        case T_InsertStmt:
            return NULL;
        case T_UpdateStmt:
            return NULL;
        case T_DeleteStmt:
            return NULL;
#if PG_VERSION_NUM >= 150000
        case T_MergeStmt:
            return NULL;
#endif
        default:
            return CreateCommandName(stmt);
    }
}

// ---- Relations a statement names, checked before analysis locks them.

namespace {

struct NamedRelations {
    List *range_vars;  // RangeVar *
    List *cte_names;   // char *
};

bool collect_relations(Node *node, void *context) {
    if (node == NULL) return false;
    NamedRelations *cx = static_cast<NamedRelations *>(context);
    if (IsA(node, RangeVar)) {
        cx->range_vars = lappend(cx->range_vars, node);
        return false;
    }
    if (IsA(node, CommonTableExpr))
        cx->cte_names = lappend(cx->cte_names, ((CommonTableExpr *)node)->ctename);
    return raw_expression_tree_walker(node, PGA_WALKER(collect_relations), context);
}

bool names_cte(const NamedRelations &cx, const RangeVar *rv) {
    if (rv->schemaname != NULL) return false;
    ListCell *lc;
    foreach (lc, cx.cte_names)
        if (strcmp((const char *)lfirst(lc), rv->relname) == 0) return true;
    return false;
}

// Resolves every relation the statement names without locking it, and refuses (with the error
// a SELECT gets) those on which the current user holds no privilege at all, so that analysing
// the statement never queues a lock on a table its caller may not touch.
void check_named_relations(Node *stmt, int max_relations) {
    NamedRelations cx{NIL, NIL};
    collect_relations(stmt, &cx);
    if (max_relations > 0 && list_length(cx.range_vars) > max_relations)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("the statement names %d relations; the advisor plans statements "
                               "of at most %d (pg_advisor.max_relations_per_statement)",
                               list_length(cx.range_vars), max_relations)));
    const AclMode any = ACL_SELECT | ACL_INSERT | ACL_UPDATE | ACL_DELETE | ACL_TRUNCATE |
                        ACL_REFERENCES | ACL_TRIGGER;
    ListCell *lc;
    foreach (lc, cx.range_vars) {
        RangeVar *rv = (RangeVar *)lfirst(lc);
        if (names_cte(cx, rv)) continue;
        Oid relid = RangeVarGetRelid(rv, NoLock, true);
        if (!OidIsValid(relid)) continue;  // analysis reports it as the server does
        if (pg_class_aclmask(relid, GetUserId(), any, ACLMASK_ANY) == 0)
            aclcheck_error(ACLCHECK_NO_PRIV, get_relkind_objtype(get_rel_relkind(relid)),
                           rv->relname);
    }
}

}  // namespace

// PREPARE name (types) AS statement, as captured for the EXECUTEs of SQL-level prepared
// statements: the statement, with the declared parameter types (the others are inferred).
static RawStmt *prepared_body(RawStmt *rs, const char *sql, Oid **types, int *ntypes) {
    PrepareStmt *ps = (PrepareStmt *)rs->stmt;
    *ntypes = list_length(ps->argtypes);
    if (*ntypes > 0) {
        ParseState *pstate = make_parsestate(NULL);
        pstate->p_sourcetext = sql;
        *types = static_cast<Oid *>(palloc(sizeof(Oid) * *ntypes));
        int i = 0;
        ListCell *lc;
        foreach (lc, ps->argtypes)
            (*types)[i++] = typenameTypeId(pstate, (TypeName *)lfirst(lc));
        free_parsestate(pstate);
    }
    RawStmt *body = makeNode(RawStmt);
    body->stmt = ps->query;
    body->stmt_location = rs->stmt_location;
    body->stmt_len = rs->stmt_len;
    return body;
}

void pga_analyze_statement(const char *sql, int max_relations, PgaAnalyzed *out) {
    {
        List *raw = pg_parse_query(sql);
        if (raw == NIL)
            ereport(ERROR,
                    (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("the query is empty")));
        if (list_length(raw) != 1)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("exactly one statement expected, got %d", list_length(raw))));
        RawStmt *rs = (RawStmt *)linitial(raw);
        Oid *types = NULL;
        int ntypes = 0;
        if (IsA(rs->stmt, PrepareStmt)) rs = prepared_body(rs, sql, &types, &ntypes);
        if (const char *kind = statement_kind(rs->stmt))
            ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                            errmsg("only SELECT, INSERT, UPDATE, DELETE and MERGE statements can "
                                   "be advised, not %s",
                                   kind)));
        check_named_relations(rs->stmt, max_relations);
        Query *query = PGA_PARSE_ANALYZE_VARPARAMS(rs, sql, &types, &ntypes);
        out->sql = sql;
        out->param_types = types;
        out->nparams = ntypes;
        out->params = NULL;
        out->nbound = 0;
        out->queries = NIL;
        ListCell *lc;
        foreach (lc, QueryRewrite(query)) {
            Query *q = (Query *)lfirst(lc);
            if (q->commandType != CMD_UTILITY) out->queries = lappend(out->queries, q);
        }
    }
}

// The relations a plan reads, partitions as their roots (what the captured shapes name).
static List *plan_relations(const PlannedStmt *ps, List *relids) {
    ListCell *lc;
    foreach (lc, ps->rtable) {
        RangeTblEntry *rte = (RangeTblEntry *)lfirst(lc);
        if (rte->rtekind == RTE_RELATION)
            relids = list_append_unique_oid(relids, pga_index_target(rte->relid));
    }
    return relids;
}

void pga_plan_analyzed(const PgaAnalyzed *a, PgaHypotheticalIndex **hypos, int n, PgaPlanned *out) {
    PgaHypotheticalIndex **saved = active;
    int saved_n = nactive;
    // The hook is in place only while pg_advisor plans: no other planning pays for it.
    get_relation_info_hook_type saved_hook = get_relation_info_hook;
    if (saved_hook != pga_get_relation_info) {
        prev_get_relation_info = saved_hook;
        get_relation_info_hook = pga_get_relation_info;
    }
    active = hypos;
    nactive = n;
    PG_TRY();
    {
        {
            out->query = NULL;
            out->plans = NIL;
            out->cost = 0;
            out->relids = NIL;
            ListCell *lc;
            foreach (lc, a->queries) {
                // The planner scribbles on its input: plan a copy, keep one as analysed.
                Query *q = (Query *)copyObjectImpl(lfirst(lc));
                if (out->query == NULL) out->query = (Query *)copyObjectImpl(lfirst(lc));
                PlannedStmt *ps = pg_plan_query(q, a->sql, CURSOR_OPT_PARALLEL_OK, a->params);
                out->plans = lappend(out->plans, ps);
                out->cost += ps->planTree ? ps->planTree->total_cost : 0;
                out->relids = plan_relations(ps, out->relids);
            }
        }
    }
    PG_FINALLY();
    {
        active = saved;
        nactive = saved_n;
        get_relation_info_hook = saved_hook;
    }
    PG_END_TRY();
}

bool pga_check_planned_permissions(const PgaPlanned *planned, bool ereport_on_violation) {
    ListCell *lc;
    foreach (lc, planned->plans) {
        PlannedStmt *ps = (PlannedStmt *)lfirst(lc);
        if (!PGA_CHECK_PLAN_PERMISSIONS(ps, ereport_on_violation)) return false;
    }
    return true;
}

// ---- Example values for $n parameters.

namespace {

struct BindContext {
    Query *query;  // the query level being walked
    const PgaExampleValue *examples;
    int nexamples;
    int64 limit;
    const char **values;  // per parameter, NULL when unbound
    int nparams;
};

// Also through explicit casts ($1::date, what plannable_text() writes) and I/O coercions.
Node *strip_casts(Node *n) {
    for (;;) {
        n = pga_strip_implicit_casts(n);
        if (n != NULL && IsA(n, CoerceViaIO)) {
            n = (Node *)((CoerceViaIO *)n)->arg;
        } else if (n != NULL && IsA(n, FuncExpr) &&
                   ((FuncExpr *)n)->funcformat == COERCE_EXPLICIT_CAST &&
                   list_length(((FuncExpr *)n)->args) == 1) {
            n = (Node *)linitial(((FuncExpr *)n)->args);
        } else {
            return n;
        }
    }
}

int extern_param(Node *n) {
    n = strip_casts(n);
    if (n != NULL && IsA(n, Param) && ((Param *)n)->paramkind == PARAM_EXTERN)
        return ((Param *)n)->paramid;
    return 0;
}

// The example for column (relid, attnum) of the walked query compared by opno, if any.
const char *example_for(const BindContext *cx, Oid relid, AttrNumber attnum, Oid opno) {
    Oid root = pga_index_target(relid);
    if (root != relid) {
        char *name = get_attname(relid, attnum, true);
        attnum = name ? get_attnum(root, name) : InvalidAttrNumber;
        if (attnum == InvalidAttrNumber) return NULL;
    }
    Oid commutator = get_commutator(opno);
    for (int i = 0; i < cx->nexamples; i++) {
        const PgaExampleValue *e = &cx->examples[i];
        if (e->relid == root && e->attnum == attnum && (e->opno == opno || e->opno == commutator))
            return e->value;
    }
    return NULL;
}

void bind_opexpr(BindContext *cx, OpExpr *op) {
    if (list_length(op->args) != 2) return;
    Node *l = strip_casts((Node *)linitial(op->args)), *r = strip_casts((Node *)lsecond(op->args));
    Var *var = NULL;
    int paramid = 0;
    Oid opno = op->opno;
    if (l != NULL && IsA(l, Var) && (paramid = extern_param(r)) > 0) {
        var = (Var *)l;
    } else if (r != NULL && IsA(r, Var) && (paramid = extern_param(l)) > 0) {
        var = (Var *)r;
        opno = get_commutator(opno);  // $1 < col is col > $1
        if (!OidIsValid(opno)) return;
    }
    if (var == NULL || var->varlevelsup != 0 || paramid > cx->nparams || var->varattno <= 0) return;
    if (cx->values[paramid - 1] != NULL) return;
    if (var->varno < 1 || var->varno > (int)list_length(cx->query->rtable)) return;
    RangeTblEntry *rte = rt_fetch(var->varno, cx->query->rtable);
    if (rte->rtekind != RTE_RELATION) return;
    cx->values[paramid - 1] = example_for(cx, rte->relid, var->varattno, opno);
}

bool bind_walker(Node *node, void *context) {
    BindContext *cx = static_cast<BindContext *>(context);
    if (node == NULL) return false;
    if (IsA(node, Query)) {
        Query *saved = cx->query;
        Query *q = (Query *)node;
        cx->query = q;
        if (cx->limit >= 0 && q->limitCount != NULL) {
            int id = extern_param(q->limitCount);
            if (id > 0 && id <= cx->nparams && cx->values[id - 1] == NULL)
                cx->values[id - 1] = psprintf(INT64_FORMAT, cx->limit);
        }
        bool result = query_tree_walker(q, PGA_WALKER(bind_walker), context, 0);
        cx->query = saved;
        return result;
    }
    if (IsA(node, OpExpr)) bind_opexpr(cx, (OpExpr *)node);
    return expression_tree_walker(node, PGA_WALKER(bind_walker), context);
}

}  // namespace

int pga_bind_examples(PgaAnalyzed *a, const PgaExampleValue *examples, int nexamples, int64 limit) {
    a->params = NULL;
    a->nbound = 0;
    if (a->nparams <= 0) return 0;
    BindContext cx{NULL,
                   examples,
                   nexamples,
                   limit,
                   static_cast<const char **>(palloc0(sizeof(char *) * a->nparams)),
                   a->nparams};
    ListCell *lc;
    foreach (lc, a->queries)
        bind_walker((Node *)lfirst(lc), &cx);
    ParamListInfo params = makeParamList(a->nparams);
    int bound = 0;
    for (int i = 0; i < a->nparams; i++) {
        ParamExternData *p = &params->params[i];
        p->isnull = true;
        p->pflags = 0;
        p->ptype = InvalidOid;  // unbound: stays a parameter (generic estimate)
        Oid type = a->param_types ? a->param_types[i] : InvalidOid;
        if (cx.values[i] == NULL || !OidIsValid(type) || type == UNKNOWNOID) continue;
        if (strcmp(cx.values[i], "NULL") == 0) continue;
        Oid input, ioparam;
        getTypeInputInfo(type, &input, &ioparam);
        p->value = OidInputFunctionCall(input, const_cast<char *>(cx.values[i]), ioparam, -1);
        p->isnull = false;
        p->pflags = PARAM_FLAG_CONST;
        p->ptype = type;
        bound++;
    }
    if (bound > 0) {
        a->params = params;
        a->nbound = bound;
    }
    return bound;
}

static bool plan_uses(Plan *plan, Oid indexid);

static bool plans_use(List *plans, Oid indexid) {
    ListCell *lc;
    foreach (lc, plans)
        if (plan_uses((Plan *)lfirst(lc), indexid)) return true;
    return false;
}

static bool plan_uses(Plan *plan, Oid indexid) {
    if (plan == NULL) return false;
    check_stack_depth();
    switch (nodeTag(plan)) {
        case T_IndexScan:
            if (((IndexScan *)plan)->indexid == indexid) return true;
            break;
        case T_IndexOnlyScan:
            if (((IndexOnlyScan *)plan)->indexid == indexid) return true;
            break;
        case T_BitmapIndexScan:
            if (((BitmapIndexScan *)plan)->indexid == indexid) return true;
            break;
        case T_BitmapAnd:
            if (plans_use(((BitmapAnd *)plan)->bitmapplans, indexid)) return true;
            break;
        case T_BitmapOr:
            if (plans_use(((BitmapOr *)plan)->bitmapplans, indexid)) return true;
            break;
        case T_Append:
            if (plans_use(((Append *)plan)->appendplans, indexid)) return true;
            break;
        case T_MergeAppend:
            if (plans_use(((MergeAppend *)plan)->mergeplans, indexid)) return true;
            break;
        case T_SubqueryScan:
            if (plan_uses(((SubqueryScan *)plan)->subplan, indexid)) return true;
            break;
        case T_CustomScan:
            if (plans_use(((CustomScan *)plan)->custom_plans, indexid)) return true;
            break;
        default:
            break;
    }
    return plan_uses(plan->lefttree, indexid) || plan_uses(plan->righttree, indexid);
}

bool pga_planned_uses(const PgaPlanned *planned, Oid indexid) {
    ListCell *lc;
    foreach (lc, planned->plans) {
        PlannedStmt *ps = (PlannedStmt *)lfirst(lc);
        if (plan_uses(ps->planTree, indexid) || plans_use(ps->subplans, indexid)) return true;
    }
    return false;
}
