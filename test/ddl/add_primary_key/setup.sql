CREATE TABLE legacy (id bigint NOT NULL, body text);
CREATE TABLE legacy2 (id bigint NOT NULL);
CREATE UNIQUE INDEX legacy2_id_idx ON legacy2 (id);
