-- unlogged_table: medium from 1,000 rows, low below.
CREATE UNLOGGED TABLE cache (k int, v text);                    -- low
CREATE UNLOGGED TABLE staging (k int, v text);                  -- medium
INSERT INTO staging SELECT g, 'x' FROM generate_series(1, 2000) g;
CREATE TABLE logged (k int);                                    -- near miss
