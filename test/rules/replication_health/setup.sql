-- replication_health: an inactive physical slot that reserves WAL; near miss: a temporary slot
-- (gone with this session).
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
WHERE slot_name IN ('fx_inactive_slot');
SELECT pg_create_physical_replication_slot('fx_inactive_slot', true);
SELECT pg_create_physical_replication_slot('fx_temporary_slot', true, true);
