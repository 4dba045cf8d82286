-- duplicate_or_overlapping_fk: the same reference twice (medium); two keys to one table
-- sharing columns (low).
CREATE TABLE p (x int PRIMARY KEY, y int, UNIQUE (x, y));
CREATE TABLE dup (a int);
ALTER TABLE dup ADD CONSTRAINT dup_a_fkey FOREIGN KEY (a) REFERENCES p;
ALTER TABLE dup ADD CONSTRAINT dup_a_fkey2 FOREIGN KEY (a) REFERENCES p;       -- medium
CREATE TABLE overlap (a int, b int);
ALTER TABLE overlap ADD CONSTRAINT overlap_a_fkey FOREIGN KEY (a) REFERENCES p;
ALTER TABLE overlap ADD CONSTRAINT overlap_ab_fkey FOREIGN KEY (a, b) REFERENCES p (x, y);  -- low
-- near miss: two references to different tables from one column
CREATE TABLE q (x int PRIMARY KEY);
CREATE TABLE fine (a int REFERENCES p, b int REFERENCES q);
