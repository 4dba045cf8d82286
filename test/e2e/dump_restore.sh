#!/usr/bin/env bash
# Suppressions and review history are configuration: pg_dump keeps them
# (pg_extension_config_dump), a restore into another database brings them back, and the
# suppressed finding stays suppressed there (same key: keys are made of names, not OIDs).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

NAME=e2e_dump_restore
PORT=55445
WORK="$(mktemp -d)"
chmod 777 "$WORK"
trap 'pga_cluster_stop $NAME; rm -rf "$WORK"' EXIT
pga_cluster_start $NAME $PORT "shared_preload_libraries = 'pg_advisor'"
q() { pga_psql $NAME $PORT -qAt "$@"; }

q -c "CREATE DATABASE source" -c "CREATE DATABASE target"
q -d source -c "CREATE EXTENSION pg_advisor" \
  -c "CREATE TABLE dr_parent (id bigint PRIMARY KEY)" \
  -c "CREATE TABLE dr_child (id bigint PRIMARY KEY, parent_id bigint REFERENCES dr_parent, note json)" \
  -c "INSERT INTO dr_parent SELECT g FROM generate_series(1, 1000) g" \
  -c "INSERT INTO dr_child SELECT g, 1 + g % 1000, NULL FROM generate_series(1, 20000) g" \
  -c "ANALYZE"
fk_key=$(q -d source -c "SELECT finding_key FROM advisor.findings WHERE rule = 'fk_missing_index'")
expect_true "an unindexed foreign key is found ($fk_key)" test -n "$fk_key"
q -d source -c "SELECT advisor.snapshot()" \
  -c "SELECT advisor.suppress('$fk_key', 'archive table, never deleted from')" \
  -c "SELECT advisor.suppress_rule('json_not_jsonb', 'public.dr_child.note', 'kept as sent', now() + interval '30 days')" >/dev/null
before=$(q -d source -c "SELECT coalesce(rule, 'by key') || '|' || coalesce(finding_key, object) || '|' || reason || '|' || (until IS NOT NULL) FROM advisor.suppressions ORDER BY rule NULLS FIRST")
pga_as_cluster_user pg_dump -h "$(pga_cluster_host $NAME)" -p $PORT -U postgres -Fc -f "$WORK/source.dump" source
pga_as_cluster_user pg_restore -h "$(pga_cluster_host $NAME)" -p $PORT -U postgres -d target "$WORK/source.dump"
after=$(q -d target -c "SELECT coalesce(rule, 'by key') || '|' || coalesce(finding_key, object) || '|' || reason || '|' || (until IS NOT NULL) FROM advisor.suppressions ORDER BY rule NULLS FIRST")
expect_eq "suppressions restored" "$after" "$before"
expect_eq "the history restored" "$(q -d target -c "SELECT count(*) FROM advisor.snapshot_findings")" \
  "$(q -d source -c "SELECT count(*) FROM advisor.snapshot_findings")"
q -d target -c "ANALYZE"
expect_eq "the suppressed finding stays suppressed after the restore (same key)" \
  "$(q -d target -c "SELECT count(*) FROM advisor.findings WHERE rule IN ('fk_missing_index', 'json_not_jsonb')")" 0
expect_eq "and is counted as suppressed" \
  "$(q -d target -c "SELECT suppressed FROM advisor.review_checks WHERE rule = 'fk_missing_index'")" 1
expect_eq "the unsuppressed finding has the same key as in the source" \
  "$(q -d target -o /dev/null -c "SELECT advisor.unsuppress('$fk_key')"; q -d target -c "SELECT finding_key FROM advisor.findings WHERE rule = 'fk_missing_index'")" "$fk_key"
expect_eq "first seen comes from the restored history" \
  "$(q -d target -c "SELECT first_seen = (SELECT taken_at FROM advisor.snapshots) FROM advisor.findings WHERE rule = 'fk_missing_index'")" t
finish
