-- serial_not_identity: serial columns (a sequence OWNED BY the column plus a nextval default).
CREATE TABLE t (id serial PRIMARY KEY, n bigserial);
-- near misses: identity; a shared sequence not owned by the column
CREATE TABLE i (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
CREATE SEQUENCE shared_seq;
CREATE TABLE s (id bigint DEFAULT nextval('shared_seq') PRIMARY KEY);
