-- pk_design: more than 4 key columns (low), a text key (info), a key that is not the first
-- column (info).
CREATE TABLE wide_key (a int, b int, c int, d int, e int, PRIMARY KEY (a, b, c, d, e));   -- low
CREATE TABLE natural_key (code text PRIMARY KEY, name text);                              -- info
CREATE TABLE late_key (name text, id bigint PRIMARY KEY);                                 -- info
-- near misses
CREATE TABLE four_keys (a int, b int, c int, d int, PRIMARY KEY (a, b, c, d));
CREATE TABLE good (id bigint PRIMARY KEY, name text);
