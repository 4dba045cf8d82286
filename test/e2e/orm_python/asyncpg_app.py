"""asyncpg 0.27 (extended protocol, binary parameters, statement cache) against pg_advisor: a raw
N+1 loop and its = ANY($1) fix, a row-by-row INSERT loop and its bulk fixes (executemany, a
multi-row INSERT ... SELECT FROM unnest), and traps (asyncpg's own catalog introspection,
= ANY chunks, a protocol-level cursor read in pages, a loop of 4).

Tags are written into the SQL text: /*db_driver='asyncpg%3A0.27.0',traceparent='...'*/ or
controller / action.
"""
import asyncio
import sys

import asyncpg

from common import HOST, PORT, USER, Suite, finding, sqlcommenter, traceparent

DB = sys.argv[1]
DRIVER = "asyncpg:" + asyncpg.__version__
FW = "asyncpg"


def tagged(sql, before=False, **tags):
    comment = sqlcommenter(dict({"db_driver": DRIVER}, **tags), False)
    return comment + " " + sql if before else sql + " " + comment


async def connect():
    return await asyncpg.connect(host=HOST, port=PORT, user=USER, database=DB)


async def setup(conn):
    await conn.execute("""
        CREATE TABLE authors (id int PRIMARY KEY, name text NOT NULL);
        CREATE TABLE posts (id int PRIMARY KEY, author_id int NOT NULL REFERENCES authors, title text NOT NULL);
        CREATE TABLE comments (id serial PRIMARY KEY, post_id int NOT NULL REFERENCES posts, body text NOT NULL);
        CREATE INDEX ON comments (post_id);
        INSERT INTO authors SELECT g, 'author ' || g FROM generate_series(1, 10) g;
        INSERT INTO posts SELECT g, 1 + (g - 1) % 10, 'post ' || g FROM generate_series(1, 30) g;
        INSERT INTO comments (post_id, body) SELECT 1 + (g - 1) % 30, 'comment ' || g FROM generate_series(1, 90) g;
        CREATE TYPE mood1 AS ENUM ('ok', 'meh'); CREATE TYPE mood2 AS ENUM ('ok', 'meh');
        CREATE TYPE mood3 AS ENUM ('ok', 'meh'); CREATE TYPE mood4 AS ENUM ('ok', 'meh');
        CREATE TYPE mood5 AS ENUM ('ok', 'meh'); CREATE TYPE mood6 AS ENUM ('ok', 'meh');
        CREATE TABLE moods (id int PRIMARY KEY, m1 mood1, m2 mood2, m3 mood3, m4 mood4, m5 mood5, m6 mood6);
        INSERT INTO moods SELECT g, 'ok', 'ok', 'meh', 'ok', 'meh', 'ok' FROM generate_series(1, 10) g;
        ANALYZE;
    """)


async def main():
    t = Suite("asyncpg", DB)
    conn = await connect()
    await setup(conn)

    # 1. N+1: ten posts, then each post's comments, in one trace.
    t.scenario("N+1 one-to-many (raw loop, one trace)")
    tp = traceparent(1)
    posts = await conn.fetch(tagged("SELECT id, title FROM posts ORDER BY id LIMIT 10", traceparent=tp))
    for p in posts:
        await conn.fetch(tagged("SELECT id, body FROM comments WHERE post_id = $1", traceparent=tp), p["id"])
    rows = t.expect_findings("ten comment queries after the post list", [
        finding("n_plus_one", "posts", "comments", 10, FW, "trace")])
    if rows:
        t.check("texts and expected queries",
                (rows[0]["parent_query"], rows[0]["child_query"], rows[0]["expected_queries"]),
                ("SELECT id, title FROM posts ORDER BY id LIMIT $1",
                 "SELECT id, body FROM comments WHERE post_id = $1", "11 -> 2"))

    # 2. Many-to-one N+1 with a request tag (the comment before the SQL): each post's author.
    t.scenario("N+1 many-to-one (raw loop, controller/action before the SQL)")
    tags = {"controller": "posts", "action": "authors", "before": True}
    posts = await conn.fetch(tagged("SELECT id, author_id FROM posts ORDER BY id LIMIT 10", **tags))
    for p in posts:
        await conn.fetchrow(tagged("SELECT name FROM authors WHERE id = $1", **tags), p["author_id"])
    t.expect_findings("ten author queries after the post list", [
        finding("n_plus_one", "posts", "authors", 10, FW, "request")])

    # 3. The fix: one = ANY($1) query for all the posts.
    t.scenario("fixed with = ANY($1)")
    tp = traceparent(3)
    posts = await conn.fetch(tagged("SELECT id, title FROM posts ORDER BY id LIMIT 10", traceparent=tp))
    await conn.fetch(tagged("SELECT post_id, id, body FROM comments WHERE post_id = ANY($1::int[])", traceparent=tp),
                     [p["id"] for p in posts])
    t.expect_no_findings("one batched comment query")

    # 4. A write loop: twelve INSERTs, one round trip each.
    t.scenario("write loop (INSERT x 12)")
    tags = {"controller": "comments", "action": "import"}
    for i in range(12):
        await conn.execute(tagged("INSERT INTO comments (post_id, body) VALUES ($1, $2)", **tags), 1 + i % 3, f"imported {i}")
    t.expect_findings("twelve single-row INSERTs", [
        finding("bulk_write_loop", None, "comments", 12, FW, "request")])

    # 5. The bulk fixes: executemany, and one multi-row INSERT. asyncpg's executemany pipelines
    #    the rows (Bind/Execute per row, one Sync): one round trip, one implicit transaction
    #    holding the twelve executions, which no row-by-row loop can produce.
    t.scenario("bulk: executemany")
    tags = {"controller": "comments", "action": "import_executemany"}
    await conn.executemany(tagged("INSERT INTO comments (post_id, body) VALUES ($1, $2)", **tags),
                           [(1 + i % 3, f"many {i}") for i in range(12)])
    t.check("twelve rows written", t.calls("INSERT INTO comments%"), 12)
    t.expect_no_findings("executemany of twelve rows")

    t.scenario("bulk: INSERT ... SELECT FROM unnest($1, $2)")
    tags = {"controller": "comments", "action": "import_unnest"}
    await conn.execute(tagged("INSERT INTO comments (post_id, body) SELECT * FROM unnest($1::int[], $2::text[])", **tags),
                       [1 + i % 3 for i in range(12)], [f"unnest {i}" for i in range(12)])
    t.check("one INSERT sent", t.calls("INSERT INTO comments%"), 1)
    t.expect_no_findings("one multi-row INSERT")

    # 6. Traps.
    t.scenario("trap: asyncpg's catalog introspection of six enum types")
    # A fresh, untagged connection (a worker script): its statements and the driver's own
    # introspection queries share one idle-gap burst.
    worker = await connect()
    await worker.fetch("SELECT id FROM moods ORDER BY id")
    for k in range(1, 7):
        await worker.fetch(f"SELECT m{k} FROM moods WHERE id = $1", k)
    introspection = t.calls("%pg_catalog.pg_type%")
    t.check("asyncpg introspected each type with its own query", introspection >= 6, True)
    t.expect_no_findings(f"{introspection} introspection queries")
    await worker.close()

    t.scenario("trap: = ANY($1) chunks")
    tags = {"controller": "posts", "action": "export"}
    ids = [r["id"] for r in await conn.fetch(tagged("SELECT id FROM posts ORDER BY id", **tags))]
    for i in range(0, 30, 5):
        await conn.fetch(tagged("SELECT post_id, body FROM comments WHERE post_id = ANY($1::int[])", **tags), ids[i:i + 5])
    t.check("six chunks sent", t.calls("%WHERE post_id = ANY($1::int[])"), 6)
    t.expect_no_findings("six = ANY chunks of five ids")

    t.scenario("trap: a cursor read in pages")
    tags = {"controller": "comments", "action": "stream"}
    async with conn.transaction():
        cur = await conn.cursor(tagged("SELECT id, body FROM comments ORDER BY id", **tags))
        pages = 0
        while await cur.fetch(10):
            pages += 1
            if pages == 8:
                break
    t.check("eight pages read", pages, 8)
    t.expect_no_findings("eight pages of one cursor")

    t.scenario("trap: a loop of 4 (below the threshold)")
    tags = {"controller": "posts", "action": "top4"}
    posts = await conn.fetch(tagged("SELECT id, title FROM posts ORDER BY id LIMIT 4", **tags))
    for p in posts:
        await conn.fetch(tagged("SELECT id, body FROM comments WHERE post_id = $1", **tags), p["id"])
    t.check("four comment queries sent", t.calls("SELECT id, body FROM comments WHERE post_id = $1"), 4)
    t.expect_no_findings("four comment queries")

    await conn.close()
    t.finish()


asyncio.run(main())
