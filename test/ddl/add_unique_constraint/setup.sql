CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);
CREATE UNIQUE INDEX users_name_idx ON users (name);
