-- disabled_triggers_nested_views: a disabled trigger (low) and a stack of five views, of which
-- the fourth and fifth are nested deeper than 3 (low each). Near misses: an enabled trigger, a
-- trigger enabled for replicas only, the views of depth 1 to 3.
CREATE TABLE fx_orders (id int);
CREATE FUNCTION fx_noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER fx_audit BEFORE INSERT ON fx_orders FOR EACH ROW EXECUTE FUNCTION fx_noop();
CREATE TRIGGER fx_enabled BEFORE INSERT ON fx_orders FOR EACH ROW EXECUTE FUNCTION fx_noop();
CREATE TRIGGER fx_replica BEFORE INSERT ON fx_orders FOR EACH ROW EXECUTE FUNCTION fx_noop();
ALTER TABLE fx_orders DISABLE TRIGGER fx_audit;
ALTER TABLE fx_orders ENABLE REPLICA TRIGGER fx_replica;
CREATE VIEW fx_v1 AS SELECT id FROM fx_orders;
CREATE VIEW fx_v2 AS SELECT id FROM fx_v1;
CREATE VIEW fx_v3 AS SELECT id FROM fx_v2;
CREATE VIEW fx_v4 AS SELECT id FROM fx_v3;
CREATE VIEW fx_v5 AS SELECT id FROM fx_v4;
