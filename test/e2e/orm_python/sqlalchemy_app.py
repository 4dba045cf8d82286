"""SQLAlchemy 1.4 ORM sessions against pg_advisor: N+1 pages (many-to-one post.author,
one-to-many post.comments, a lookup by a non-key column: authors by e-mail), the
selectinload / joinedload fix, a flush-per-row write loop and its executemany fix, and traps
(.limit().offset() pages, chunked IN batches, FOR UPDATE SKIP LOCKED claims, a loop of 4).

Tags are added the way sqlcommenter's SQLAlchemy integration does: a before_cursor_execute
event with retval=True appending /*db_framework='sqlalchemy%3A1.4.46',controller='...'*/.
"""
import sys

import sqlalchemy
from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, create_engine, event
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, declarative_base, joinedload, relationship, selectinload

from common import HOST, PORT, USER, Suite, finding, sqlcommenter

DB = sys.argv[1]
FRAMEWORK = "sqlalchemy:" + sqlalchemy.__version__
FW = "sqlalchemy"

Base = declarative_base()

post_tags = Table("post_tags", Base.metadata,
                  Column("post_id", ForeignKey("posts.id"), primary_key=True),
                  Column("tag_id", ForeignKey("tags.id"), primary_key=True))


class Author(Base):
    __tablename__ = "authors"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)
    email = Column(String(120), nullable=False, unique=True)
    posts = relationship("Post", back_populates="author")


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String(40), nullable=False)


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    author_id = Column(ForeignKey("authors.id"), nullable=False)
    title = Column(String(200), nullable=False)
    slug = Column(String(200), nullable=False, unique=True)
    author = relationship("Author", back_populates="posts")
    comments = relationship("Comment", back_populates="post", order_by="Comment.id")
    tags = relationship("Tag", secondary=post_tags)


class Comment(Base):
    __tablename__ = "comments"
    id = Column(Integer, primary_key=True)
    post_id = Column(ForeignKey("posts.id"), nullable=False, index=True)
    author_email = Column(String(120), nullable=False)
    body = Column(Text, nullable=False)
    post = relationship("Post", back_populates="comments")


class Job(Base):
    __tablename__ = "jobs"
    id = Column(Integer, primary_key=True)
    status = Column(String(20), nullable=False)


engine = create_engine(f"postgresql+psycopg2://{USER}@/{DB}?host={HOST}&port={PORT}", future=True)
TAGS = {}


@event.listens_for(engine, "before_cursor_execute", retval=True)
def add_sqlcommenter_comment(conn, cursor, statement, parameters, context, executemany):
    if not TAGS:
        return statement, parameters
    # psycopg2 interpolates (and so unescapes '%%') unless the statement runs without parameters.
    escape = not (context is not None and context.no_parameters)
    return statement + " " + sqlcommenter(TAGS, escape), parameters


class request:
    """One web request: its controller / action tags on every statement, one ORM session."""

    def __init__(self, controller, action):
        self.tags = {"db_framework": FRAMEWORK, "controller": controller, "action": action}

    def __enter__(self):
        TAGS.clear()
        TAGS.update(self.tags)
        self.session = Session(engine, future=True)
        return self.session

    def __exit__(self, *exc):
        self.session.close()
        TAGS.clear()


def setup():
    Base.metadata.create_all(engine)
    with Session(engine, future=True) as s:
        s.execute(insert(Author), [{"id": i, "name": f"author {i}", "email": f"a{i}@example.org"}
                                   for i in range(1, 11)])
        s.execute(insert(Tag), [{"id": i, "name": f"tag{i}"} for i in range(1, 7)])
        # Posts 1..10 have ten different authors; comments 1..10 ten different author e-mails.
        s.execute(insert(Post), [{"id": i, "author_id": 1 + (i - 1) % 10, "title": f"post {i}",
                                  "slug": f"post-{i}"} for i in range(1, 31)])
        s.execute(insert(Comment), [{"post_id": 1 + (n - 1) % 30, "author_email": f"a{1 + (n - 1) % 10}@example.org",
                                     "body": f"comment {n}"} for n in range(1, 91)])
        s.execute(insert(post_tags), [{"post_id": p, "tag_id": 1 + (p + k) % 6} for p in range(1, 31) for k in range(2)])
        s.execute(insert(Job), [{"status": "queued"} for _ in range(10)])
        s.commit()
    with engine.connect() as c:
        c.exec_driver_sql("ANALYZE")
        c.commit()


def main():
    t = Suite("sqlalchemy", DB)
    setup()

    # 1. Many-to-one N+1: ten posts, then each post's author (lazy="select").
    t.scenario("N+1 many-to-one (post.author)")
    with request("posts", "index") as s:
        posts = s.scalars(select(Post).order_by(Post.id).limit(10)).all()
        [p.author.name for p in posts]
    rows = t.expect_findings("ten author loads after the post list", [
        finding("n_plus_one", "posts", "authors", 10, FW, "request")])
    if rows:
        t.check("tags of the finding", rows[0]["tags"],
                '{"action": "index", "controller": "posts", "db_framework": "%s"}' % FRAMEWORK)

    # 2. One-to-many N+1: each post's comments.
    t.scenario("N+1 one-to-many (post.comments)")
    with request("posts", "comments") as s:
        posts = s.scalars(select(Post).order_by(Post.id).limit(10)).all()
        [[c.body for c in p.comments] for p in posts]
    t.expect_findings("ten comment loads after the post list", [
        finding("n_plus_one", "posts", "comments", 10, FW, "request")])

    # 3. A lookup by a non-key column: each comment's author by e-mail.
    t.scenario("N+1 lookup by a non-key column (authors by email)")
    with request("comments", "recent") as s:
        comments = s.scalars(select(Comment).order_by(Comment.id).limit(10)).all()
        for c in comments:
            s.scalars(select(Author).where(Author.email == c.author_email)).first()
    t.expect_findings("ten author-by-email lookups after the comment list", [
        finding("n_plus_one", "comments", "authors", 10, FW, "request")])

    # 4. The same pages with eager loading: no finding.
    t.scenario("fixed with selectinload + joinedload")
    with request("posts", "index_fixed") as s:
        posts = s.scalars(select(Post).options(joinedload(Post.author), selectinload(Post.comments),
                                               selectinload(Post.tags)).order_by(Post.id).limit(10)).all()
        [(p.author.name, [c.body for c in p.comments], [x.name for x in p.tags]) for p in posts]
        comments = s.scalars(select(Comment).order_by(Comment.id).limit(10)).all()
        emails = {a.email: a for a in s.scalars(select(Author).where(Author.email.in_({c.author_email for c in comments})))}
        [emails[c.author_email].name for c in comments]
    t.expect_no_findings("selectinload/joinedload and one IN lookup by e-mail")

    # 5. A write loop: twelve comments, each added and committed on its own.
    t.scenario("write loop (session.add + commit x 12)")
    with request("comments", "import") as s:
        for i in range(12):
            s.add(Comment(post_id=1, author_email="a1@example.org", body=f"imported {i}"))
            s.commit()
    t.expect_findings("twelve single-row INSERTs, each in its own transaction", [
        finding("bulk_write_loop", None, "comments", 12, FW, "request")])

    # 6. The bulk fixes: executemany through session.execute(insert(), [...]), and add_all.
    t.scenario("bulk: session.execute(insert(Comment), [...])")
    with request("comments", "import_bulk") as s:
        s.execute(insert(Comment), [{"post_id": 2, "author_email": "a2@example.org", "body": f"bulk {i}"}
                                    for i in range(12)])
        s.commit()
    t.check("one multi-row INSERT sent", t.calls("INSERT INTO comments%VALUES ($1, $2, $3),($4, $5, $6),%"), 1)
    t.expect_no_findings("executemany of twelve rows")

    t.scenario("bulk: session.add_all([...]) + one flush")
    with request("comments", "import_add_all") as s:
        s.add_all([Comment(post_id=3, author_email="a3@example.org", body=f"added {i}") for i in range(12)])
        s.commit()
    t.check("one multi-row INSERT sent", t.calls("INSERT INTO comments%VALUES ($1, $2, $3),($4, $5, $6),%"), 1)
    t.expect_no_findings("add_all of twelve rows, one flush")

    # 7. Traps.
    # An export lists the authors first: the pages follow a list query, so the "no parent" rule
    # cannot be what keeps them out; only the pagination rule does.
    t.scenario("trap: .limit().offset() pages")
    with request("posts", "archive") as s:
        s.scalars(select(Author).order_by(Author.id)).all()
        for page in range(6):
            s.scalars(select(Post).order_by(Post.id).limit(5).offset(page * 5)).all()
    t.check("six pages sent", t.calls("%FROM posts ORDER BY posts.id%LIMIT $1 OFFSET $2"), 6)
    t.expect_no_findings("six LIMIT/OFFSET pages")

    t.scenario("trap: chunked IN batches")
    with request("posts", "export") as s:
        ids = s.scalars(select(Post.id).order_by(Post.id)).all()
        for i in range(0, 30, 5):
            s.scalars(select(Comment).where(Comment.post_id.in_(ids[i:i + 5]))).all()
    t.check("six batches sent", t.calls("%WHERE comments.post_id IN ($1, $2, $3, $4, $5)"), 6)
    t.expect_no_findings("six IN batches of five post ids")

    t.scenario("trap: SELECT ... FOR UPDATE SKIP LOCKED claims")
    with request("jobs", "claim") as s:
        candidates = s.scalars(select(Job.id).where(Job.status == "queued").order_by(Job.id).limit(8)).all()
        claimed = []
        for job_id in candidates:
            job = s.scalars(select(Job).where(Job.id == job_id, Job.status == "queued")
                            .with_for_update(skip_locked=True)).first()
            if job is not None:
                claimed.append(job.id)
        s.execute(update(Job).where(Job.id.in_(claimed)).values(status="running"))
        s.commit()
    t.check("eight jobs claimed, one by one", (len(claimed), t.calls("%FOR UPDATE SKIP LOCKED")), (8, 8))
    t.expect_no_findings("eight one-row claims with SKIP LOCKED")

    t.scenario("trap: a loop of 4 (below the threshold)")
    with request("posts", "top4") as s:
        posts = s.scalars(select(Post).order_by(Post.id).limit(4)).all()
        [p.author.name for p in posts]
    t.check("four lazy loads sent", t.calls("%FROM authors%WHERE authors.id = $1"), 4)
    t.expect_no_findings("four author loads")

    t.finish()


main()
