-- nullable_fk: multi-column MATCH SIMPLE keys with nullable columns (medium); single nullable
-- columns (info: an optional relation).
CREATE TABLE p (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE p1 (id int PRIMARY KEY);
CREATE TABLE c_simple (a int, b int, FOREIGN KEY (a, b) REFERENCES p);                  -- medium
CREATE TABLE c_optional (p1_id int REFERENCES p1);                                     -- info
-- near misses
CREATE TABLE c_full (a int, b int, FOREIGN KEY (a, b) REFERENCES p MATCH FULL);
CREATE TABLE c_notnull (a int NOT NULL, b int NOT NULL, FOREIGN KEY (a, b) REFERENCES p);
CREATE TABLE c_required (p1_id int NOT NULL REFERENCES p1);
