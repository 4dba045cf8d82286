-- Scan shapes captured by the planner hook: per relation, which columns are filtered and how.
CREATE EXTENSION IF NOT EXISTS pg_advisor;
SET pg_advisor.sample_rate = 0;
CREATE TABLE shp_orders (id int PRIMARY KEY, customer_id int, status text, email text,
                         created_at timestamptz, deleted_at timestamptz, paid boolean,
                         "MixedCase" int);
INSERT INTO shp_orders
  SELECT g, g % 100, CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'done' END, 'u' || g || '@x.org',
         timestamptz '2024-01-01' + g * interval '1 minute', NULL, g % 2 = 0, g
    FROM generate_series(1, 5000) g;
CREATE TABLE shp_customers (id int PRIMARY KEY, name text);
INSERT INTO shp_customers SELECT g, 'c' || g FROM generate_series(1, 100) g;
ANALYZE shp_orders, shp_customers;
SELECT advisor.reset();
CREATE VIEW shp_v AS
  SELECT p.query, s.scan_no, s.relation, s.scan_type, s.quals, s.order_by, s.limit_count,
         s.limit_is_param, s.command, s.flags
    FROM advisor.scan_shapes s JOIN advisor.query_patterns p USING (queryid)
   WHERE p.query LIKE '%shp_%' AND p.query NOT LIKE '%shp_v%';

-- The workload. Its ~10,000 lines of result rows are not printed, their checksum is (md5sum
-- prints it when \o closes the pipe), so the rows are still checked exactly; errors still show.
\o | md5sum
SELECT id FROM shp_orders WHERE customer_id = 7 AND status = 'pending' ORDER BY created_at DESC LIMIT 10;
SELECT id FROM shp_orders WHERE created_at >= '2024-01-02' AND created_at < '2024-01-03' ORDER BY created_at, id DESC NULLS LAST;
SELECT id FROM shp_orders WHERE customer_id IN (1, 2, 3) OR customer_id = 4;
SELECT id FROM shp_orders WHERE email LIKE 'u1%';
SELECT id FROM shp_orders WHERE email LIKE '%x.org';
SELECT id FROM shp_orders WHERE lower(email) = 'u5@x.org';
SELECT id FROM shp_orders WHERE deleted_at IS NULL AND paid AND "MixedCase" > 10;
SELECT id FROM shp_orders WHERE status <> 'done' AND NOT paid;
SELECT id FROM shp_orders WHERE id = 42 FOR UPDATE SKIP LOCKED;
UPDATE shp_orders SET status = 'done' WHERE customer_id = 3 AND status = 'pending';
DELETE FROM shp_orders WHERE id = -1;
\o
SELECT query, scan_no, relation, scan_type, quals, order_by, limit_count, command, flags
  FROM shp_v ORDER BY query COLLATE "C", scan_no;

-- Parameters: LIMIT $n and quals compared with $n.
PREPARE shp_p(int, int) AS SELECT id FROM shp_orders WHERE customer_id = $1 LIMIT $2;
EXECUTE shp_p(1, 5);
SELECT quals, limit_count, limit_is_param FROM shp_v WHERE query LIKE '%LIMIT $2%';

-- A nested loop's inner index scan receives the join key as a parameter.
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SELECT c.name, o.id FROM shp_customers c JOIN shp_orders o ON o.id = c.id WHERE c.name = 'c5';
RESET enable_hashjoin;
RESET enable_mergejoin;
SELECT s.relation, s.scan_type, s.parameterized, s.quals
  FROM advisor.scan_shapes s JOIN advisor.query_patterns p USING (queryid)
 WHERE p.query LIKE '%JOIN shp_orders%' ORDER BY s.relation::text COLLATE "C";

-- Catalog-only statements are marked.
SELECT relname FROM pg_class WHERE relname = 'shp_orders';
SELECT flags FROM advisor.scan_shapes s JOIN advisor.query_patterns p USING (queryid)
 WHERE p.query LIKE 'SELECT relname FROM pg_class%';

-- Sampled executions count rows each scan read and returned (every execution at rate 1).
SET pg_advisor.sample_rate = 1;
SELECT count(*) FROM shp_orders WHERE status = 'pending' AND customer_id < 50;
SELECT count(*) FROM shp_orders WHERE status = 'pending' AND customer_id < 50;
RESET pg_advisor.sample_rate;
SELECT s.scan_type, s.sampled_execs, s.loops, s.rows_scanned, s.rows_returned, p.sampled_calls, p.calls
  FROM advisor.scan_shapes s JOIN advisor.query_patterns p USING (queryid)
 WHERE p.query LIKE 'SELECT count(*) FROM shp_orders WHERE status%';

-- The shape is captured once per query id, not re-planned into the store.
SELECT count(*) AS shapes_for_customer_lookup FROM shp_v WHERE query LIKE '%LIMIT $2%';

DROP VIEW shp_v;
DROP TABLE shp_orders, shp_customers;
