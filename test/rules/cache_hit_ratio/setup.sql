-- cache_hit_ratio: a sequential scan of a table larger than a quarter of shared_buffers reads
-- through a small ring of buffers, so most of its blocks come from outside shared buffers.
-- The minimum of block accesses is lowered to what this fixture does (near miss by default:
-- a fresh database has too few accesses to judge).
CREATE TABLE fx_big AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 180000) g;
SELECT count(*) FROM fx_big;
SELECT pg_stat_force_next_flush();
