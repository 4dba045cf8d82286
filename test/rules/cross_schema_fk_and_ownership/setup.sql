-- cross_schema_fk_and_ownership: foreign keys into another schema (info), schemas whose
-- relations have several owners (low). Schemas belong to a non-superuser role.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fx_xs_owner') THEN
    CREATE ROLE fx_xs_owner;
  END IF;
END $$;
CREATE SCHEMA sales AUTHORIZATION fx_xs_owner;
CREATE SCHEMA core AUTHORIZATION fx_xs_owner;
CREATE SCHEMA mixed AUTHORIZATION fx_xs_owner;
CREATE TABLE core.customers (id int PRIMARY KEY);
CREATE TABLE sales.orders (id int PRIMARY KEY, customer_id int REFERENCES core.customers);   -- info
CREATE TABLE sales.lines (order_id int REFERENCES sales.orders);                            -- near miss
CREATE TABLE mixed.a (id int);
CREATE TABLE mixed.b (id int);
CREATE TABLE mixed.c (id int);
ALTER TABLE mixed.c OWNER TO fx_xs_owner;                                                    -- low
