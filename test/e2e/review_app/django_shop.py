"""A small Django 3.2 shop with known defects of every review category, run against a server
with pg_advisor preloaded; then the review is exported with advisor.export_report and the test
checks that the report lists each defect exactly once, with its fix.

Defects planted (and the rule that must report each):
  indexing    order.customer: a ForeignKey with db_index=False          fk_missing_index,
              the index the advisor verifies for /customers/orders         missing_index and
              and the seq scans it would avoid: one defect, one finding    seq_scan_hotspot
  schema      legacy_events: a table with no primary key                no_primary_key
              legacy_events.payload: json, not jsonb                    json_not_jsonb
  query       /orders/: customer loaded once per order (N+1)            n_plus_one
              /import/: Order.save() in a loop                          bulk_write_loop
              /orders/?page=400: Paginator deep in the list (OFFSET)    large_offset_pagination
  security    audit_log(): SECURITY DEFINER without a pinned search_path function_search_path_mutable
              shop_order has a policy but row-level security is off     policy_but_rls_disabled
  operations  a connection left idle in a transaction                   idle_in_transaction

Argv: database name, export directory. Tags come the way sqlcommenter's Django middleware adds
them (controller, action, framework).
"""
import json
import os
import sys
import types

import django
from django.conf import settings

DB, EXPORT_DIR = sys.argv[1], sys.argv[2]
HOST, PORT, USER = os.environ["PGHOST"], os.environ["PGPORT"], os.environ.get("PGUSER", "postgres")

shop = types.ModuleType("shop")
shop.__file__ = __file__
sys.modules["shop"] = shop
database = {"ENGINE": "django.db.backends.postgresql", "NAME": DB, "USER": USER, "HOST": HOST,
            "PORT": str(PORT)}
settings.configure(DEBUG=False, USE_TZ=True, INSTALLED_APPS=["shop"],
                   DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
                   DATABASES={"default": database, "idle": database})
django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, connections, models  # noqa: E402


class Customer(models.Model):
    name = models.CharField(max_length=80)

    class Meta:
        app_label = "shop"
        db_table = "shop_customer"


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, db_index=False)
    total = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=12)

    class Meta:
        app_label = "shop"
        db_table = "shop_order"


class Tagger:
    """connection.execute_wrapper appending the request's sqlcommenter comment."""

    def __init__(self, controller, action):
        self.comment = "/*controller='%s',action='%s',framework='django%%3A3.2'*/" % (
            controller, action)

    def __call__(self, execute, sql, params, many, context):
        return execute(sql + " " + self.comment.replace("%", "%%") if params is not None
                       else sql + " " + self.comment, params, many, context)


def request(controller, action, fn):
    with connection.execute_wrapper(Tagger(controller, action)):
        return fn()


failed = 0


def check(label, ok, detail=""):
    global failed
    print(("ok - " if ok else "not ok - ") + label + (f" ({detail})" if detail else ""))
    failed += 0 if ok else 1


# ---- schema, the Django way and with a legacy migration's raw SQL
with connection.schema_editor() as editor:
    editor.create_model(Customer)
    editor.create_model(Order)
with connection.cursor() as cur:
    cur.execute("""
        CREATE TABLE legacy_events (at timestamptz NOT NULL, kind text NOT NULL, payload json);
        CREATE FUNCTION audit_log(msg text) RETURNS void LANGUAGE sql SECURITY DEFINER
            AS $$ INSERT INTO legacy_events (at, kind) VALUES (now(), msg) $$;
        CREATE POLICY own_orders ON shop_order USING (status <> 'hidden');
        INSERT INTO shop_customer (name) SELECT 'c' || g FROM generate_series(1, 2000) g;
        INSERT INTO shop_order (customer_id, total, status)
            SELECT 1 + g % 2000, g % 500, (ARRAY['new', 'paid', 'shipped'])[1 + g % 3]
            FROM generate_series(1, 60000) g;
        INSERT INTO legacy_events SELECT now(), 'k' || g, '{}' FROM generate_series(1, 3000) g;
        ANALYZE;
        SELECT advisor.reset();
        SET pg_advisor.idle_gap_ms = 60000;
    """)


# ---- the application's requests
def order_list():  # N+1: order.customer for each of 20 orders
    return [(o.id, o.customer.name) for o in Order.objects.order_by("id")[:20]]


def import_orders():  # write loop: one INSERT per order
    for i in range(15):
        Order(customer_id=1 + i, total=i, status="new").save()


def deep_page():  # Paginator on page 400 of 25: OFFSET 9975
    return list(Paginator(Order.objects.order_by("id").only("id"), 25).page(400))


def customer_orders():  # the lookup the missing index would serve, many times
    for c in range(1, 301):
        list(Order.objects.filter(customer_id=c).values_list("id", flat=True))


request("orders", "index", order_list)
request("import", "create", import_orders)
request("orders", "page", deep_page)
request("customers", "orders", customer_orders)

# ---- an operator's mistake: a session left idle in a transaction
idle = connections["idle"]
idle.set_autocommit(False)
with idle.cursor() as cur:
    cur.execute("SELECT 1")

# ---- the review, exported as the daily job would (thresholds of the idle check lowered so
# the test does not wait a minute)
with connection.cursor() as cur:
    cur.execute("SELECT pg_sleep(2)")
    cur.execute("SET pg_advisor.idle_in_transaction_min_seconds = 1")
    cur.execute("SELECT * FROM advisor.export_report(%s)", (EXPORT_DIR,))
    paths = [r[0] for r in cur.fetchall()]
idle.rollback()

summary = next(p for p in paths if p.endswith(".md") and "/finding-" not in p)
report = json.load(open(next(p for p in paths if p.endswith(".json"))))
findings = report["findings"]
md = open(summary).read()

expected = {
    ("no_primary_key", "public.legacy_events"),
    ("json_not_jsonb", "public.legacy_events.payload"),
    ("n_plus_one", "public.shop_customer"),
    ("bulk_write_loop", "public.shop_order"),
    ("large_offset_pagination", None),
    ("function_search_path_mutable", "public.audit_log(text)"),
    ("policy_but_rls_disabled", "public.shop_order"),
    ("idle_in_transaction", None),
}


# What each defect's fix must contain (the SQL, or the ORM's spelling for loops).
FIXES = {
    "no_primary_key": "PRIMARY KEY",
    "json_not_jsonb": "TYPE jsonb",
    "n_plus_one": "select_related",
    "bulk_write_loop": "bulk_create",
    "large_offset_pagination": "ORDER BY",
    "function_search_path_mutable": "SET search_path",
    "policy_but_rls_disabled": "ENABLE ROW LEVEL SECURITY",
    "idle_in_transaction": "idle_in_transaction_session_timeout",
}


def matches(f, rule, obj):
    return f["rule"] == rule and (obj is None or f["object"] == obj)


for rule, obj in sorted(expected, key=str):
    found = [f for f in findings if matches(f, rule, obj)]
    check(f"{rule} on {obj or 'its object'}: listed once", len(found) == 1,
          ", ".join(f["object"] for f in found) or "missing")
    if len(found) != 1:
        continue
    f = found[0]
    fix_text = (f.get("fix_sql") or "") + "\n" + (f.get("orm_fix") or "")
    check(f"{rule}: comes with its fix ({FIXES[rule]!r})", FIXES[rule] in fix_text,
          fix_text.strip()[:200])
    files = [p for p in paths if p.endswith("/" + f["file"])]
    check(f"{rule}: has its own finding file, linked from the summary",
          len(files) == 1 and os.path.basename(files[0]) in md, ", ".join(files))

# The defects reported once, whatever rule saw them too.
keys = [(f["rule"], f["object"]) for f in findings]
check("no finding listed twice", len(keys) == len(set(keys)))
# The unindexed foreign key is also what the advisor verified for /customers/orders and what
# made shop_order a seq-scan hotspot: one defect, one finding (the most severe rule keeps it),
# the others folded into it.
index_rules = {"fk_missing_index", "missing_index", "seq_scan_hotspot"}
index = [f for f in findings if f["rule"] in index_rules and f["object"] == "public.shop_order"]
check("the shop_order (customer_id) index is one finding", len(index) == 1,
      ", ".join(f["rule"] for f in index))
if index:
    fk = index[0]
    rules = {fk["rule"]} | {a["rule"] for a in fk.get("evidence", {}).get("also_reported_by", [])}
    check("it carries the foreign key, the verified index and the hotspot",
          rules == index_rules, sorted(rules))
    check("its fix is the index, built CONCURRENTLY",
          "CONCURRENTLY" in fk.get("fix_sql", "") and "(customer_id)" in fk.get("fix_sql", ""),
          fk.get("fix_sql"))
    files = [p for p in paths if p.endswith("/" + fk["file"])]
    check("it has its own finding file", len(files) == 1)
n1 = next(f for f in findings if f["rule"] == "n_plus_one")
check("the N+1 names Django's fix", "select_related" in (n1.get("orm_fix") or ""), n1.get("orm_fix"))
check("the N+1's verification gives the query count", "21" in (n1.get("verify") or ""),
      n1.get("verify"))
loop = next(f for f in findings if f["rule"] == "bulk_write_loop")
check("the write loop names bulk_create", "bulk_create" in (loop.get("orm_fix") or ""),
      loop.get("orm_fix"))
sys.exit(1 if failed else 0)
