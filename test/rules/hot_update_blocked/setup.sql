-- hot_update_blocked: at least 10,000 updates of which under 10% are HOT (PostgreSQL 15 has no
-- n_tup_newpage_upd, so one finding names both causes).
CREATE TABLE indexed (id int PRIMARY KEY, k int, v int);
INSERT INTO indexed SELECT g, g, g FROM generate_series(1, 15000) g;
CREATE INDEX indexed_k ON indexed (k);
UPDATE indexed SET k = k + 1;                               -- low: every update changes k
CREATE TABLE roomy (id int PRIMARY KEY, k int, v int) WITH (fillfactor = 50);
INSERT INTO roomy SELECT g, g, g FROM generate_series(1, 15000) g;
UPDATE roomy SET v = v + 1;                                 -- near miss: HOT, pages have room
CREATE TABLE few (id int PRIMARY KEY, k int);
INSERT INTO few SELECT g, g FROM generate_series(1, 5000) g;
CREATE INDEX few_k ON few (k);
UPDATE few SET k = k + 1;                                   -- near miss: 5,000 updates
SELECT pg_stat_force_next_flush();
