-- not_valid_constraint_left: CHECK and FOREIGN KEY constraints added NOT VALID and never
-- validated.
CREATE TABLE p (id int PRIMARY KEY);
INSERT INTO p VALUES (1);
CREATE TABLE c (id int, p_id int, qty int);
INSERT INTO c VALUES (1, 1, 5);
ALTER TABLE c ADD CONSTRAINT c_qty_positive CHECK (qty > 0) NOT VALID;       -- low
ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY (p_id) REFERENCES p NOT VALID;   -- low
CREATE TABLE d (id int, qty int);                                          -- near miss
ALTER TABLE d ADD CONSTRAINT d_qty_positive CHECK (qty > 0) NOT VALID;
ALTER TABLE d VALIDATE CONSTRAINT d_qty_positive;
