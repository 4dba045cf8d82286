"""Peewee 3.14 against pg_advisor: N+1 pages (one-to-many backref post.comments, many-to-one
post.author, lookups by non-key columns: comments by post slug, authors by e-mail with
Model.get()), the prefetch() / join fix, a Model.create() loop and insert_many, and traps
(paginate() pages, polling separated by idle gaps, a loop of 4).

Tags come from a PostgresqlDatabase subclass overriding execute_sql, the hook peewee offers
for it. Each request opens its own connection (db.connection_context()), as peewee's Flask
integration does: peewee leaves SELECT-only transactions open until the connection closes.
"""
import sys
import time

import peewee
from peewee import CharField, ForeignKeyField, Model, PostgresqlDatabase, TextField, prefetch

from common import HOST, PORT, USER, Suite, finding, sqlcommenter

DB = sys.argv[1]
FRAMEWORK = "peewee:" + peewee.__version__
FW = "peewee"


class TaggedPostgresqlDatabase(PostgresqlDatabase):
    """Appends the current request's sqlcommenter comment to every statement."""
    tags = {}

    def execute_sql(self, sql, params=None, *args, **kwargs):
        if self.tags:
            # peewee always hands psycopg2 a parameter tuple: '%' is interpolated.
            sql = sql + " " + sqlcommenter(self.tags, True)
        return super().execute_sql(sql, params, *args, **kwargs)


db = TaggedPostgresqlDatabase(DB, host=HOST, port=PORT, user=USER)


class Base(Model):
    class Meta:
        database = db


class Author(Base):
    name = CharField()
    email = CharField(unique=True)

    class Meta:
        table_name = "authors"


class Post(Base):
    author = ForeignKeyField(Author, backref="posts")
    title = CharField()
    slug = CharField(unique=True)

    class Meta:
        table_name = "posts"


class Comment(Base):
    post = ForeignKeyField(Post, backref="comments")
    author_email = CharField()
    body = TextField()

    class Meta:
        table_name = "comments"


class Job(Base):
    status = CharField()

    class Meta:
        table_name = "jobs"


class request:
    """One web request: its own connection, its controller / action on every statement."""

    def __init__(self, controller, action):
        self.tags = {"framework": FRAMEWORK, "controller": controller, "action": action}

    def __enter__(self):
        db.connect()
        db.tags = self.tags

    def __exit__(self, *exc):
        db.tags = {}
        db.close()


def setup():
    with db.connection_context():
        db.create_tables([Author, Post, Comment, Job])
        Author.insert_many([(f"author {i}", f"a{i}@example.org") for i in range(1, 11)],
                           fields=[Author.name, Author.email]).execute()
        # Posts 1..10 have ten different authors; comments 1..10 ten different author e-mails.
        Post.insert_many([(1 + (i - 1) % 10, f"post {i}", f"post-{i}") for i in range(1, 31)],
                         fields=[Post.author, Post.title, Post.slug]).execute()
        Comment.insert_many([(1 + (n - 1) % 30, f"a{1 + (n - 1) % 10}@example.org", f"comment {n}")
                             for n in range(1, 91)],
                            fields=[Comment.post, Comment.author_email, Comment.body]).execute()
        Job.insert_many([("queued",) for _ in range(10)], fields=[Job.status]).execute()
        db.execute_sql("ANALYZE")


def main():
    t = Suite("peewee", DB)
    setup()

    # 1. One-to-many N+1: ten posts, then each post's comments (backref).
    t.scenario("N+1 one-to-many (post.comments)")
    with request("posts", "index"):
        for post in Post.select().order_by(Post.id).limit(10):
            [c.body for c in post.comments]
    rows = t.expect_findings("ten comment queries after the post list", [
        finding("n_plus_one", "posts", "comments", 10, FW, "request")])
    if rows:
        t.check("tags of the finding", rows[0]["tags"],
                '{"action": "index", "framework": "%s", "controller": "posts"}' % FRAMEWORK)

    # 2. A lookup by a non-key column: each post's comments by the post's slug.
    t.scenario("N+1 lookup by a non-key column (comments by post slug)")
    with request("posts", "by_slug"):
        for post in Post.select().order_by(Post.id).limit(10):
            list(Comment.select().join(Post).where(Post.slug == post.slug))
    t.expect_findings("ten comments-by-slug queries after the post list", [
        finding("n_plus_one", "posts", "comments", 10, FW, "request")])

    # 3. Many-to-one N+1: each post's author. Peewee loads a foreign key with Model.get(),
    #    which sends "... WHERE id = %s LIMIT 1 OFFSET 0": one row, not a page.
    t.scenario("N+1 many-to-one (post.author, LIMIT 1 OFFSET 0)")
    with request("posts", "authors"):
        for post in Post.select().order_by(Post.id).limit(10):
            post.author.name
    t.check("ten author loads sent", t.calls('%FROM "authors"%WHERE ("t1"."id" = $1) LIMIT $2 OFFSET $3'), 10)
    t.expect_findings("ten author loads after the post list", [
        finding("n_plus_one", "posts", "authors", 10, FW, "request")])

    # 4. Another non-key lookup with Model.get(): each comment's author by e-mail.
    t.scenario("N+1 lookup by a non-key column (Author.get(email=...))")
    with request("comments", "recent"):
        for comment in Comment.select().order_by(Comment.id).limit(10):
            Author.get(Author.email == comment.author_email)
    t.expect_findings("ten Author.get(email) after the comment list", [
        finding("n_plus_one", "comments", "authors", 10, FW, "request")])

    # 5. The fix: prefetch() for the comments, a join for the authors.
    t.scenario("fixed with prefetch() and a join")
    with request("posts", "index_fixed"):
        posts = prefetch(Post.select(Post, Author).join(Author).order_by(Post.id).limit(10), Comment)
        [(p.author.name, [c.body for c in p.comments]) for p in posts]
    t.check("two queries for the page", t.calls("SELECT%"), 2)
    t.expect_no_findings("prefetch(posts joined to authors, comments)")

    # 6. A write loop: twelve Model.create(), each in its own BEGIN/COMMIT.
    t.scenario("write loop (Comment.create x 12)")
    with request("comments", "import"):
        for i in range(12):
            Comment.create(post=1, author_email="a1@example.org", body=f"imported {i}")
    t.expect_findings("twelve single-row INSERTs", [
        finding("bulk_write_loop", None, "comments", 12, FW, "request")])

    # 7. The bulk fix.
    t.scenario("insert_many")
    with request("comments", "import_bulk"):
        Comment.insert_many([(2, "a2@example.org", f"bulk {i}") for i in range(12)],
                            fields=[Comment.post, Comment.author_email, Comment.body]).execute()
    t.check("one INSERT sent", t.calls("INSERT%"), 1)
    t.expect_no_findings("insert_many of twelve rows")

    # 8. Traps.
    t.scenario("trap: paginate() pages")
    with request("posts", "archive"):
        list(Author.select().order_by(Author.id))  # a list query first: the pages have a parent
        for page in range(1, 7):
            [p.title for p in Post.select().order_by(Post.id).paginate(page, 5)]
    t.check("six pages sent", t.calls('%FROM "posts"%LIMIT $1 OFFSET $2'), 6)
    t.expect_no_findings("six paginate() pages")

    t.scenario("trap: polling separated by idle gaps")
    with db.connection_context():
        # A background poller: short idle gap for its session, one transaction per poll.
        db.execute_sql("SET pg_advisor.idle_gap_ms = 100")
        for i in range(6):
            if i:
                time.sleep(0.5)
            with db.atomic():
                Job.select().where(Job.status == "queued").count()
    t.check("six polls sent", t.calls('%FROM "jobs"%'), 6)
    t.expect_no_findings("six identical polls 0.5 s apart")

    t.scenario("trap: a loop of 4 (below the threshold)")
    with request("posts", "top4"):
        for post in Post.select().order_by(Post.id).limit(4):
            [c.body for c in post.comments]
    t.check("four comment queries sent", t.calls('%FROM "comments"%'), 4)
    t.expect_no_findings("four comment queries")

    t.finish()


main()
