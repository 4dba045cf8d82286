-- duplicate_index: identical indexes (name ignored); the one kept is the primary key, a
-- constraint's, a unique one, else the first by name. Severity by the duplicate's size.
CREATE TABLE big (id int PRIMARY KEY, a int);
INSERT INTO big SELECT g, g FROM generate_series(1, 60000) g;
CREATE INDEX big_a1 ON big (a);
CREATE INDEX big_a2 ON big (a);                 -- medium: duplicate above 1 MB

CREATE TABLE t (id int PRIMARY KEY, a int, b text, c int);
INSERT INTO t SELECT g, g % 100, 'b' || g, g FROM generate_series(1, 1000) g;
CREATE INDEX t_id_dup ON t (id);                -- low: duplicates the primary key
CREATE UNIQUE INDEX t_c_key ON t (c);
CREATE INDEX t_c_idx ON t (c);                  -- low: the unique one is kept
CREATE INDEX t_lower1 ON t (lower(b));
CREATE INDEX t_lower2 ON t (lower(b));          -- low: same expression
CREATE INDEX t_a ON t (a);
-- near misses: collation, order, predicate, method, INCLUDE differ
CREATE INDEX t_b ON t (b);
CREATE INDEX t_b_c ON t (b COLLATE "C");
CREATE INDEX t_a_desc ON t (a DESC);
CREATE INDEX t_a_part ON t (a) WHERE a > 10;
CREATE INDEX t_a_hash ON t USING hash (a);
CREATE INDEX t_a_inc ON t (a) INCLUDE (c);

-- a PRIMARY KEY and a UNIQUE constraint on the same column: the unique constraint goes
-- (CREATE TABLE would merge them; ALTER TABLE keeps both)
CREATE TABLE w (id int PRIMARY KEY);
ALTER TABLE w ADD CONSTRAINT w_id_key UNIQUE (id);    -- low: w_id_key
-- a unique constraint a foreign key depends on is kept, the plain unique index reported
CREATE TABLE u (x int CONSTRAINT u_x_key UNIQUE);
CREATE UNIQUE INDEX u_x_uniq ON u (x);          -- low
CREATE TABLE u_ref (x int REFERENCES u (x));

-- partitioned: reported once, on the partitioned index (partitions' copies are attached)
CREATE TABLE p (id int, k int) PARTITION BY RANGE (id);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (100);
CREATE INDEX p_k1 ON p (k);
CREATE INDEX p_k2 ON p (k);                     -- low

-- near miss: operator classes of one name in two schemas are two operator classes
CREATE SCHEMA fx_ops_a;
CREATE SCHEMA fx_ops_b;
CREATE OPERATOR CLASS fx_ops_a.int4_alt FOR TYPE int4 USING btree AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 btint4cmp(int4, int4);
CREATE OPERATOR CLASS fx_ops_b.int4_alt FOR TYPE int4 USING btree AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 btint4cmp(int4, int4);
CREATE INDEX t_c_alt_a ON t (c fx_ops_a.int4_alt);
CREATE INDEX t_c_alt_b ON t (c fx_ops_b.int4_alt);
