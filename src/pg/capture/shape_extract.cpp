// Translates a planned statement into a core ShapeBuilder: per scanned relation, the quals it
// filters on (column, kind, value source), plus the statement's ORDER BY, LIMIT and flags.
#include <exception>
#include <string_view>

#include "core/workload/query_pattern.h"
#include "core/workload/scan_shape.h"
#include "core/workload/session_tracker.h"

extern "C" {
#include "postgres.h"

#include "access/stratnum.h"
#include "access/sysattr.h"
#include "access/transam.h"
#include "catalog/pg_operator_d.h"
#include "catalog/pg_type_d.h"
#include "miscadmin.h"
#include "nodes/bitmapset.h"
#include "nodes/nodeFuncs.h"
#include "nodes/plannodes.h"
#include "optimizer/optimizer.h"
#include "optimizer/tlist.h"
#include "parser/parsetree.h"
#include "rewrite/rewriteManip.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/ruleutils.h"
}

#include "pg/compat.h"
#include "pg/capture/capture.h"
#include "pg/capture/shape_extract.h"

using namespace pg_advisor;

namespace {

struct JoinColumn {
    Oid relid;
    AttrNumber attnum;
};

struct ExtractContext {
    ShapeBuilder *b;
    const PlannedStmt *stmt;
    const PgaParamColumns *params;
    Bitmapset *nest_params;  // PARAM_EXEC numbers set by nested loops (join parameters)
    // Columns joined by equality to another relation in the Query, whatever join method the
    // plan chose: an index on one of them makes a parameterised nested loop possible.
    JoinColumn join_columns[32];
    int njoin_columns;
    const PgaStatementLiterals *literals;
    uint16 or_count;  // ORs over several columns recorded (OrArm quals)
};

// A constant in a custom plan may be a client's bound parameter folded in by the planner.
bool was_parameter(const ExtractContext *cx, Oid relid, AttrNumber attnum) {
    const PgaParamColumns *p = cx->params;
    if (p == NULL) return false;
    if (p->overflow) return true;
    for (int i = 0; i < p->n; i++)
        if (p->cols[i].relid == relid && p->cols[i].attnum == attnum) return true;
    return false;
}

Node *strip_relabel(Node *n) {
    return pga_strip_implicit_casts(n);
}

// Column number when n is a plain column of the scanned relation, else 0.
AttrNumber column_of(Node *n, Index scanrelid) {
    n = strip_relabel(n);
    if (n && IsA(n, Var)) {
        Var *v = (Var *)n;
        if (v->varno == (int)scanrelid && v->varlevelsup == 0 && v->varattno > 0)
            return v->varattno;
    }
    return 0;
}

struct VarScan {
    Index scanrelid;
    bool own;
    bool other;
};

bool find_vars(Node *n, void *context) {
    VarScan *vs = static_cast<VarScan *>(context);
    if (n == NULL) return false;
    if (IsA(n, Var)) {
        Var *v = (Var *)n;
        if (v->varno == (int)vs->scanrelid && v->varlevelsup == 0)
            vs->own = true;
        else
            vs->other = true;
        return false;
    }
    return expression_tree_walker(n, PGA_WALKER(find_vars), context);
}

bool has_nest_param(Node *n, void *context) {
    if (n == NULL) return false;
    const ExtractContext *cx = static_cast<const ExtractContext *>(context);
    if (IsA(n, Param)) {
        Param *p = (Param *)n;
        return p->paramkind == PARAM_EXEC && bms_is_member(p->paramid, cx->nest_params);
    }
    return expression_tree_walker(n, PGA_WALKER(has_nest_param), context);
}

QualSource source_of(Node *value, Index scanrelid, const ExtractContext *cx) {
    value = strip_relabel(value);
    if (value == NULL) return QualSource::None;
    if (IsA(value, Const)) return QualSource::Const;
    if (IsA(value, Param)) {
        Param *p = (Param *)value;
        if (p->paramkind == PARAM_EXTERN) return QualSource::Param;
        if (p->paramkind == PARAM_EXEC && bms_is_member(p->paramid, cx->nest_params))
            return QualSource::JoinParam;
        return QualSource::Expr;
    }
    VarScan vs{scanrelid, false, false};
    find_vars(value, &vs);
    if (vs.own) return QualSource::Column;
    if (vs.other || has_nest_param(value, const_cast<ExtractContext *>(cx)))
        return QualSource::JoinParam;
    return QualSource::Expr;
}

// Qual::literal of a constant: which of the statement's first literals it is (i + 1), 0 when
// it is none of them (a folded expression, a literal beyond the first ones, a bound value).
uint16 literal_of(const ExtractContext *cx, Node *value) {
    value = strip_relabel(value);
    const PgaStatementLiterals *lit = cx->literals;
    if (lit == NULL || value == NULL || !IsA(value, Const)) return 0;
    int location = ((Const *)value)->location;
    if (location < 0) return 0;
    const char *text = lit->source;
    // A negative number starts at its sign; 'open'::text is located at its cast.
    int at = location;
    if (text[at] == '-') {
        at++;
        while (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r')
            at++;
    }
    for (int i = 0; i < lit->n; i++)
        if (lit->offsets[i] == (uint32)at) return (uint16)(i + 1);
    // 'x'::text: the tracked literal that ends right before the cast, if one does.
    if (text[location] == ':' && text[location + 1] == ':') {
        std::string_view all(text);
        pg_advisor::sql::LexOptions opts = pga_lex_options();
        for (int i = 0; i < lit->n; i++) {
            size_t end =
                lit->offsets[i] + pg_advisor::sql::constant_length(all, lit->offsets[i], opts);
            if (pg_advisor::sql::skip_space_and_comments(all, end) == (size_t)location)
                return (uint16)(i + 1);
        }
    }
    return 0;
}

// Text of a constant for partial-index predicates; empty if long or unprintable.
char *const_text(Node *value) {
    value = strip_relabel(value);
    if (value == NULL || !IsA(value, Const)) return NULL;
    Const *c = (Const *)value;
    if (c->constisnull) return pstrdup("NULL");
    Oid typoutput;
    bool varlena;
    getTypeOutputInfo(c->consttype, &typoutput, &varlena);
    char *s = OidOutputFunctionCall(typoutput, c->constvalue);
    if (strlen(s) > 64) return NULL;
    return s;
}

// SQL text of an expression over the scanned relation's columns, e.g. lower(email).
char *expression_text(Node *expr, Index scanrelid, Oid relid) {
    Node *copy = (Node *)copyObjectImpl(expr);
    if (scanrelid != 1) ChangeVarNodes(copy, (int)scanrelid, 1, 0);
    char *relname = get_rel_name(relid);
    if (relname == NULL) return NULL;
    return deparse_expression(copy, deparse_context_for(relname, relid), false, false);
}

QualKind operator_kind(Oid opno, Node *value, bool *prefix_ok) {
    char *name = get_opname(opno);
    *prefix_ok = false;
    if (name == NULL) return QualKind::Other;
    if (strcmp(name, "=") == 0) return QualKind::Equality;
    if (strcmp(name, "<") == 0 || strcmp(name, "<=") == 0 || strcmp(name, ">") == 0 ||
        strcmp(name, ">=") == 0)
        return QualKind::Range;
    if (strcmp(name, "^@") == 0) return QualKind::LikePrefix;
    if (strcmp(name, "~~") == 0) {
        // LIKE is index-friendly only with a fixed prefix: 'abc%' yes, '%abc' no.
        value = strip_relabel(value);
        if (value && IsA(value, Const) && !((Const *)value)->constisnull) {
            Const *c = (Const *)value;
            if (c->consttype == TEXTOID || c->consttype == VARCHAROID ||
                c->consttype == BPCHAROID) {
                char *pattern = TextDatumGetCString(c->constvalue);
                *prefix_ok = pattern[0] != '\0' && pattern[0] != '%' && pattern[0] != '_';
                return *prefix_ok ? QualKind::LikePrefix : QualKind::Other;
            }
        }
        return QualKind::Other;
    }
    return QualKind::Other;
}

uint16 array_length_of(Node *array) {
    array = strip_relabel(array);
    if (array == NULL) return 0;
    if (IsA(array, Const) && !((Const *)array)->constisnull) {
        ArrayType *a = DatumGetArrayTypeP(((Const *)array)->constvalue);
        int n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
        return (uint16)Min(n, 65535);
    }
    if (IsA(array, ArrayExpr))
        return (uint16)Min(list_length(((ArrayExpr *)array)->elements), 65535);
    return 0;
}

// The arms of an OR over several columns, each an equality or IN on a plain column compared
// with a value (a = $1 OR b = $2): recorded as OrArm quals when every arm is one.
void add_or_arms(BoolExpr *bx, Index scanrelid, Oid relid, ExtractContext *cx) {
    struct Arm {
        AttrNumber col;
        QualSource source;
        Oid opno;
    } arms[8];
    int n = 0;
    ListCell *lc;
    foreach (lc, bx->args) {
        Node *arm = (Node *)lfirst(lc);
        Node *column = NULL, *value = NULL;
        Oid opno = InvalidOid;
        bool prefix_ok;
        if (IsA(arm, ScalarArrayOpExpr) && ((ScalarArrayOpExpr *)arm)->useOr) {
            ScalarArrayOpExpr *sa = (ScalarArrayOpExpr *)arm;
            column = (Node *)linitial(sa->args), value = (Node *)lsecond(sa->args);
            opno = sa->opno;
        } else if (IsA(arm, OpExpr) && list_length(((OpExpr *)arm)->args) == 2) {
            OpExpr *op = (OpExpr *)arm;
            column = (Node *)linitial(op->args), value = (Node *)lsecond(op->args);
            if (!column_of(column, scanrelid)) std::swap(column, value);
            opno = op->opno;
        }
        AttrNumber col = column ? column_of(column, scanrelid) : 0;
        if (!col || n == 8 || operator_kind(opno, NULL, &prefix_ok) != QualKind::Equality) return;
        QualSource source = source_of(value, scanrelid, cx);
        if (source == QualSource::Column) return;
        if (source == QualSource::Const && was_parameter(cx, relid, col))
            source = QualSource::Param;
        arms[n++] = {col, source, opno};
    }
    bool several = false;
    for (int i = 1; i < n; i++)
        several = several || arms[i].col != arms[0].col;
    if (!several) return;
    uint16 number = ++cx->or_count;
    for (int i = 0; i < n; i++)
        cx->b->add_qual(arms[i].col, QualKind::OrArm, arms[i].source, arms[i].opno, {}, {}, number);
}

void add_qual(Node *qual, Index scanrelid, Oid relid, ExtractContext *cx) {
    ShapeBuilder &b = *cx->b;
    if (qual == NULL) return;
    if (IsA(qual, OpExpr) && list_length(((OpExpr *)qual)->args) == 2) {
        OpExpr *op = (OpExpr *)qual;
        Node *left = (Node *)linitial(op->args), *right = (Node *)lsecond(op->args);
        AttrNumber lcol = column_of(left, scanrelid), rcol = column_of(right, scanrelid);
        Node *col_side = NULL, *value = NULL;
        AttrNumber col = 0;
        if (lcol && !rcol) {
            col = lcol, col_side = left, value = right;
        } else if (rcol && !lcol) {
            col = rcol, col_side = right, value = left;
        } else if (lcol && rcol) {
            b.add_qual(lcol, QualKind::Other, QualSource::Column, op->opno);
            return;
        } else {
            // Function of this relation's columns compared with something else: lower(email) = $1
            VarScan l{scanrelid, false, false}, r{scanrelid, false, false};
            find_vars(left, &l);
            find_vars(right, &r);
            if (l.own && !l.other && !r.own)
                col_side = left, value = right;
            else if (r.own && !r.other && !l.own)
                col_side = right, value = left;
            if (col_side == NULL) {
                char *text = expression_text(qual, scanrelid, relid);
                b.add_qual(0, QualKind::Other, QualSource::Expr, op->opno, text ? text : "");
                return;
            }
        }
        bool prefix_ok;
        QualSource source = source_of(value, scanrelid, cx);
        if (source == QualSource::Const && was_parameter(cx, relid, col))
            source = QualSource::Param;
        // A LIKE pattern that is a client parameter may or may not have a fixed prefix.
        QualKind kind =
            operator_kind(op->opno, source == QualSource::Const ? value : NULL, &prefix_ok);
        // A bound value folded into a custom plan is kept too: the advisor plans with it.
        char *value_text = const_text(value);
        uint16 literal = source == QualSource::Const ? literal_of(cx, value) : 0;
        if (col) {
            b.add_qual(col, kind, source, op->opno, {}, value_text ? value_text : "", 0, literal);
        } else {
            char *text = expression_text(col_side, scanrelid, relid);
            b.add_qual(0, kind, source, op->opno, text ? text : "", value_text ? value_text : "", 0,
                       literal);
        }
        return;
    }
    if (IsA(qual, ScalarArrayOpExpr)) {
        ScalarArrayOpExpr *sa = (ScalarArrayOpExpr *)qual;
        Node *left = (Node *)linitial(sa->args), *right = (Node *)lsecond(sa->args);
        AttrNumber col = column_of(left, scanrelid);
        bool prefix_ok;
        bool eq = operator_kind(sa->opno, NULL, &prefix_ok) == QualKind::Equality;
        QualSource source = source_of(right, scanrelid, cx);
        bool client_value = source == QualSource::Const && was_parameter(cx, relid, col);
        if (client_value) source = QualSource::Param;
        if (col && sa->useOr && eq) {
            // IN ($1, ..., $n) and IN (1, ..., n) have a fixed length per query id; a custom
            // plan of = ANY($1) shows the length of its first call (calls report their own).
            b.add_qual(col, QualKind::InList, source, sa->opno, {}, {}, array_length_of(right));
        } else {
            b.add_qual(col, QualKind::Other, source, sa->opno);
        }
        return;
    }
    if (IsA(qual, NullTest)) {
        NullTest *nt = (NullTest *)qual;
        AttrNumber col = column_of((Node *)nt->arg, scanrelid);
        if (col && !nt->argisrow) {
            b.add_qual(col, nt->nulltesttype == IS_NULL ? QualKind::IsNull : QualKind::IsNotNull,
                       QualSource::None, 0);
            return;
        }
    }
    if (IsA(qual, BooleanTest)) {
        BooleanTest *bt = (BooleanTest *)qual;
        AttrNumber col = column_of((Node *)bt->arg, scanrelid);
        if (col && (bt->booltesttype == IS_TRUE || bt->booltesttype == IS_FALSE)) {
            b.add_qual(col, QualKind::Equality, QualSource::Const, 0, {},
                       bt->booltesttype == IS_TRUE ? "true" : "false", 0, Qual::kLiteralInText);
            return;
        }
    }
    if (AttrNumber col = column_of(qual, scanrelid)) {  // WHERE active
        b.add_qual(col, QualKind::Equality, QualSource::Const, 0, {}, "true", 0,
                   Qual::kLiteralInText);
        return;
    }
    if (is_notclause(qual)) {  // WHERE NOT active
        if (AttrNumber col = column_of((Node *)get_notclausearg((Expr *)qual), scanrelid)) {
            b.add_qual(col, QualKind::Equality, QualSource::Const, 0, {}, "false", 0,
                       Qual::kLiteralInText);
            return;
        }
    }
    if (is_orclause(qual)) {
        // a = 1 OR a = 2 OR a = 3 on one column is an IN list.
        BoolExpr *bx = (BoolExpr *)qual;
        AttrNumber common = 0;
        Oid opno = InvalidOid;
        uint32 nvalues = 0;
        bool all_eq = true;
        QualSource source = QualSource::Const;
        ListCell *lc;
        foreach (lc, bx->args) {
            Node *arm = (Node *)lfirst(lc);
            AttrNumber col = 0;
            if (IsA(arm, ScalarArrayOpExpr) && ((ScalarArrayOpExpr *)arm)->useOr) {
                ScalarArrayOpExpr *sa = (ScalarArrayOpExpr *)arm;
                bool prefix_ok;
                if (operator_kind(sa->opno, NULL, &prefix_ok) == QualKind::Equality) {
                    col = column_of((Node *)linitial(sa->args), scanrelid);
                    QualSource s = source_of((Node *)lsecond(sa->args), scanrelid, cx);
                    if (s == QualSource::Column)
                        col = 0;
                    else if (s != QualSource::Const)
                        source = s;
                    nvalues += array_length_of((Node *)lsecond(sa->args));
                    opno = sa->opno;
                }
            } else if (IsA(arm, OpExpr) && list_length(((OpExpr *)arm)->args) == 2) {
                OpExpr *op = (OpExpr *)arm;
                bool prefix_ok;
                Node *l = (Node *)linitial(op->args), *r = (Node *)lsecond(op->args);
                if (operator_kind(op->opno, NULL, &prefix_ok) == QualKind::Equality) {
                    col = column_of(l, scanrelid);
                    Node *v = r;
                    if (!col) col = column_of(r, scanrelid), v = l;
                    if (col) {
                        QualSource s = source_of(v, scanrelid, cx);
                        if (s == QualSource::Column)
                            col = 0;
                        else if (s != QualSource::Const)
                            source = s;
                    }
                    opno = op->opno;
                    nvalues++;
                }
            }
            if (!col || (common && col != common)) {
                all_eq = false;
                break;
            }
            common = col;
        }
        if (all_eq && common) {
            if (source == QualSource::Const && was_parameter(cx, relid, common))
                source = QualSource::Param;
            b.add_qual(common, QualKind::InList, source, opno, {}, {},
                       source == QualSource::Const ? (uint16)Min(nvalues, 65535) : 0);
            return;
        }
    }
    // Anything else: keep its text so a reader sees what the scan filters on.
    VarScan vs{scanrelid, false, false};
    find_vars(qual, &vs);
    char *text = vs.own ? expression_text(qual, scanrelid, relid) : NULL;
    b.add_qual(0, QualKind::Other, vs.other ? QualSource::JoinParam : QualSource::Expr, 0,
               text ? text : "");
    if (is_orclause(qual)) add_or_arms((BoolExpr *)qual, scanrelid, relid, cx);
}

void need_columns(Node *expr, Index scanrelid, ShapeBuilder &b) {
    Bitmapset *attrs = NULL;
    pull_varattnos(expr, scanrelid, &attrs);
    for (int x = bms_next_member(attrs, -1); x >= 0; x = bms_next_member(attrs, x))
        b.need_column(x + FirstLowInvalidHeapAttributeNumber);
}

void add_scan(Plan *plan, ScanType type, Oid index_oid, List *quals_a, List *quals_b,
              List *targetlist, ExtractContext *cx) {
    Scan *scan = (Scan *)plan;
    if (scan->scanrelid == 0) return;
    RangeTblEntry *rte = rt_fetch(scan->scanrelid, cx->stmt->rtable);
    if (rte->rtekind != RTE_RELATION) return;
    bool parameterized = has_nest_param((Node *)quals_a, cx) || has_nest_param((Node *)quals_b, cx);
    ShapeBuilder &b = *cx->b;
    if (!b.begin_scan(rte->relid, type, index_oid, parameterized, plan->plan_rows,
                      plan->total_cost))
        return;
    ListCell *lc;
    foreach (lc, quals_a)
        add_qual((Node *)lfirst(lc), scan->scanrelid, rte->relid, cx);
    foreach (lc, quals_b)
        add_qual((Node *)lfirst(lc), scan->scanrelid, rte->relid, cx);
    for (int i = 0; i < cx->njoin_columns; i++) {
        const JoinColumn &jc = cx->join_columns[i];
        if (jc.relid == rte->relid && !b.has_qual_on(jc.attnum))
            b.add_qual(jc.attnum, QualKind::Equality, QualSource::JoinParam, 0);
    }
    need_columns((Node *)targetlist, scan->scanrelid, b);
    need_columns((Node *)quals_a, scan->scanrelid, b);
    need_columns((Node *)quals_b, scan->scanrelid, b);
}

bool find_join_columns(Node *n, void *context) {
    if (n == NULL) return false;
    ExtractContext *cx = static_cast<ExtractContext *>(context);
    if (IsA(n, OpExpr) && list_length(((OpExpr *)n)->args) == 2) {
        OpExpr *op = (OpExpr *)n;
        Node *l = strip_relabel((Node *)linitial(op->args));
        Node *r = strip_relabel((Node *)lsecond(op->args));
        bool prefix_ok;
        if (l && r && IsA(l, Var) && IsA(r, Var) && ((Var *)l)->varno != ((Var *)r)->varno &&
            ((Var *)l)->varlevelsup == 0 && ((Var *)r)->varlevelsup == 0 &&
            operator_kind(op->opno, NULL, &prefix_ok) == QualKind::Equality) {
            for (Var *v : {(Var *)l, (Var *)r}) {
                if (v->varattno <= 0 || v->varno < 1 || v->varno > list_length(cx->stmt->rtable))
                    continue;
                RangeTblEntry *rte = rt_fetch(v->varno, cx->stmt->rtable);
                if (rte->rtekind != RTE_RELATION || cx->njoin_columns >= 32) continue;
                cx->join_columns[cx->njoin_columns++] = {rte->relid, v->varattno};
            }
        }
        return false;
    }
    return expression_tree_walker(n, PGA_WALKER(find_join_columns), context);
}

void collect_nest_params(Plan *plan, ExtractContext *cx);

void collect_nest_params_list(List *plans, ExtractContext *cx) {
    ListCell *lc;
    foreach (lc, plans)
        collect_nest_params((Plan *)lfirst(lc), cx);
}

void collect_nest_params(Plan *plan, ExtractContext *cx) {
    if (plan == NULL) return;
    check_stack_depth();
    if (IsA(plan, NestLoop)) {
        ListCell *lc;
        foreach (lc, ((NestLoop *)plan)->nestParams)
            cx->nest_params =
                bms_add_member(cx->nest_params, ((NestLoopParam *)lfirst(lc))->paramno);
    }
    collect_nest_params(plan->lefttree, cx);
    collect_nest_params(plan->righttree, cx);
    switch (nodeTag(plan)) {
        case T_Append:
            collect_nest_params_list(((Append *)plan)->appendplans, cx);
            break;
        case T_MergeAppend:
            collect_nest_params_list(((MergeAppend *)plan)->mergeplans, cx);
            break;
        case T_SubqueryScan:
            collect_nest_params(((SubqueryScan *)plan)->subplan, cx);
            break;
        case T_CustomScan:
            collect_nest_params_list(((CustomScan *)plan)->custom_plans, cx);
            break;
        default:
            break;
    }
}

void walk_plan(Plan *plan, ExtractContext *cx);

void walk_plans(List *plans, ExtractContext *cx) {
    ListCell *lc;
    foreach (lc, plans)
        walk_plan((Plan *)lfirst(lc), cx);
}

// Index-only scans reference their columns as INDEX_VAR Vars numbered by index column;
// indextlist gives the heap column of each.
Node *replace_index_vars(Node *node, void *context) {
    if (node == NULL) return NULL;
    if (IsA(node, Var) && ((Var *)node)->varno == INDEX_VAR) {
        List *indextlist = static_cast<List *>(context);
        Var *v = (Var *)node;
        if (v->varattno >= 1 && v->varattno <= list_length(indextlist))
            return (Node *)copyObjectImpl(
                ((TargetEntry *)list_nth(indextlist, v->varattno - 1))->expr);
    }
    return expression_tree_mutator(node, PGA_MUTATOR(replace_index_vars), context);
}

List *heap_quals(List *quals, List *indextlist) {
    return (List *)replace_index_vars((Node *)quals, indextlist);
}

Oid single_bitmap_index(Plan *bitmap) {
    if (bitmap && IsA(bitmap, BitmapIndexScan)) return ((BitmapIndexScan *)bitmap)->indexid;
    return InvalidOid;
}

void walk_plan(Plan *plan, ExtractContext *cx) {
    if (plan == NULL) return;
    check_stack_depth();
    switch (nodeTag(plan)) {
        case T_SeqScan:
        case T_SampleScan:
            add_scan(plan, ScanType::SeqScan, InvalidOid, plan->qual, NIL, plan->targetlist, cx);
            break;
        case T_IndexScan: {
            IndexScan *s = (IndexScan *)plan;
            add_scan(plan, ScanType::IndexScan, s->indexid, s->indexqualorig, plan->qual,
                     plan->targetlist, cx);
            break;
        }
        case T_IndexOnlyScan: {
            IndexOnlyScan *s = (IndexOnlyScan *)plan;
            add_scan(plan, ScanType::IndexOnlyScan, s->indexid,
                     heap_quals(s->recheckqual, s->indextlist),
                     heap_quals(plan->qual, s->indextlist),
                     heap_quals(plan->targetlist, s->indextlist), cx);
            break;
        }
        case T_BitmapHeapScan: {
            BitmapHeapScan *s = (BitmapHeapScan *)plan;
            add_scan(plan, ScanType::BitmapHeapScan, single_bitmap_index(plan->lefttree),
                     s->bitmapqualorig, plan->qual, plan->targetlist, cx);
            return;  // the bitmap index scans below are described by bitmapqualorig
        }
        case T_TidScan:
        case T_TidRangeScan:
            add_scan(plan, ScanType::TidScan, InvalidOid, plan->qual, NIL, plan->targetlist, cx);
            break;
        case T_Append:
            walk_plans(((Append *)plan)->appendplans, cx);
            break;
        case T_MergeAppend:
            walk_plans(((MergeAppend *)plan)->mergeplans, cx);
            break;
        case T_SubqueryScan:
            walk_plan(((SubqueryScan *)plan)->subplan, cx);
            break;
        case T_CustomScan:
            walk_plans(((CustomScan *)plan)->custom_plans, cx);
            break;
        default:
            break;
    }
    walk_plan(plan->lefttree, cx);
    walk_plan(plan->righttree, cx);
}

void add_order_by(const Query *parse, ExtractContext *cx) {
    ListCell *lc;
    foreach (lc, parse->sortClause) {
        SortGroupClause *sgc = (SortGroupClause *)lfirst(lc);
        TargetEntry *tle = get_sortgroupclause_tle(sgc, parse->targetList);
        Node *expr = strip_relabel((Node *)tle->expr);
        Oid relid = InvalidOid;
        AttrNumber attnum = 0;
        if (expr && IsA(expr, Var) && ((Var *)expr)->varlevelsup == 0) {
            Var *v = (Var *)expr;
            RangeTblEntry *rte = rt_fetch(v->varno, parse->rtable);
            if (rte->rtekind == RTE_RELATION && v->varattno > 0) {
                relid = rte->relid;
                attnum = v->varattno;
            }
        }
        Oid opfamily, opcintype;
        int16 strategy = BTLessStrategyNumber;
        if (OidIsValid(sgc->sortop))
            (void)get_ordering_op_properties(sgc->sortop, &opfamily, &opcintype, &strategy);
        cx->b->add_order(relid, attnum, strategy == BTGreaterStrategyNumber, sgc->nulls_first);
    }
}

// ---- Columns compared with $n in the Query, before planning.

struct ParamScan {
    PgaParamColumns *out;
    List *rtable;
};

bool has_extern_param(Node *n, void *context) {
    if (n == NULL) return false;
    if (IsA(n, Param)) return ((Param *)n)->paramkind == PARAM_EXTERN;
    return expression_tree_walker(n, PGA_WALKER(has_extern_param), context);
}

void note_param_column(ParamScan *ps, Node *side, Node *other) {
    if (!has_extern_param(other, NULL)) return;
    side = strip_relabel(side);
    Index varno = 0;
    AttrNumber attnum = 0;
    if (side && IsA(side, Var)) {
        Var *v = (Var *)side;
        if (v->varlevelsup != 0) return;
        varno = v->varno;
        attnum = v->varattno;
    } else {
        List *vars = pull_var_clause(
            side, PVC_RECURSE_AGGREGATES | PVC_RECURSE_WINDOWFUNCS | PVC_RECURSE_PLACEHOLDERS);
        if (vars == NIL) return;
        varno = ((Var *)linitial(vars))->varno;
    }
    if (varno < 1 || varno > (Index)list_length(ps->rtable)) return;
    RangeTblEntry *rte = rt_fetch(varno, ps->rtable);
    if (rte->rtekind != RTE_RELATION) return;
    PgaParamColumns *out = ps->out;
    if (out->n >= PgaParamColumns::kMax) {
        out->overflow = true;
        return;
    }
    out->cols[out->n].relid = rte->relid;
    out->cols[out->n].attnum = attnum;
    out->n++;
}

void scan_query_params(Query *query, PgaParamColumns *out);

bool find_param_comparisons(Node *n, void *context) {
    ParamScan *ps = static_cast<ParamScan *>(context);
    if (n == NULL) return false;
    if (IsA(n, OpExpr) && list_length(((OpExpr *)n)->args) == 2) {
        Node *l = (Node *)linitial(((OpExpr *)n)->args), *r = (Node *)lsecond(((OpExpr *)n)->args);
        note_param_column(ps, l, r);
        note_param_column(ps, r, l);
    } else if (IsA(n, ScalarArrayOpExpr)) {
        ScalarArrayOpExpr *sa = (ScalarArrayOpExpr *)n;
        note_param_column(ps, (Node *)linitial(sa->args), (Node *)lsecond(sa->args));
    } else if (IsA(n, Query)) {
        scan_query_params((Query *)n, ps->out);
        return false;
    }
    return expression_tree_walker(n, PGA_WALKER(find_param_comparisons), context);
}

void scan_query_params(Query *query, PgaParamColumns *out) {
    check_stack_depth();
    ParamScan ps{out, query->rtable};
    find_param_comparisons((Node *)query->jointree, &ps);
    ListCell *lc;
    foreach (lc, query->rtable) {
        RangeTblEntry *rte = (RangeTblEntry *)lfirst(lc);
        if (rte->rtekind == RTE_SUBQUERY && rte->subquery) scan_query_params(rte->subquery, out);
    }
    foreach (lc, query->cteList) {
        CommonTableExpr *cte = (CommonTableExpr *)lfirst(lc);
        if (cte->ctequery && IsA(cte->ctequery, Query))
            scan_query_params((Query *)cte->ctequery, out);
    }
}

// The OFFSET of this planning: a constant of the query, or the value a custom plan folded in
// for a parameter (the Limit node at the top of the plan); 0 when not known.
uint32 offset_of(const Query *parse, const PlannedStmt *stmt) {
    Node *n = NULL;
    if (stmt->planTree && IsA(stmt->planTree, Limit)) n = ((Limit *)stmt->planTree)->limitOffset;
    n = strip_relabel(n ? n : parse->limitOffset);
    if (n == NULL || !IsA(n, Const) || ((Const *)n)->constisnull) return 0;
    int64 v = DatumGetInt64(((Const *)n)->constvalue);
    return v <= 0 ? 0 : v >= (int64)UINT32_MAX ? UINT32_MAX : (uint32)v;
}

}  // namespace

void pga_collect_param_columns(Query *parse, PgaParamColumns *params) {
    params->n = 0;
    params->overflow = false;
    Node *limit = strip_relabel(parse->limitCount);
    params->limit_param = limit && has_extern_param(limit, NULL);
    scan_query_params(parse, params);
}

void pga_extract_shape(const Query *parse, const PlannedStmt *stmt, const PgaParamColumns *params,
                       ShapeBuilder *builder, const PgaStatementLiterals *literals) {
    ExtractContext cx{};
    cx.b = builder;
    cx.literals = literals;
    cx.stmt = stmt;
    cx.params = params;
    // The Query's rtable indexes are the plan's for the relations of the top level; joins
    // found in the jointree are attached to the scans of their relations.
    if (list_length(parse->rtable) <= list_length(stmt->rtable))
        find_join_columns((Node *)parse->jointree, &cx);
    ShapeHeader &h = builder->header();
    h.command = static_cast<uint8>(pga_command_kind(stmt->commandType));
    h.total_cost = stmt->planTree ? stmt->planTree->total_cost : 0;
    h.plan_rows = stmt->planTree ? stmt->planTree->plan_rows : 0;
    if (stmt->resultRelations != NIL) {
        Index ri = (Index)linitial_int(stmt->resultRelations);
        if (ri >= 1 && ri <= (Index)list_length(stmt->rtable))
            h.result_relid = rt_fetch(ri, stmt->rtable)->relid;
    }

    collect_nest_params(stmt->planTree, &cx);
    collect_nest_params_list(stmt->subplans, &cx);
    walk_plan(stmt->planTree, &cx);
    walk_plans(stmt->subplans, &cx);

    if (parse->limitCount == NULL) {
        h.limit = -1;
    } else {
        Node *lc = strip_relabel(parse->limitCount);
        if (params && params->limit_param)
            h.limit = -2;
        else if (lc && IsA(lc, Const) && !((Const *)lc)->constisnull)
            h.limit = DatumGetInt64(((Const *)lc)->constvalue);
        else if (lc && IsA(lc, Const))
            h.limit = -1;  // LIMIT NULL / ALL
        else
            h.limit = -2;
    }
    if (parse->limitOffset != NULL) {
        h.flags |= kShapeHasOffset;
        h.offset = offset_of(parse, stmt);
    }
    if (parse->hasAggs) h.flags |= kShapeHasAggregate;
    ListCell *lc;
    foreach (lc, stmt->rowMarks) {
        PlanRowMark *rm = (PlanRowMark *)lfirst(lc);
        if (rm->markType <= ROW_MARK_KEYSHARE) h.flags |= kShapeForUpdate;
        if (rm->waitPolicy == LockWaitSkip) h.flags |= kShapeSkipLocked;
    }
    if (parse->commandType == CMD_INSERT) {
        foreach (lc, parse->rtable) {
            RangeTblEntry *rte = (RangeTblEntry *)lfirst(lc);
            if (rte->rtekind == RTE_VALUES || rte->rtekind == RTE_SUBQUERY)
                h.flags |= kShapeMultiRowValues;
        }
    }
    bool any_scan = builder->nscans() > 0, all_catalog = true;
    foreach (lc, stmt->rtable) {
        RangeTblEntry *rte = (RangeTblEntry *)lfirst(lc);
        if (rte->rtekind == RTE_RELATION && rte->relid >= FirstNormalObjectId) all_catalog = false;
    }
    if (any_scan && all_catalog) h.flags |= kShapeCatalogOnly;

    add_order_by(parse, &cx);
}

Node *pga_strip_implicit_casts(Node *n) {
    for (;;) {
        if (n == NULL) return n;
        if (IsA(n, RelabelType)) {
            n = (Node *)((RelabelType *)n)->arg;
        } else if (IsA(n, FuncExpr) && ((FuncExpr *)n)->funcformat == COERCE_IMPLICIT_CAST &&
                   list_length(((FuncExpr *)n)->args) == 1) {
            n = (Node *)linitial(((FuncExpr *)n)->args);
        } else {
            return n;
        }
    }
}
