-- no_primary_key, read by a role that sees only the tables granted to it (settings: high from
-- 1,000 rows instead of 1,000,000).
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fx_npk_reader') THEN
    CREATE ROLE fx_npk_reader LOGIN;
  END IF;
END $$;
CREATE TABLE nopk_big (a int, b text);                  -- high: 2,000 rows, no usable key
INSERT INTO nopk_big SELECT g, 'x' FROM generate_series(1, 2000) g;
CREATE TABLE nopk (a int, b text);                      -- medium
INSERT INTO nopk VALUES (1, 'a');
CREATE TABLE haskey (a int NOT NULL, b text);           -- low: a unique NOT NULL index
CREATE UNIQUE INDEX haskey_a ON haskey (a);
INSERT INTO haskey SELECT g, 'x' FROM generate_series(1, 2000) g;
CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);   -- medium, not its partitions
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- near misses
CREATE TABLE haspk (id int PRIMARY KEY);
CREATE TABLE nullkey (a int, b text);                   -- unique but nullable: still medium
CREATE UNIQUE INDEX nullkey_a ON nullkey (a);
CREATE VIEW v AS SELECT * FROM nopk;                    -- views have no keys
CREATE TABLE hidden (a int);                            -- not granted: the reader cannot see it
GRANT SELECT ON nopk_big, nopk, haskey, events, haspk, nullkey, v TO fx_npk_reader;
