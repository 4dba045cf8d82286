"""Django 3.2 ORM against pg_advisor: N+1 pages (one-to-many, many-to-many), their
prefetch_related / select_related fixes, a save() loop and bulk_create, traps (Paginator pages,
iterator() server-side cursor, SELECT ... FOR UPDATE SKIP LOCKED claims, a loop of 4) and the
test guard (pg_advisor.n_plus_one_action = error).

Tags are added the way sqlcommenter's Django middleware does: a connection.execute_wrapper
appending /*controller='...',framework='django%3A3.2.25',route='...'*/ to every statement of the
request.
"""
import sys
import types
from contextlib import contextmanager

import django
from django.conf import settings

from common import HOST, PORT, USER, Suite, finding, sqlcommenter

DB = sys.argv[1]
# The models below belong to an app "blog" that lives in this script: an installed app is what
# gives the models their reverse relations (post.comments, tag.posts).
blog = types.ModuleType("blog")
blog.__file__ = __file__
sys.modules["blog"] = blog
database = {"ENGINE": "django.db.backends.postgresql", "NAME": DB, "USER": USER, "HOST": HOST,
            "PORT": str(PORT)}
settings.configure(
    DEBUG=False,
    USE_TZ=False,
    INSTALLED_APPS=["blog"],
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    DATABASES={
        "default": database,
        # The test guard, set at connection start the way a test settings file would.
        "guarded": dict(database, OPTIONS={"options": "-c pg_advisor.n_plus_one_action=error"}),
    },
)
django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import DatabaseError, connection, connections, models, transaction  # noqa: E402


class Author(models.Model):
    name = models.CharField(max_length=80)
    email = models.CharField(max_length=120, unique=True)

    class Meta:
        app_label = "blog"
        db_table = "authors"


class Tag(models.Model):
    name = models.CharField(max_length=40)

    class Meta:
        app_label = "blog"
        db_table = "tags"


class Post(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(max_length=200)
    slug = models.CharField(max_length=200, unique=True)
    tags = models.ManyToManyField(Tag, related_name="posts", db_table="post_tags")

    class Meta:
        app_label = "blog"
        db_table = "posts"


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField()

    class Meta:
        app_label = "blog"
        db_table = "comments"


class Job(models.Model):
    status = models.CharField(max_length=20)

    class Meta:
        app_label = "blog"
        db_table = "jobs"


FRAMEWORK = "django:" + django.get_version()
FW = "django"


@contextmanager
def request(controller, route, using="default"):
    """One HTTP request as sqlcommenter's middleware sees it."""
    tags = {"controller": controller, "framework": FRAMEWORK, "route": route}

    def wrapper(execute, sql, params, many, context):
        # Django hands psycopg2 a parameter tuple (often empty): '%' gets interpolated.
        return execute(sql + " " + sqlcommenter(tags, params is not None), params, many, context)

    with connections[using].execute_wrapper(wrapper):
        yield


def setup():
    with connection.schema_editor() as editor:
        for model in (Author, Tag, Post, Comment, Job):
            editor.create_model(model)
    Author.objects.bulk_create(Author(name=f"author {i}", email=f"a{i}@example.org") for i in range(1, 11))
    Tag.objects.bulk_create(Tag(name=f"tag{i}") for i in range(1, 7))
    # Posts 1..10 have ten different authors.
    Post.objects.bulk_create(Post(author_id=1 + (i - 1) % 10, title=f"post {i}", slug=f"post-{i}")
                             for i in range(1, 31))
    Comment.objects.bulk_create(Comment(post_id=p, body=f"comment {c} on {p}")
                                for p in range(1, 31) for c in range(3))
    Post.tags.through.objects.bulk_create(
        Post.tags.through(post_id=p, tag_id=1 + (p + k) % 6) for p in range(1, 31) for k in range(2))
    Job.objects.bulk_create(Job(status="queued") for _ in range(10))
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def main():
    t = Suite("django", DB)
    setup()

    # 1. One-to-many N+1: ten posts, then each post's comments.
    t.scenario("N+1 one-to-many (post.comments)")
    with request("posts_index", "/posts/"):
        for post in Post.objects.order_by("id")[:10]:
            [c.body for c in post.comments.all()]
    rows = t.expect_findings("ten comment lookups after the post list", [
        finding("n_plus_one", "posts", "comments", 10, FW, "request")])
    if rows:
        t.check("tags of the finding", (rows[0]["tags"], rows[0]["expected_queries"]),
                ('{"route": "/posts/", "framework": "%s", "controller": "posts_index"}' % FRAMEWORK,
                 "11 -> 2"))

    # 2. Many-to-many N+1: each post's tags through post_tags.
    t.scenario("N+1 many-to-many (post.tags)")
    with request("posts_tagged", "/posts/tagged/"):
        for post in Post.objects.order_by("id")[:10]:
            [tag.name for tag in post.tags.all()]
    t.expect_findings("ten tag lookups after the post list", [
        finding("n_plus_one", "posts", "tags", 10, FW, "request")])

    # 3. The same pages with eager loading: no finding.
    t.scenario("fixed with select_related + prefetch_related")
    with request("posts_index_fixed", "/posts/"):
        posts = Post.objects.select_related("author").prefetch_related("comments", "tags").order_by("id")[:10]
        for post in posts:
            (post.author.name, [c.body for c in post.comments.all()], [x.name for x in post.tags.all()])
    t.expect_no_findings("prefetch_related('comments', 'tags') and select_related('author')")

    # 4. A write loop: twelve comments saved one by one.
    t.scenario("write loop (Comment.save() x 12)")
    with request("comments_import", "/comments/import/"):
        post = Post.objects.get(slug="post-1")
        for i in range(12):
            Comment(post=post, body=f"imported {i}").save()
    t.expect_findings("twelve single-row INSERTs", [
        finding("bulk_write_loop", None, "comments", 12, FW, "request")])
    # Django creates foreign keys DEFERRABLE INITIALLY DEFERRED: their checks run at COMMIT.
    t.expect_no_fk_check_findings("deferred FK checks of the twelve autocommit INSERTs")

    # 5. The bulk fix.
    t.scenario("bulk_create")
    with request("comments_import_bulk", "/comments/import/"):
        post = Post.objects.get(slug="post-2")
        Comment.objects.bulk_create([Comment(post=post, body=f"bulk {i}") for i in range(12)])
    t.expect_no_fk_check_findings("deferred FK checks of the bulk INSERT, run at its COMMIT")
    t.expect_no_findings("bulk_create of twelve comments")

    # 6. Traps.
    t.scenario("trap: Paginator pages")
    with request("posts_archive", "/posts/archive/"):
        list(Author.objects.order_by("id"))  # a list query first: the pages have a parent
        paginator = Paginator(Post.objects.order_by("id"), 5)
        for number in paginator.page_range:
            [p.title for p in paginator.page(number)]
    t.expect_no_findings("six LIMIT/OFFSET pages")

    t.scenario("trap: iterator() over a server-side cursor")
    with request("posts_export", "/posts/export/"):
        [p.slug for p in Post.objects.order_by("id").iterator(chunk_size=4)]
    t.expect_no_findings("eight FETCH FORWARD 4 of one cursor")

    t.scenario("trap: SELECT ... FOR UPDATE SKIP LOCKED claims")
    with request("jobs_claim", "/jobs/claim/"):
        with transaction.atomic():
            candidates = list(Job.objects.filter(status="queued").order_by("id").values_list("id", flat=True)[:8])
            claimed = []
            for job_id in candidates:
                job = Job.objects.select_for_update(skip_locked=True).filter(id=job_id, status="queued").first()
                if job is not None:
                    claimed.append(job.id)
            Job.objects.filter(id__in=claimed).update(status="running")
    t.check("eight jobs claimed", len(claimed), 8)
    t.expect_no_findings("eight one-row claims with SKIP LOCKED")

    t.scenario("trap: a loop of 4 (below the threshold)")
    with request("posts_top4", "/posts/top/"):
        for post in Post.objects.order_by("id")[:4]:
            [c.body for c in post.comments.all()]
    t.expect_no_findings("four comment lookups")

    # 7. The test guard, set with OPTIONS at connection start.
    t.scenario("guard: n_plus_one_action = error")
    error = None
    with request("posts_guarded", "/posts/", using="guarded"):
        try:
            for post in Post.objects.using("guarded").order_by("id")[:10]:
                [c.body for c in post.comments.all()]
        except DatabaseError as e:
            error = e
    cause = getattr(error, "__cause__", None)
    t.check("the N+1 page raised django.db.DatabaseError", type(error).__name__, "DatabaseError")
    t.check("pgcode N1001", getattr(cause, "pgcode", None), "N1001")
    message = str(error) if error else ""
    t.check("the message names the child table and the count",
            ('"SELECT "comments"' in message or 'FROM "comments"' in message, "ran 5 times" in message),
            (True, True))
    print("    guard message: " + message.splitlines()[0] if message else "    no guard error")
    t.expect_findings("the guarded loop is recorded up to the failing statement", [
        finding("n_plus_one", "posts", "comments", 5, FW, "request")])
    t.reset()
    passed = True
    try:
        with request("posts_guarded_fixed", "/posts/", using="guarded"):
            for post in Post.objects.using("guarded").prefetch_related("comments").order_by("id")[:10]:
                [c.body for c in post.comments.all()]
    except DatabaseError as e:
        passed = False
        print(f"    unexpected error: {e}")
    t.check("the prefetched page passes the guard", passed, True)
    t.expect_no_findings("guarded prefetched page")

    t.finish()


main()
