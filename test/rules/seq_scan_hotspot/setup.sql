-- seq_scan_hotspot without a captured workload: tables of at least 10,000 rows with at least
-- 100 sequential scans reading most of the table and under 95% index scans.
CREATE TABLE hot (id int PRIMARY KEY, x int);
INSERT INTO hot SELECT g, g % 100 FROM generate_series(1, 20000) g;
CREATE TABLE small (id int PRIMARY KEY, x int);           -- near miss: 5,000 rows
INSERT INTO small SELECT g, g % 100 FROM generate_series(1, 5000) g;
CREATE TABLE rare (id int PRIMARY KEY, x int);            -- near miss: 50 scans
INSERT INTO rare SELECT g, g % 100 FROM generate_series(1, 20000) g;
CREATE TABLE indexed (id int PRIMARY KEY, x int);         -- near miss: mostly index scans
INSERT INTO indexed SELECT g, g % 100 FROM generate_series(1, 20000) g;
CREATE TABLE limited (id int PRIMARY KEY, x int);         -- near miss: scans read one row
INSERT INTO limited SELECT g, g % 100 FROM generate_series(1, 20000) g;
DO $$
BEGIN
  FOR i IN 1..150 LOOP
    PERFORM count(*) FROM hot WHERE x = i;
    PERFORM count(*) FROM small WHERE x = i;
    PERFORM count(*) FROM indexed WHERE x = i;
    PERFORM * FROM limited LIMIT 1;
  END LOOP;
  FOR i IN 1..50 LOOP
    PERFORM count(*) FROM rare WHERE x = i;
  END LOOP;
  FOR i IN 1..5000 LOOP
    PERFORM x FROM indexed WHERE id = i;
  END LOOP;
END $$;
SELECT pg_stat_force_next_flush();
