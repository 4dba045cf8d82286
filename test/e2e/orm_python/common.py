"""Shared helpers of the ORM end-to-end tests: the admin connection that resets pg_advisor and
reads advisor.n_plus_one, sqlcommenter comments, and the assertions.

Every framework script connects with PGHOST / PGPORT / PGUSER from the environment (set by
orm_python.sh) to the database named by its first argument.
"""
import os
import sys
from urllib.parse import quote

import psycopg2

HOST = os.environ["PGHOST"]
PORT = int(os.environ["PGPORT"])
USER = os.environ.get("PGUSER", "postgres")

# What a finding is compared on. parent_relation / child_relation are regclass names.
FINDING_COLUMNS = (
    "kind", "parent_relation", "child_relation", "occurrences", "executions", "max_repeats",
    "distinct_params", "framework", "scope_kind",
)


def sqlcommenter(tags, escape_percent):
    """A sqlcommenter comment, the way the google/opentelemetry integrations build it: keys in
    the given order, values URL-quoted and single-quoted. When the driver interpolates
    parameters client-side (psycopg2 with a parameter sequence or mapping, even an empty one),
    '%' must be doubled, as sqlcommenter-python's url_quote does."""
    body = ",".join("%s='%s'" % (k, quote(str(v), safe="")) for k, v in tags.items())
    comment = "/*" + body + "*/"
    return comment.replace("%", "%%") if escape_percent else comment


def traceparent(n):
    """A W3C traceparent whose trace-id is unique to scenario n of this run."""
    return "00-%032x-%016x-01" % ((os.getpid() << 48) + 0xA11CE000 + n, 0xB0B + n)


class Suite:
    def __init__(self, name, dbname):
        self.name = name
        self.dbname = dbname
        self.failed = 0
        self.passed = 0
        self.admin = psycopg2.connect(host=HOST, port=PORT, user=USER, dbname=dbname,
                                      application_name="orm_python admin")
        self.admin.autocommit = True

    # ---- pg_advisor state

    def reset(self):
        """Clears all findings. Runs on the admin connection: the application's backend keeps
        its detector state, so every scenario uses tags (a unit of work) of its own."""
        with self.admin.cursor() as cur:
            cur.execute("SELECT advisor.reset()")

    def findings(self):
        with self.admin.cursor() as cur:
            cur.execute("""
                SELECT kind, parent_relation::text, child_relation::text, occurrences, executions,
                       max_repeats, distinct_params, framework, scope_kind, parent_query,
                       child_query, tags::text, expected_queries, example_scope
                  FROM advisor.n_plus_one
                 ORDER BY kind, child_relation::text, parent_relation::text, child_query""")
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]

    def calls(self, like):
        """Executions of the top-level patterns whose normalised text matches `like`, since the
        last reset: proves that a scenario sent the statements it is about."""
        with self.admin.cursor() as cur:
            cur.execute("""SELECT coalesce(sum(calls), 0)::int FROM advisor.query_patterns
                            WHERE toplevel AND query LIKE %s AND query NOT LIKE '%%advisor.%%'""",
                        (like,))
            return cur.fetchone()[0]

    def debug_patterns(self):
        if not os.environ.get("ORM_DEBUG"):
            return
        with self.admin.cursor() as cur:
            cur.execute("""SELECT calls, rows, query FROM advisor.query_patterns
                            WHERE toplevel AND query NOT LIKE '%advisor.%' ORDER BY first_seen""")
            for calls, rows, query in cur.fetchall():
                print(f"    pattern calls={calls} rows={rows}: {query[:230]}")

    def scenario(self, label):
        """Starts a scenario: findings cleared, label printed."""
        print(f"# {self.name}: {label}")
        self.reset()

    # ---- assertions

    def check(self, label, actual, expected):
        if actual == expected:
            self.passed += 1
            print(f"ok - {self.name}: {label} ({actual!r})")
        else:
            self.failed += 1
            print(f"not ok - {self.name}: {label}:\n    expected {expected!r}\n    got      {actual!r}")
        return actual == expected

    def expect_findings(self, label, expected):
        """The findings of the database are exactly `expected`: a list of dicts over (a subset
        of) FINDING_COLUMNS, all with the same keys. On a mismatch every finding is printed."""
        self.debug_patterns()
        rows = self.findings()
        keys = list(expected[0].keys()) if expected else list(FINDING_COLUMNS)
        got = sorted((tuple(r[k] for k in keys) for r in rows), key=repr)
        want = sorted((tuple(e[k] for k in keys) for e in expected), key=repr)
        if not self.check(label + " [" + ", ".join(keys) + "]", got, want):
            self.dump(rows)
        return rows

    def expect_no_fk_check_findings(self, label):
        """Foreign-key trigger queries (RI_FKey_check's SELECT ... FOR KEY SHARE OF x) are never
        the application's statements, not even when a DEFERRABLE constraint runs them at COMMIT."""
        rows = [r for r in self.findings() if "FOR KEY SHARE OF x" in (r["child_query"] or "")]
        if not self.check(label + ": no finding on a foreign-key check query", len(rows), 0):
            self.dump(rows)

    def expect_no_findings(self, label):
        self.debug_patterns()
        rows = self.findings()
        if not self.check(label + ": no finding", len(rows), 0):
            self.dump(rows)

    @staticmethod
    def dump(rows):
        for r in rows:
            print("    finding: " + ", ".join(f"{k}={v!r}" for k, v in r.items()))

    def finish(self):
        self.admin.close()
        if self.failed:
            print(f"FAIL: {self.failed} check(s) failed, {self.passed} passed in {self.name}")
            sys.exit(1)
        print(f"PASS: {self.name} ({self.passed} checks)")


def finding(kind, parent, child, repeats, framework, scope_kind, executions=None,
            distinct=None, occurrences=1):
    """An expected finding: one unit of work in which the child ran `repeats` times."""
    return {
        "kind": kind, "parent_relation": parent, "child_relation": child,
        "occurrences": occurrences, "executions": repeats if executions is None else executions,
        "max_repeats": repeats, "distinct_params": repeats if distinct is None else distinct,
        "framework": framework, "scope_kind": scope_kind,
    }
