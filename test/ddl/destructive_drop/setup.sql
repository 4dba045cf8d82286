CREATE TABLE old_events (id bigint PRIMARY KEY);
CREATE TABLE audit (id bigint PRIMARY KEY);
