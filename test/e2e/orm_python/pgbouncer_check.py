"""Two requests through pgbouncer in transaction pooling mode with default_pool_size = 1: both
clients share one server backend, and their statements interleave on it. Request A runs a
real N+1 (the post list, then 8 comment lookups); request B runs the same lookup 3 times.
Each request tags its statements with its own request_id: exactly one finding, A's.

argv: database. PGBOUNCER_HOST / PGBOUNCER_PORT: pgbouncer's socket directory and port.
"""
import os
import sys
import threading

import psycopg2

from common import USER, Suite, sqlcommenter

DB = sys.argv[1]
BOUNCER_HOST = os.environ["PGBOUNCER_HOST"]
BOUNCER_PORT = int(os.environ["PGBOUNCER_PORT"])
DRIVER = "psycopg2:" + psycopg2.__version__.split()[0]
CHILD = "SELECT body FROM comments WHERE post_id = %s"

# The order in which the two clients send their statements: A's parent, then B's three
# lookups alternating with A's first three, then the rest of A's.
SCHEDULE = [("A", 0)] + [x for i in (1, 2, 3) for x in (("B", i), ("A", i))] + [("A", i) for i in range(4, 9)]


def setup(admin):
    with admin.cursor() as cur:
        cur.execute("""
            CREATE TABLE posts (id int PRIMARY KEY, title text NOT NULL);
            CREATE TABLE comments (id serial PRIMARY KEY, post_id int NOT NULL REFERENCES posts, body text NOT NULL);
            CREATE INDEX ON comments (post_id);
            INSERT INTO posts SELECT g, 'post ' || g FROM generate_series(1, 20) g;
            INSERT INTO comments (post_id, body) SELECT 1 + (g - 1) % 20, 'comment ' || g FROM generate_series(1, 60) g;
            ANALYZE""")


def bouncer_connect():
    conn = psycopg2.connect(host=BOUNCER_HOST, port=BOUNCER_PORT, user=USER, dbname=DB,
                            application_name="orm_python client")
    conn.autocommit = True
    return conn


class Client(threading.Thread):
    def __init__(self, name, request_id, turn):
        super().__init__(name=f"request {name}")
        self.me = name
        self.tags = {"db_driver": DRIVER, "request_id": request_id}
        self.turn = turn
        self.pids = set()
        self.error = None

    def sql(self, text):
        return text + " " + sqlcommenter(self.tags, True)

    def run(self):
        try:
            conn = bouncer_connect()
            cur = conn.cursor()
            cur.execute("SELECT pg_backend_pid()")
            self.pids.add(cur.fetchone()[0])
            posts = []
            for step in range(len(SCHEDULE)):
                who, n = SCHEDULE[step]
                if who != self.me:
                    continue
                with self.turn:
                    if not self.turn.wait_for(lambda: self.turn.step == step or self.turn.failed, timeout=30):
                        raise RuntimeError(f"timed out waiting for step {step}")
                    if self.turn.failed:
                        return
                    if n == 0:
                        cur.execute(self.sql("SELECT id, title FROM posts ORDER BY id LIMIT %s"), (8,))
                        posts = [r[0] for r in cur.fetchall()]
                    else:
                        cur.execute(self.sql(CHILD), (posts[n - 1] if posts else n,))
                        cur.fetchall()
                    self.turn.step += 1
                    self.turn.notify_all()
            cur.execute("SELECT pg_backend_pid()")
            self.pids.add(cur.fetchone()[0])
            conn.close()
        except Exception as e:  # reported by the main thread
            self.error = e
            with self.turn:
                self.turn.failed = True
                self.turn.notify_all()


def main():
    t = Suite("pgbouncer", DB)
    setup(t.admin)
    t.scenario("two tagged requests interleaved on one pooled server connection")
    turn = threading.Condition()
    turn.step = 0
    turn.failed = False
    run_id = os.getpid()
    a = Client("A", f"req-a-{run_id}", turn)
    b = Client("B", f"req-b-{run_id}", turn)
    a.start()
    b.start()
    a.join(60)
    b.join(60)
    t.check("both requests ran to the end", (a.error, b.error, turn.step), (None, None, len(SCHEDULE)))
    t.check("both clients were served by one server backend", len(a.pids | b.pids), 1)

    # The server backend's own view: through pgbouncer we land on the same backend again.
    conn = bouncer_connect()
    with conn.cursor() as cur:
        cur.execute("""SELECT s.request_key FROM advisor.session_statements() s
                         JOIN advisor.query_patterns p USING (queryid)
                        WHERE p.query = 'SELECT body FROM comments WHERE post_id = $1' ORDER BY s.seq""")
        keys = [r[0] for r in cur.fetchall()]
    conn.close()
    letters = {keys[0]: "B"} if keys else {}
    order = "".join(letters.setdefault(k, "A" if len(letters) == 1 else "?") for k in keys)
    t.check("the lookups of B and A interleaved on the server backend", order, "BABABAAAAAA")

    rows = t.findings()
    got = [(r["kind"], r["parent_relation"], r["child_relation"], r["occurrences"], r["executions"],
            r["max_repeats"], r["distinct_params"], r["framework"], r["scope_kind"], r["example_scope"])
           for r in rows]
    if not t.check("exactly one finding: A's N+1 of 8, nothing for B's 3 lookups", got,
                   [("n_plus_one", "posts", "comments", 1, 8, 8, 8, "psycopg", "request",
                     f"request_id=req-a-{run_id}")]):
        t.dump(rows)
    t.finish()


main()
