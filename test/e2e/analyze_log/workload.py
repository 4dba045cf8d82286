"""analyze-log's end-to-end workload: N+1 loops and a write loop through a raw driver with the
simple protocol (psycopg2), a raw driver with the extended protocol (asyncpg, named prepared
statements), the SQLAlchemy ORM (lazy loading), and a trace-id fanned out over three pooled
connections (2 lookups per backend: below the threshold for the extension, one N+1 for the
log). Usage: workload.py DBNAME [PART...] with PGHOST / PGPORT / PGUSER set."""
import asyncio
import os
import sys

import asyncpg
import psycopg2

DB = sys.argv[1]
PARTS = sys.argv[2:] or ["setup", "psycopg2", "writes", "asyncpg", "sqlalchemy", "fanout"]
HOST, PORT, USER = os.environ["PGHOST"], int(os.environ["PGPORT"]), os.environ.get("PGUSER", "postgres")
TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def connect():
    return psycopg2.connect(host=HOST, port=PORT, user=USER, dbname=DB)


def setup():
    conn = connect()
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("""
        CREATE TABLE authors (id int PRIMARY KEY, name text NOT NULL);
        CREATE TABLE books (id int PRIMARY KEY, title text NOT NULL,
                            author_id int NOT NULL REFERENCES authors);
        CREATE INDEX ON books (author_id);
        CREATE TABLE reviews (id serial PRIMARY KEY, book_id int NOT NULL, body text);
        CREATE TABLE profiles (id int PRIMARY KEY, author_id int NOT NULL, bio text);
        INSERT INTO authors SELECT g, 'author ' || g FROM generate_series(1, 8) g;
        INSERT INTO books SELECT g, 'book ' || g, 1 + g % 8 FROM generate_series(1, 8) g;
        INSERT INTO profiles SELECT g, g, 'bio ' || g FROM generate_series(1, 8) g;
    """)
    conn.close()


def psycopg2_requests():
    """Two requests, one connection each: the list of books, then each book's author."""
    for _ in range(2):
        conn = connect()
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("SELECT id, author_id FROM books ORDER BY id")
        for _book_id, author_id in cur.fetchall():
            cur.execute("SELECT id, name FROM authors WHERE id = %s", (author_id,))
            cur.fetchone()
        conn.close()


def writes():
    """Six single-row INSERTs in one transaction."""
    conn = connect()
    cur = conn.cursor()
    for i in range(6):
        cur.execute("INSERT INTO reviews (book_id, body) VALUES (%s, %s)", (1 + i % 3, "ok %d" % i))
    conn.commit()
    conn.close()


async def asyncpg_request():
    conn = await asyncpg.connect(host=HOST, port=PORT, user=USER, database=DB)
    for row in await conn.fetch("SELECT id FROM authors ORDER BY id"):
        await conn.fetch("SELECT id, title FROM books WHERE author_id = $1", row["id"])
    await conn.close()


def sqlalchemy_request():
    from sqlalchemy import ForeignKey, create_engine, select
    from sqlalchemy.orm import Session, declarative_base, relationship
    from sqlalchemy import Column, Integer, Text

    Base = declarative_base()

    class Author(Base):
        __tablename__ = "authors"
        id = Column(Integer, primary_key=True)
        name = Column(Text)
        books = relationship("Book", back_populates="author", lazy="select")

    class Book(Base):
        __tablename__ = "books"
        id = Column(Integer, primary_key=True)
        title = Column(Text)
        author_id = Column(Integer, ForeignKey("authors.id"))
        author = relationship("Author", back_populates="books")

    engine = create_engine("postgresql+psycopg2://%s@/%s?host=%s&port=%d" % (USER, DB, HOST, PORT))
    with Session(engine) as session:
        for author in session.scalars(select(Author).order_by(Author.id)).all():
            [b.title for b in author.books]
    engine.dispose()


async def fanout():
    """One request (one trace-id) whose lookups a Promise.all-style fan-out spreads over three
    pooled connections: each backend runs two of them."""
    conns = [await asyncpg.connect(host=HOST, port=PORT, user=USER, database=DB) for _ in range(3)]
    tag = " /*traceparent='%s'*/" % TRACE
    ids = [r["id"] for r in await conns[0].fetch("SELECT id, name FROM authors ORDER BY name" + tag)]
    async def lookups(conn, author_ids):
        for a in author_ids:
            await conn.fetch("SELECT id, bio FROM profiles WHERE author_id = $1" + tag, a)

    await asyncio.gather(*(lookups(conns[k], ids[k:6:3]) for k in range(3)))
    for c in conns:
        await c.close()


for part in PARTS:
    if part == "setup":
        setup()
    elif part == "psycopg2":
        psycopg2_requests()
    elif part == "writes":
        writes()
    elif part == "asyncpg":
        asyncio.run(asyncpg_request())
    elif part == "sqlalchemy":
        sqlalchemy_request()
    elif part == "fanout":
        asyncio.run(fanout())
print("workload done: " + " ".join(PARTS))
