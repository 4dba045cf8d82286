-- int_key_design: integer and smallint primary keys of tables from 10,000 rows.
CREATE TABLE t_int (id int PRIMARY KEY);                 -- info
INSERT INTO t_int SELECT generate_series(1, 20000);
CREATE TABLE t_small (id smallint PRIMARY KEY);          -- low: smallint
INSERT INTO t_small SELECT generate_series(1, 15000);
-- near misses
CREATE TABLE t_big (id bigint PRIMARY KEY);
INSERT INTO t_big SELECT generate_series(1, 20000);
CREATE TABLE lookup (id int PRIMARY KEY);                -- 200 rows
INSERT INTO lookup SELECT generate_series(1, 200);
