-- missing_index reads the index advisor's verified recommendations from the captured workload
-- (pg_advisor extension). The command line has no captured workload: the rule is reported as
-- not checked and lists nothing, even for a table that obviously lacks an index. Its findings
-- are covered by the unit tests (test/unit/review/index_rules_test.cpp).
CREATE TABLE t (id int, x int);
INSERT INTO t SELECT g, g % 100 FROM generate_series(1, 20000) g;
SELECT count(*) FROM t WHERE x = 5;
