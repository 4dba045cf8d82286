-- Index advisor: candidates from scan shapes, verified by in-process what-if planning.
CREATE EXTENSION IF NOT EXISTS pg_advisor;
SET pg_advisor.sample_rate = 0;
SET pg_advisor.min_table_rows = 1000;

CREATE TABLE ia_customers (id bigint PRIMARY KEY, email text NOT NULL, region text NOT NULL,
                           "Tier" text NOT NULL, nick text COLLATE "C")
  WITH (autovacuum_enabled = off);
CREATE TABLE ia_orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL,
                        created_at timestamptz NOT NULL, total numeric NOT NULL, payload jsonb,
                        location point, is_paid boolean NOT NULL, deleted_at timestamptz)
  WITH (autovacuum_enabled = off);
CREATE TABLE ia_items (id bigint PRIMARY KEY, order_id bigint NOT NULL, sku text NOT NULL)
  WITH (autovacuum_enabled = off);
CREATE TABLE ia_tiny (id int PRIMARY KEY, code text) WITH (autovacuum_enabled = off);
CREATE TABLE "IaMixed" (id int PRIMARY KEY, "CustomerId" int NOT NULL, "Note" text)
  WITH (autovacuum_enabled = off);
CREATE TABLE ia_events (id bigint, account_id int NOT NULL, at timestamptz NOT NULL, kind text)
  PARTITION BY RANGE (at);
CREATE TABLE ia_events_2024 PARTITION OF ia_events
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') WITH (autovacuum_enabled = off);
CREATE TABLE ia_events_2025 PARTITION OF ia_events
  FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') WITH (autovacuum_enabled = off);

INSERT INTO ia_customers
  SELECT g, 'user' || g || '@example.com', 'r' || (g % 20), CASE WHEN g % 3 = 0 THEN 'gold' ELSE 'basic' END,
         'n' || g
  FROM generate_series(1, 5000) g;
INSERT INTO ia_orders
  SELECT g, 1 + (g * 7919) % 200,
         CASE WHEN g % 50 = 0 THEN 'pending' WHEN g % 50 = 1 THEN 'cancelled'
              WHEN g % 3 = 0 THEN 'delivered' ELSE 'shipped' END,
         timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', g % 1000,
         jsonb_build_object('k', g % 3), point(g % 100, g % 7), g % 10 <> 0,
         CASE WHEN g % 20 = 0 THEN timestamptz '2024-06-01 00:00:00+00' END
  FROM generate_series(1, 30000) g;
INSERT INTO ia_items SELECT g, 1 + g % 10000, 'sku' || (g % 500) FROM generate_series(1, 30000) g;
INSERT INTO ia_tiny SELECT g, 'c' || g FROM generate_series(1, 50) g;
INSERT INTO "IaMixed" SELECT g, g % 4000, 'n' || g FROM generate_series(1, 20000) g;
INSERT INTO ia_events
  SELECT g, g % 300, timestamptz '2024-06-01 00:00:00+00' + g * interval '17 minutes', 'k' || (g % 5)
  FROM generate_series(1, 30000) g;
CREATE INDEX ia_customers_email_idx ON ia_customers (email);
CREATE VIEW ia_order_view AS SELECT o.id, o.customer_id, o.total, c.region
  FROM ia_orders o JOIN ia_customers c ON c.id = o.customer_id;
CREATE MATERIALIZED VIEW ia_order_totals AS SELECT id, customer_id, total FROM ia_orders;
VACUUM ANALYZE ia_customers, ia_orders, ia_items, ia_tiny, "IaMixed", ia_events, ia_order_totals;

-- What recommend_indexes() says about one statement (queryids masked: they depend on OIDs).
CREATE FUNCTION ia_advise(q text)
RETURNS TABLE (key_columns text[], include_columns text[], predicate text, status text,
               rule text, cost_before numeric, cost_after numeric, reason text)
LANGUAGE sql AS $$
  SELECT key_columns, include_columns, predicate, status, rule, round(cost_before::numeric),
         round(cost_after::numeric), regexp_replace(reason, '-?[0-9]{7,}', 'Q', 'g')
  FROM advisor.recommend_indexes(q, true)
  ORDER BY status DESC, key_columns::text, include_columns::text, predicate
$$;
\pset format unaligned
\pset footer off

-- 1. Equality on a parameter: the column, verified (generic plan for $1).
SELECT * FROM ia_advise('SELECT * FROM ia_orders WHERE customer_id = $1');
SELECT ddl, est_size_bytes, calls, round(saving_pct) AS saving_pct
  FROM advisor.recommend_indexes('SELECT * FROM ia_orders WHERE customer_id = $1');

-- 2. Several equality columns, most selective first; the wider one must beat the narrower.
SELECT * FROM ia_advise('SELECT * FROM ia_customers WHERE region = ''r3'' AND "Tier" = ''gold'' AND id > 0');

-- 3. Equality then one range column.
SELECT * FROM ia_advise('SELECT * FROM ia_orders WHERE customer_id = 17 AND created_at >= ''2024-01-10'' AND created_at < ''2024-01-11''');

-- 4. ORDER BY with mixed directions and a LIMIT.
SELECT * FROM ia_advise('SELECT * FROM ia_orders WHERE customer_id = 17 ORDER BY created_at DESC, id LIMIT 10');

-- 5. INCLUDE for an index-only scan when few narrow columns are read.
SELECT * FROM ia_advise('SELECT customer_id, total FROM ia_orders WHERE customer_id = 17');

-- 6. Partial index for a recurring rare status; 7. IS NULL.
SELECT * FROM ia_advise('SELECT * FROM ia_orders WHERE status = ''pending'' ORDER BY created_at LIMIT 20');
SELECT * FROM ia_advise('SELECT id FROM ia_orders WHERE deleted_at IS NOT NULL AND customer_id = 5');

-- 8. Expression index; 9. LIKE prefix under a non-C collation (text_pattern_ops) and under C.
SELECT * FROM ia_advise('SELECT * FROM ia_customers WHERE lower(email) = ''user7@example.com''');
SELECT * FROM ia_advise('SELECT * FROM ia_customers WHERE email LIKE ''user12%''');
SELECT * FROM ia_advise('SELECT * FROM ia_customers WHERE nick LIKE ''n12%''');

-- 10. IN lists, = ANY, OR of equalities on one column.
SELECT * FROM ia_advise('SELECT * FROM ia_items WHERE order_id IN (1, 2, 3)');
SELECT * FROM ia_advise('SELECT * FROM ia_items WHERE order_id = ANY($1)');
SELECT * FROM ia_advise('SELECT * FROM ia_items WHERE order_id = 1 OR order_id = 2');

-- 11. A join: the key of the inner side (the foreign key an N+1 child looks up).
SELECT * FROM ia_advise('SELECT o.id, i.sku FROM ia_orders o JOIN ia_items i ON i.order_id = o.id WHERE o.customer_id = 17');

-- 12. Nothing to recommend: a column without a btree operator class, a tiny table, an
--     already indexed column, an unselective boolean.
SELECT * FROM ia_advise('SELECT * FROM ia_orders WHERE location ~= point ''(1,1)''');
SELECT * FROM ia_advise('SELECT * FROM ia_tiny WHERE code = ''c7''');
SELECT * FROM ia_advise('SELECT * FROM ia_customers WHERE email = $1');
SELECT * FROM ia_advise('SELECT * FROM ia_orders WHERE is_paid');

-- 13. Partitioned table: the index goes on the parent, without CONCURRENTLY.
SELECT ddl FROM advisor.recommend_indexes('SELECT * FROM ia_events WHERE account_id = $1');
SELECT * FROM ia_advise('SELECT * FROM ia_events_2024 WHERE account_id = 7');

-- 14. Views, materialized views, CTEs, UPDATE / DELETE, quoted mixed-case identifiers.
SELECT ddl FROM advisor.recommend_indexes('SELECT * FROM ia_order_view WHERE customer_id = 9');
SELECT ddl FROM advisor.recommend_indexes('SELECT * FROM ia_order_totals WHERE customer_id = 9');
SELECT ddl FROM advisor.recommend_indexes('WITH recent AS MATERIALIZED (SELECT * FROM ia_orders WHERE customer_id = $1) SELECT count(*) FROM recent');
SELECT ddl FROM advisor.recommend_indexes('UPDATE ia_orders SET total = total + 1 WHERE customer_id = $1');
SELECT ddl FROM advisor.recommend_indexes('DELETE FROM ia_items WHERE order_id = $1');
SELECT ddl FROM advisor.recommend_indexes('SELECT * FROM "IaMixed" WHERE "CustomerId" = $1');

-- 15. Bad input: a clear error each time, and nothing captured is affected.
SELECT advisor.reset();
SELECT count(*) FROM ia_tiny WHERE id = 1;
\set VERBOSITY terse
SELECT * FROM advisor.recommend_indexes(NULL);
SELECT * FROM advisor.recommend_indexes('');
SELECT * FROM advisor.recommend_indexes('   ');
SELECT * FROM advisor.recommend_indexes('this is not sql');
SELECT * FROM advisor.recommend_indexes('CREATE TABLE ia_nope (id int)');
SELECT * FROM advisor.recommend_indexes('VACUUM ia_tiny');
SELECT * FROM advisor.recommend_indexes('SELECT * FROM ia_missing WHERE id = 1');
SELECT * FROM advisor.recommend_indexes('SELECT 1; SELECT 2');
SELECT * FROM advisor.recommend_indexes('SELECT * FROM ia_tiny WHERE nope = 1');
\set VERBOSITY default
SELECT query, calls FROM advisor.query_patterns WHERE query LIKE '%ia_tiny%' ORDER BY query;

-- 16. The captured workload: an N+1 child, a report, a queue and an update loop. (The tables'
--     cumulative statistics start again with it: section 18 compares them exactly.)
SELECT advisor.reset();
SELECT pg_stat_force_next_flush();  -- this session's earlier scans are counted before the reset
SELECT pg_stat_reset_single_table_counters(r) FROM unnest('{ia_items,ia_orders}'::regclass[]) r;
\o /dev/null
SELECT * FROM ia_orders WHERE customer_id = 17 ORDER BY id;
SELECT * FROM ia_items WHERE order_id = 1;
SELECT * FROM ia_items WHERE order_id = 2;
SELECT * FROM ia_items WHERE order_id = 3;
SELECT * FROM ia_orders WHERE status = 'pending' ORDER BY created_at LIMIT 20;
SELECT * FROM ia_orders WHERE status = 'pending' ORDER BY created_at LIMIT 20;
SELECT count(*) FROM ia_orders WHERE created_at >= '2024-01-05' AND created_at < '2024-01-06';
SELECT * FROM ia_tiny WHERE code = 'c3';
UPDATE ia_items SET sku = sku WHERE id <= 2000;
\o
SELECT relation, key_columns, include_columns, predicate, calls, status
  FROM advisor.index_candidates WHERE relation::text LIKE 'ia%'
  ORDER BY status DESC, relation::text, key_columns::text, predicate;
SELECT relation, ddl, calls, round(cost_before::numeric) AS before, round(cost_after::numeric) AS after,
       array_length(queryids, 1) AS statements, round(write_overhead::numeric, 2) AS write_overhead
  FROM advisor.index_recommendations ORDER BY relation::text, ddl;
SELECT statements, tables, candidates, planner_calls + cache_hits > 0 AS planned
  FROM advisor.index_advice_stats();

-- 17. Why, and why not.
SELECT regexp_replace(advisor.explain_recommendation(recommendation_key), '-?[0-9]{7,}', 'Q', 'g')
  FROM advisor.index_recommendations WHERE relation = 'ia_items'::regclass;
SELECT regexp_replace(advisor.explain_recommendation(recommendation_key), '-?[0-9]{7,}', 'Q', 'g')
  FROM advisor.index_candidates WHERE relation = 'ia_tiny'::regclass;
\set VERBOSITY terse
SELECT advisor.explain_recommendation(NULL);
SELECT advisor.explain_recommendation('idx:nothex');
SELECT advisor.explain_recommendation('idx:0123456789abcdef');
\set VERBOSITY default

-- 18. Seq-scan hotspots of the same workload (ia_tiny is below the size floor), cross-checked
--     with the cumulative statistics: the server counted exactly the sequential scans the
--     captured statements ran since both were reset.
SELECT pg_stat_force_next_flush();
SELECT relation, seq_scans, rows_scanned, rows_returned, round(filter_ratio::numeric, 4) AS filter_ratio,
       quals, array_length(queryids, 1) AS statements, measured,
       stat_seq_scan, stat_seq_scan = seq_scans AS stats_agree
  FROM advisor.seq_scan_hotspots WHERE relation::text LIKE 'ia%' ORDER BY relation::text;

-- 19. Privileges: like pg_stat_statements, a role sees the advice for its own statements only,
--     unless it has pg_read_all_stats.
CREATE ROLE ia_reader;
GRANT SELECT ON ia_items TO ia_reader;
SET ROLE ia_reader;
SELECT count(*) AS visible FROM advisor.index_recommendations;
SELECT count(*) FROM ia_items WHERE order_id = 77;
SELECT relation, key_columns, calls FROM advisor.index_recommendations;
RESET ROLE;
-- With pg_read_all_stats it sees other users' statements too, but advice only on the tables it
-- may SELECT from (the advice shows what their statistics say, as pg_stats would not).
GRANT pg_read_all_stats TO ia_reader;
SET ROLE ia_reader;
SELECT count(*) AS visible FROM advisor.index_recommendations WHERE relation::text LIKE 'ia%';
SELECT count(*) AS skipped_for_privilege FROM advisor.index_advice_notes
 WHERE reason LIKE 'the reading role may not SELECT from %';
RESET ROLE;
REVOKE SELECT ON ia_items FROM ia_reader;
DROP ROLE ia_reader;

-- 20. What-if planning never leaks into this session's own plans.
EXPLAIN (COSTS OFF) SELECT * FROM ia_items WHERE order_id = 1;

\pset format aligned
\pset footer on
DROP FUNCTION ia_advise(text);
