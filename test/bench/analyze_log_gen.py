"""Writes a stderr server log (Debian's prefix '%m [%p] %q%u@%d ') of N statements from 40
interleaved sessions running ORM-shaped requests: Django-style N+1 lookups (LIMIT 21),
SQLAlchemy-style lazy loads inside BEGIN/COMMIT, row-by-row INSERT loops, batched IN loads,
extended-protocol executes with DETAIL parameters (log_min_duration_statement = 0 form, with
parse/bind lines), multi-line statements and sqlcommenter tags. Usage: gen.py N OUT."""
import random
import sys

N = int(sys.argv[1])
out = open(sys.argv[2], "w", buffering=1 << 20)
rnd = random.Random(42)
SESSIONS = [(20000 + i, "app%d" % (i % 3), "shop") for i in range(40)]
t = [1796600000.0]  # seconds


def ts():
    t[0] += 0.001  # 40 sessions: a session idles ~0.8 s between its requests
    secs = int(t[0])
    ms = int((t[0] - secs) * 1000)
    h, m, s = (secs // 3600) % 24, (secs // 60) % 60, secs % 60
    return "2026-12-07 %02d:%02d:%02d.%03d UTC" % (h, m, s, ms)


def line(pid, user, db, sev, msg):
    out.write("%s [%d] %s@%s %s:  %s\n" % (ts(), pid, user, db, sev, msg))


count = 0


def stmt(sess, text):
    global count
    pid, user, db = sess
    if rnd.random() < 0.5:
        line(pid, user, db, "LOG", "statement: " + text)
    else:
        line(pid, user, db, "LOG", "duration: %.3f ms  statement: %s" % (rnd.random(), text))
    count += 1


def execute(sess, name, text, params):
    global count
    pid, user, db = sess
    plist = ", ".join("$%d = '%s'" % (i + 1, p) for i, p in enumerate(params))
    line(pid, user, db, "LOG", "duration: 0.012 ms  parse %s: %s" % (name, text))
    line(pid, user, db, "LOG", "duration: 0.008 ms  bind %s: %s" % (name, text))
    line(pid, user, db, "DETAIL", "parameters: " + plist)
    line(pid, user, db, "LOG", "duration: %.3f ms  execute %s: %s" % (rnd.random(), name, text))
    line(pid, user, db, "DETAIL", "parameters: " + plist)
    count += 1


def django(sess):
    tag = "/*controller='books',action='index',framework='django%%3A4.2'*/"
    stmt(sess, 'SELECT "blog_book"."id", "blog_book"."title", "blog_book"."author_id" FROM "blog_book" ORDER BY "blog_book"."id" ASC LIMIT 10 ' + tag)
    for _ in range(10):
        stmt(sess, 'SELECT "blog_author"."id", "blog_author"."name" FROM "blog_author"\n\tWHERE "blog_author"."id" = %d LIMIT 21 %s' % (rnd.randint(1, 5000), tag))


def sqlalchemy(sess):
    stmt(sess, "BEGIN")
    stmt(sess, "SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.active = true")
    for _ in range(8):
        stmt(sess, "SELECT orders.id AS orders_id, orders.total AS orders_total FROM orders WHERE %d = orders.user_id" % rnd.randint(1, 9999))
    stmt(sess, "COMMIT")


def write_loop(sess):
    stmt(sess, "BEGIN")
    for i in range(6):
        stmt(sess, "INSERT INTO order_items (order_id, sku, qty) VALUES (%d, 'sku-%d', %d)" % (rnd.randint(1, 10**6), i, 1 + i))
    stmt(sess, "COMMIT")


def batched(sess):
    ids = ", ".join(str(rnd.randint(1, 10**5)) for _ in range(10))
    stmt(sess, "SELECT id, name FROM products WHERE id IN (%s)" % ids)
    stmt(sess, "UPDATE carts SET updated_at = now() WHERE id = %d" % rnd.randint(1, 10**5))


def extended(sess):
    execute(sess, "<unnamed>", "SELECT id, email FROM customers WHERE region = $1 ORDER BY id LIMIT $2", ["eu", "50"])
    for _ in range(6):
        execute(sess, "S_1", "SELECT id, street, city FROM addresses WHERE customer_id = $1", [str(rnd.randint(1, 10**6))])


SHAPES = [django, sqlalchemy, write_loop, batched, extended]
WEIGHTS = [3, 2, 1, 3, 2]
while count < N:
    rnd.choices(SHAPES, WEIGHTS)[0](rnd.choice(SESSIONS))
    if rnd.random() < 0.01:
        out.write("garbage line that no prefix matches\n")
out.close()
print(count)
