-- DDL review: the live review of DDL before it runs (pg_advisor.ddl_review off / log / warning /
-- error, ddl_block_severity, allow_unsafe_ddl, ignore comments, tables created in the same
-- transaction), the findings of reviewed DDL in advisor.findings, and advisor.lint_ddl (line
-- and column, parse errors, sizes as the calling role may see them, captured statements).
-- In a database of its own; only index_not_concurrent runs (the other rules have fixtures).
SELECT current_database() AS regress_db \gset
CREATE DATABASE regress_ddl;
\c regress_ddl
CREATE EXTENSION pg_advisor;
SET pg_advisor.sample_rate = 0;
SELECT set_config('pg_advisor.disabled_rules', string_agg(rule, ','), false) IS NOT NULL AS only_one
  FROM advisor.rules WHERE rule <> 'index_not_concurrent';
CREATE TABLE dr_orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text)
  WITH (autovacuum_enabled = off);  -- its size shows in findings
INSERT INTO dr_orders SELECT g, g % 100, 'new' FROM generate_series(1, 5000) g;
ANALYZE dr_orders;
-- Every table is "large enough" for a high finding (the default of 10 MB would make it info).
SET pg_advisor.migration_small_table_bytes = 0;

-- warning (the default; the suite's cluster turns it off for the other tests): the statement
-- runs, with the finding as a WARNING.
SELECT boot_val AS default_ddl_review FROM pg_settings WHERE name = 'pg_advisor.ddl_review';
SET pg_advisor.ddl_review = warning;
CREATE INDEX dr_orders_customer ON dr_orders (customer_id);
SELECT count(*) AS built FROM pg_indexes WHERE indexname = 'dr_orders_customer';
DROP INDEX dr_orders_customer;
-- Not DDL, or DDL without a finding: nothing.
SELECT count(*) FROM dr_orders WHERE customer_id = 7;
CREATE INDEX CONCURRENTLY dr_orders_customer ON dr_orders (customer_id);
DROP INDEX dr_orders_customer;

-- off: nothing.
SET pg_advisor.ddl_review = off;
CREATE INDEX dr_orders_customer ON dr_orders (customer_id);
DROP INDEX dr_orders_customer;

-- log: a LOG message (shown here through client_min_messages).
SET pg_advisor.ddl_review = log;
SET client_min_messages = log;
CREATE INDEX dr_orders_customer ON dr_orders (customer_id);
RESET client_min_messages;
DROP INDEX dr_orders_customer;

-- error: blocked, with the safe alternative; the index is not built.
SET pg_advisor.ddl_review = error;
CREATE INDEX dr_orders_customer ON dr_orders (customer_id);
SELECT count(*) AS built FROM pg_indexes WHERE indexname = 'dr_orders_customer';
-- Below the block severity: a WARNING only.
SET pg_advisor.ddl_block_severity = critical;
CREATE INDEX dr_orders_status ON dr_orders (status);
DROP INDEX dr_orders_status;
RESET pg_advisor.ddl_block_severity;
-- A small table's finding is info: below the default block severity (high), only logged (not a
-- WARNING) and not recorded.
RESET pg_advisor.migration_small_table_bytes;
CREATE INDEX dr_orders_status ON dr_orders (status);
DROP INDEX dr_orders_status;
SET client_min_messages = log;
CREATE INDEX dr_orders_status ON dr_orders (status);
RESET client_min_messages;
DROP INDEX dr_orders_status;
SET pg_advisor.migration_small_table_bytes = 0;
-- allow_unsafe_ddl (SET LOCAL): the reviewed statement goes through, warned.
BEGIN;
SET LOCAL pg_advisor.allow_unsafe_ddl = on;
CREATE INDEX dr_orders_customer ON dr_orders (customer_id);
COMMIT;
SHOW pg_advisor.allow_unsafe_ddl;
DROP INDEX dr_orders_customer;
-- An ignore comment naming the rule: silent, and it runs.
/* pg_advisor:ignore index_not_concurrent */ CREATE INDEX dr_orders_customer ON dr_orders (customer_id);
DROP INDEX dr_orders_customer;
-- Naming another rule does not help.
CREATE INDEX dr_orders_customer ON dr_orders (customer_id) /* pg_advisor:ignore drop_column */;
-- A table created in the same transaction is no risk: silent.
BEGIN;
CREATE TABLE dr_new (id bigint, ref bigint);
CREATE INDEX dr_new_ref ON dr_new (ref);
COMMIT;
-- ... but in the next transaction it is an existing table again.
CREATE INDEX dr_new_id ON dr_new (id);
-- A blocked statement inside a transaction aborts it; the table it created is forgotten at its
-- end (the index on it is no longer silent).
BEGIN;
CREATE TABLE dr_tmp (id bigint);
CREATE INDEX dr_orders_customer ON dr_orders (customer_id);
ROLLBACK;
BEGIN;
CREATE INDEX dr_tmp_id ON dr_tmp (id);
ROLLBACK;
SET pg_advisor.ddl_review = warning;

-- The findings of reviewed DDL that ran are migration findings of advisor.findings, one per
-- statement text (the latest review, counted); the blocked and ignored ones are not.
SELECT rule, category, severity, object, title, fix_sql, evidence->>'statement' AS statement,
       evidence->'reviews' AS reviews
  FROM advisor.findings WHERE category = 'migration' ORDER BY evidence->>'statement', title;

-- advisor.lint_ddl: nothing runs; findings with the statement's line and column.
SELECT statement, line, "column", rule, severity, object, title, fix_sql,
       evidence->>'lock' AS lock, (evidence->>'table_bytes')::bigint > 0 AS sized
  FROM advisor.lint_ddl($$-- a migration
SET lock_timeout = '2s';
  CREATE INDEX dr_orders_status ON dr_orders (status);
CREATE TABLE dr_later (id int);
CREATE INDEX ON dr_later (id);
CREATE INDEX CONCURRENTLY dr_orders_status2 ON dr_orders (status)$$);
SELECT count(*) AS built FROM pg_indexes WHERE indexname = 'dr_orders_status';
-- A statement that does not parse is reported at the error's position; the rest is linted.
SELECT statement, line, "column", rule, severity, object, message
  FROM advisor.lint_ddl(E'CREATE INDEX a ON dr_orders (status);\nCREATE TABLE (;\n  CREATE INDEX b ON dr_orders (id)');
-- An ignore comment before a statement silences it, and only it.
SELECT statement, line, rule FROM advisor.lint_ddl($$
/* pg_advisor:ignore index_not_concurrent */
CREATE INDEX x ON dr_orders (status);
CREATE INDEX y ON dr_orders (customer_id);$$);
-- The session's own transaction is where the text starts from: a table it created is no risk.
BEGIN;
CREATE TABLE dr_in_block (id int);
SELECT rule, object FROM advisor.lint_ddl('CREATE INDEX ON dr_in_block (id); CREATE INDEX ON dr_orders (id)');
ROLLBACK;
SELECT rule, object FROM advisor.lint_ddl('CREATE INDEX ON dr_in_block (id)');
SELECT count(*) FROM advisor.lint_ddl('SELECT 1');
SELECT count(*) FROM advisor.lint_ddl('');

-- Privileges: a role with no privilege on the table gets the finding, but no size; the
-- table's owner gets it with the size.
CREATE ROLE regress_ddl_reader;
SET ROLE regress_ddl_reader;
SELECT rule, severity, evidence ? 'table_bytes' AS sized
  FROM advisor.lint_ddl('CREATE INDEX z ON dr_orders (status)');
SELECT advisor._ddl_facts('dr_orders') AS reader_facts;
SELECT count(*) FROM advisor.findings WHERE category = 'migration';
RESET ROLE;
SELECT rule, severity, evidence ? 'table_bytes' AS sized
  FROM advisor.lint_ddl('CREATE INDEX z ON dr_orders (status)');

-- The facts: parser-style column types, indexes with their key columns, and the captured
-- statements that name the table (and a column of it).
CREATE TABLE dr_typed (id serial PRIMARY KEY, code varchar(20), price numeric(10,2),
                       tags text[], at timestamptz, n integer);
CREATE UNIQUE INDEX CONCURRENTLY dr_typed_code ON dr_typed (lower(code), n);
SELECT jsonb_pretty(advisor._ddl_facts('public.dr_typed') - 'bytes' - 'rows');
SELECT status FROM dr_orders WHERE id = 1;
SELECT customer_id FROM dr_orders WHERE id = 2;
SELECT advisor._ddl_facts('dr_orders', 'status')->'queries' AS status_queries;
SELECT (advisor._ddl_facts('dr_orders')->>'bytes')::bigint > 8192 AS sized,
       advisor._ddl_facts('dr_orders')->>'rows' AS rows;
-- Names are read as the server reads them: quoted parts may hold dots, unquoted ones fold.
CREATE SCHEMA "dr.s";
CREATE TABLE "dr.s"."Dr.T" (id int PRIMARY KEY);
SELECT advisor._ddl_facts('"dr.s"."Dr.T"')->'columns' AS quoted,
       advisor._ddl_facts('DR_TYPED')->'columns'->0 AS folded;
\set VERBOSITY terse
SELECT advisor._ddl_facts('a.b.c');
SELECT advisor._ddl_facts('"unterminated');
\set VERBOSITY default
DROP SCHEMA "dr.s" CASCADE;
-- Function volatility (the most volatile of a name's overloads) and enum labels, in order.
CREATE TYPE dr_mood AS ENUM ('sad', 'ok', 'happy');
SELECT advisor._ddl_facts_of($$ALTER TABLE dr_orders ADD COLUMN a timestamptz DEFAULT now(),
  ADD COLUMN b float8 DEFAULT random(), ADD COLUMN c text DEFAULT lower('X') CHECK (length(c) > 0);
ALTER TYPE dr_mood ADD VALUE 'meh' BEFORE 'ok'; ALTER TYPE public.dr_missing ADD VALUE 'x'$$) - 'server_version' AS facts;
-- A role with a privilege on the table sees its size, but not the statements of others.
GRANT SELECT ON dr_orders TO regress_ddl_reader;
SET ROLE regress_ddl_reader;
SELECT (advisor._ddl_facts('dr_orders')->>'bytes')::bigint > 8192 AS sized,
       advisor._ddl_facts('dr_orders', 'status')->'queries' AS status_queries;
RESET ROLE;
REVOKE SELECT ON dr_orders FROM regress_ddl_reader;

-- Data changes after DDL took ACCESS EXCLUSIVE in the same transaction are reviewed as well
-- (backfill_under_ddl_lock; no enabled rule finds anything here, and nothing breaks).
BEGIN;
ALTER TABLE dr_orders ADD COLUMN note text;
UPDATE dr_orders SET note = 'x' WHERE id < 10;
COMMIT;
SELECT count(*) AS noted FROM dr_orders WHERE note = 'x';
-- With that rule on: the backfill under the lock is found, and not after ROLLBACK TO SAVEPOINT,
-- which released the lock (the review follows savepoints; RELEASE keeps what they did).
SELECT set_config('pg_advisor.disabled_rules', string_agg(rule, ','), false) IS NOT NULL AS only_backfill
  FROM advisor.rules WHERE rule <> 'backfill_under_ddl_lock';
BEGIN;
ALTER TABLE dr_orders ADD COLUMN note2 text;
UPDATE dr_orders SET status = 'x' WHERE id < 10;
ROLLBACK;
BEGIN;
SAVEPOINT s1;
ALTER TABLE dr_orders ADD COLUMN note2 text;
ROLLBACK TO SAVEPOINT s1;
UPDATE dr_orders SET status = 'x' WHERE id < 10;
SAVEPOINT s2;
SAVEPOINT s3;
ALTER TABLE dr_orders ADD COLUMN note2 text;
RELEASE SAVEPOINT s3;
ROLLBACK TO SAVEPOINT s2;
UPDATE dr_orders SET status = 'y' WHERE id < 10;
SAVEPOINT s4;
ALTER TABLE dr_orders ADD COLUMN note2 text;
RELEASE SAVEPOINT s4;
UPDATE dr_orders SET status = 'z' WHERE id < 10;
ROLLBACK;
SELECT set_config('pg_advisor.disabled_rules', string_agg(rule, ','), false) IS NOT NULL AS only_one
  FROM advisor.rules WHERE rule <> 'index_not_concurrent';

-- The server's front end: raw parse trees as the neutral model (names as folded, parser type
-- names, expression slices, functions called, constants), one row per change.
SELECT statement, change FROM advisor._ddl_model($$
CREATE TABLE IF NOT EXISTS s.orders (id bigserial PRIMARY KEY, cust int REFERENCES customers (id), code varchar(20) NOT NULL DEFAULT 'x'::varchar, price numeric(10,2) CHECK (price > 0), at timestamp with time zone DEFAULT now(), tags text[], CONSTRAINT u UNIQUE (code, cust));
CREATE TEMP TABLE tt (a pg_catalog.int8);
ALTER TABLE orders ADD COLUMN IF NOT EXISTS total double precision DEFAULT random() NOT NULL, DROP COLUMN old CASCADE;
ALTER TABLE ONLY orders ALTER COLUMN code TYPE text USING code::text, ALTER code SET NOT NULL, ALTER code DROP NOT NULL;
ALTER TABLE orders ALTER COLUMN at SET DEFAULT clock_timestamp(), ALTER at DROP DEFAULT;
ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (cust) REFERENCES public.customers NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT fk, DROP CONSTRAINT IF EXISTS u;
ALTER TABLE orders ADD CONSTRAINT pk PRIMARY KEY USING INDEX orders_idx;
ALTER TABLE parent ATTACH PARTITION p1 FOR VALUES IN (1);
ALTER TABLE parent DETACH PARTITION p1 CONCURRENTLY;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON orders USING gin (lower(code), cust) INCLUDE (at) WHERE cust > 0;
DROP INDEX CONCURRENTLY IF EXISTS s.i, j;
DROP TABLE a, s.b CASCADE;
DROP SCHEMA old;
DROP DATABASE IF EXISTS d;
ALTER TABLE orders RENAME TO orders2;
ALTER TABLE orders RENAME COLUMN code TO code2;
ALTER SCHEMA a RENAME TO b;
TRUNCATE orders, items;
SET LOCAL lock_timeout = '2s';
SET statement_timeout TO 5000;
RESET lock_timeout;
BEGIN; COMMIT; ROLLBACK; START TRANSACTION;
REINDEX INDEX CONCURRENTLY i;
REINDEX TABLE orders;
VACUUM FULL orders;
VACUUM orders;
CLUSTER orders USING i;
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
ALTER DOMAIN posint ADD CONSTRAINT c CHECK (VALUE < 10) NOT VALID;
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'sad';
ALTER TYPE mood RENAME VALUE 'meh' TO 'ok';
ALTER TABLE orders SET SCHEMA archive;
UPDATE orders SET x = 1 WHERE id = 2;
DELETE FROM orders;
INSERT INTO orders VALUES (1);
CREATE TABLE t2 AS SELECT 1;
ALTER TABLE orders ADD COLUMN g int DEFAULT greatest(1, abs(-2)), ADD COLUMN h text[] DEFAULT ARRAY[upper('a')],
  ADD COLUMN i int DEFAULT -1, ADD COLUMN j timestamptz DEFAULT CURRENT_TIMESTAMP, ADD COLUMN k text DEFAULT NULL,
  ADD COLUMN "Mixed" int CHECK ("Mixed" IN (SELECT f(1))), ADD l int GENERATED ALWAYS AS IDENTITY;
COMMENT ON TABLE orders IS 'x'
$$);
-- advisor.reset() forgets the reviews of DDL that ran with everything else captured.
SELECT count(*) > 0 AS before_reset FROM advisor.findings WHERE category = 'migration';
SELECT advisor.reset();
SELECT count(*) AS after_reset FROM advisor.findings WHERE category = 'migration';
-- In a new session, a savepoint taken before its first DDL is followed too, and so is DDL
-- that a failed statement rolled back with its savepoint.
\c regress_ddl
SET pg_advisor.ddl_review = warning;
SET pg_advisor.migration_small_table_bytes = 0;
SELECT set_config('pg_advisor.disabled_rules', string_agg(rule, ','), false) IS NOT NULL AS only_backfill
  FROM advisor.rules WHERE rule <> 'backfill_under_ddl_lock';
BEGIN;
SAVEPOINT s1;
ALTER TABLE dr_orders ADD COLUMN note3 text;
ROLLBACK TO SAVEPOINT s1;
UPDATE dr_orders SET status = 'x' WHERE id < 10;
SAVEPOINT s2;
ALTER TABLE dr_orders ADD COLUMN note3 text;
SELECT 1 / 0;
ROLLBACK TO SAVEPOINT s2;
UPDATE dr_orders SET status = 'y' WHERE id < 10;
ALTER TABLE dr_orders ADD COLUMN note3 text;
UPDATE dr_orders SET status = 'z' WHERE id < 10;
ROLLBACK;
\c :regress_db
DROP DATABASE regress_ddl;
DROP ROLE regress_ddl_reader;
