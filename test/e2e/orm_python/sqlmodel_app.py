"""SQLModel 0.0.8 (SQLAlchemy 1.4 sessions underneath) against pg_advisor: N+1 pages through
Relationship attributes (one-to-many post.comments, many-to-one comment.post) and the
selectinload fix. Each request is a W3C trace: the tags carry a
traceparent (as OpenTelemetry's sqlcommenter does) and db_framework='sqlmodel%3A0.0.8'.
"""
import sys
from typing import List, Optional

import sqlmodel
from sqlalchemy import event
from sqlalchemy.orm import selectinload
from sqlmodel import Field, Relationship, Session, SQLModel, create_engine, select

from common import HOST, PORT, USER, Suite, finding, sqlcommenter, traceparent

DB = sys.argv[1]
FRAMEWORK = "sqlmodel:" + sqlmodel.__version__
FW = "sqlmodel"


class Author(SQLModel, table=True):
    __tablename__ = "authors"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    posts: List["Post"] = Relationship(back_populates="author")


class Post(SQLModel, table=True):
    __tablename__ = "posts"
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str
    author_id: int = Field(foreign_key="authors.id")
    author: Optional[Author] = Relationship(back_populates="posts")
    comments: List["Comment"] = Relationship(back_populates="post")


class Comment(SQLModel, table=True):
    __tablename__ = "comments"
    id: Optional[int] = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="posts.id", index=True)
    body: str
    post: Optional[Post] = Relationship(back_populates="comments")


engine = create_engine(f"postgresql+psycopg2://{USER}@/{DB}?host={HOST}&port={PORT}")
TAGS = {}


@event.listens_for(engine, "before_cursor_execute", retval=True)
def add_sqlcommenter_comment(conn, cursor, statement, parameters, context, executemany):
    if not TAGS:
        return statement, parameters
    escape = not (context is not None and context.no_parameters)
    return statement + " " + sqlcommenter(TAGS, escape), parameters


class trace:
    """One traced request: every statement carries its traceparent."""

    def __init__(self, n):
        self.tags = {"db_framework": FRAMEWORK, "traceparent": traceparent(n)}

    def __enter__(self):
        TAGS.clear()
        TAGS.update(self.tags)
        self.session = Session(engine)
        return self.session

    def __exit__(self, *exc):
        self.session.close()
        TAGS.clear()


def setup():
    SQLModel.metadata.create_all(engine)
    with Session(engine) as s:
        s.add_all([Author(id=i, name=f"author {i}") for i in range(1, 11)])
        s.commit()
        s.add_all([Post(id=i, title=f"post {i}", author_id=1 + (i - 1) % 10) for i in range(1, 21)])
        s.commit()
        s.add_all([Comment(post_id=p, body=f"comment {c} on {p}") for p in range(1, 21) for c in range(3)])
        s.commit()
    with engine.connect() as c:
        c.exec_driver_sql("ANALYZE")


def main():
    t = Suite("sqlmodel", DB)
    setup()

    # 1. One-to-many N+1 through a Relationship: ten posts, then each post's comments.
    t.scenario("N+1 one-to-many (post.comments) in one trace")
    with trace(1) as s:
        for post in s.exec(select(Post).order_by(Post.id).limit(10)).all():
            [c.body for c in post.comments]
    rows = t.expect_findings("ten comment loads after the post list", [
        finding("n_plus_one", "posts", "comments", 10, FW, "trace")])
    if rows:
        t.check("the trace is the unit of work", rows[0]["example_scope"],
                "trace-id " + traceparent(1)[3:35])

    # 2. Many-to-one N+1: ten comments of different posts, then each comment's post.
    t.scenario("N+1 many-to-one (comment.post) in one trace")
    with trace(2) as s:
        for comment in s.exec(select(Comment).where(Comment.body.like("comment 0 %")).order_by(Comment.id).limit(10)).all():
            comment.post.title
    t.expect_findings("ten post loads after the comment list", [
        finding("n_plus_one", "comments", "posts", 10, FW, "trace")])

    # 3. The fix: selectinload.
    t.scenario("fixed with selectinload")
    with trace(3) as s:
        posts = s.exec(select(Post).options(selectinload(Post.comments), selectinload(Post.author))
                       .order_by(Post.id).limit(10)).all()
        [(p.author.name, [c.body for c in p.comments]) for p in posts]
    t.check("three queries for the page", t.calls("SELECT%"), 3)
    t.expect_no_findings("selectinload(Post.comments), selectinload(Post.author)")

    t.finish()


main()
