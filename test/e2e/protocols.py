"""Capture through real drivers: psycopg2 (simple protocol) and asyncpg (extended protocol)."""
import asyncio
import sys

import asyncpg
import psycopg2

failed = 0


def check(label, actual, expected):
    global failed
    if actual == expected:
        print(f"ok - {label} ({actual!r})")
    else:
        failed += 1
        print(f"not ok - {label}: expected {expected!r}, got {actual!r}")


def psycopg2_checks():
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("CREATE TABLE pt (id int PRIMARY KEY, v int)")
    cur.execute("INSERT INTO pt SELECT g, g FROM generate_series(1, 20) g")
    cur.execute("SELECT advisor.reset()")

    # Sequelize-style: the comment follows the statement's ';' in the same query string.
    for i in (1, 2, 3):
        cur.execute("SELECT v FROM pt WHERE id = %s; /*route='%%2Fusers%%2F:id',db_driver='sequelize%%3A6.37'*/", (i,))
    cur.execute("""SELECT query, calls, tags->>'route', tags->>'db_driver'
                     FROM advisor.query_patterns WHERE query LIKE 'SELECT v FROM pt WHERE id%'""")
    check("comment after a trailing ';' is the statement's",
          cur.fetchall(), [("SELECT v FROM pt WHERE id = $1", 3, "/users/:id", "sequelize:6.37")])

    # Two statements in one query string, each with its own comment.
    cur.execute("SELECT v + 1 FROM pt WHERE id = 4 /*controller='first'*/; "
                "SELECT v * 2 FROM pt WHERE id = 5 /*controller='second'*/")
    cur.execute("""SELECT query, calls, tags->>'controller' FROM advisor.query_patterns
                    WHERE query LIKE 'SELECT v + %' OR query LIKE 'SELECT v * %' ORDER BY query""")
    check("multi-statement string: each statement has its own text and tags",
          cur.fetchall(), [("SELECT v * $1 FROM pt WHERE id = $2", 1, "second"),
                           ("SELECT v + $1 FROM pt WHERE id = $2", 1, "first")])

    # Parameter fingerprints of interpolated constants: 3 executions, 2 distinct value sets.
    cur.execute("SELECT advisor.reset()")
    for i in (7, 7, 8):
        cur.execute("SELECT v FROM pt WHERE id = %s", (i,))
    cur.execute("""SELECT count(*), count(DISTINCT param_fingerprint)
                     FROM advisor.session_statements() s JOIN advisor.query_patterns p USING (queryid)
                    WHERE p.query = 'SELECT v FROM pt WHERE id = $1'""")
    check("simple protocol: equal values share a fingerprint", cur.fetchone(), (3, 2))
    conn.close()


async def asyncpg_checks():
    conn = await asyncpg.connect()
    await conn.execute("SELECT advisor.reset()")
    # asyncpg prepares each distinct text once (statement cache) and binds binary parameters.
    for i in (1, 1, 2, 3):
        await conn.fetch("SELECT v FROM pt WHERE id = $1 AND v > $2 /*controller='async',action='show'*/", i, 0)
    rows = await conn.fetch("""SELECT query, calls, rows, tags->>'controller' AS c
                                 FROM advisor.query_patterns WHERE query LIKE 'SELECT v FROM pt WHERE id = $1 AND%'""")
    check("extended protocol: pattern, tags stripped from text",
          [tuple(r) for r in rows], [("SELECT v FROM pt WHERE id = $1 AND v > $2", 4, 4, "async")])
    fp = await conn.fetch("""SELECT count(*), count(DISTINCT param_fingerprint), count(DISTINCT request_key)
                               FROM advisor.session_statements() s JOIN advisor.query_patterns p USING (queryid)
                              WHERE p.query = 'SELECT v FROM pt WHERE id = $1 AND v > $2'""")
    check("extended protocol: 4 executions, 3 value sets, 1 request key", tuple(fp[0]), (4, 3, 1))

    # Array parameters: = ANY($1) batch sizes reach the session tracker.
    await conn.fetch("SELECT v FROM pt WHERE id = ANY($1::int[])", [1, 2, 3, 4, 5])
    sizes = await conn.fetch("""SELECT s.batch_size, s.rows FROM advisor.session_statements() s
                                  JOIN advisor.query_patterns p USING (queryid) WHERE p.query LIKE '%ANY($1::int[])%'""")
    check("array parameter length recorded as batch size", [tuple(r) for r in sizes], [(5, 5)])

    # Index advice from extended-protocol statements: the same as the literal form's, planned
    # with the values the custom plans bound (the last hour of a month: an index; the generic
    # plan's default selectivity would read a third of the table).
    await conn.execute("""CREATE TABLE pa (id int PRIMARY KEY, k int NOT NULL, at timestamptz NOT NULL);
        INSERT INTO pa SELECT g, g % 1000, timestamptz '2024-01-01' + g * interval '1 minute'
          FROM generate_series(1, 30000) g""")
    await conn.execute("VACUUM ANALYZE pa")
    await conn.execute("SELECT advisor.reset()")
    import datetime
    recent = datetime.datetime(2024, 1, 21, 19, 0, tzinfo=datetime.timezone.utc)
    for i in (1, 2, 3):
        await conn.fetch("SELECT id FROM pa WHERE k = $1", i)
        await conn.fetch("SELECT id FROM pa WHERE at > $1", recent)
    captured = await conn.fetch("""SELECT key_columns::text, round(cost_after) < 100
                                     FROM advisor.index_recommendations
                                    WHERE relation = 'pa'::regclass ORDER BY 1""")
    literal = []
    for q in ("SELECT id FROM pa WHERE k = 7",
              "SELECT id FROM pa WHERE at > '2024-01-21 19:00+00'"):
        literal += await conn.fetch("""SELECT key_columns::text, round(cost_after) < 100
                                         FROM advisor.recommend_indexes($1) WHERE status = 'recommended'""", q)
    check("extended protocol: the advice of the literal forms, costed with the bound values",
          [tuple(r) for r in captured], sorted(tuple(r) for r in literal))
    check("... which is (at) and (k)", [tuple(r) for r in captured],
          [("{at}", True), ("{k}", True)])
    await conn.close()


psycopg2_checks()
asyncio.run(asyncpg_checks())
if failed:
    print(f"FAIL: {failed} check(s) failed in protocols.py")
    sys.exit(1)
print("PASS: protocols.py")
