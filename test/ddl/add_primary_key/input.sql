SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE legacy ADD PRIMARY KEY (id);
ALTER TABLE legacy2 ADD CONSTRAINT legacy2_pkey PRIMARY KEY USING INDEX legacy2_id_idx;
