SET lock_timeout = '5s';
SET statement_timeout = '1min';
VACUUM FULL orders;
CREATE TABLE scratch (id bigint PRIMARY KEY);
CLUSTER scratch USING scratch_pkey;
