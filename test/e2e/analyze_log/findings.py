"""Reads analyze-log's JSON (stdin) and prints one line per finding of database DB:
kind|parent_query|child_query|child_relation|occurrences (whitespace squashed), sorted; with
--scope, kind|child_relation|scope_kind|executions; with --counts, the statement, session and
skipped-line counts."""
import json
import sys

doc = json.load(sys.stdin)
db = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else ""


def squash(s):
    return " ".join((s or "").split())


if mode == "--counts":
    print("statements=%d sessions=%d skipped_lines=%d" % (doc["statements"], doc["sessions"], doc["skipped_lines"]))
    sys.exit(0)
lines = []
for f in doc["findings"]:
    if f["database"] != db:
        continue
    if mode == "--scope":
        lines.append("%s|%s|%s|%d" % (f["kind"], f["child_relation"], f["scope_kind"], f["executions"]))
    else:
        lines.append("|".join([f["kind"], squash(f["parent_query"]), squash(f["child_query"]),
                               f["child_relation"] or "", str(f["occurrences"])]))
for line in sorted(lines):
    print(line)
