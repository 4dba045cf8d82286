-- xid_wraparound: 1,000 transactions commit after fx_old is created and before fx_young is;
-- the threshold is lowered to 0.00004 % of 2^31 (859 transactions), so fx_old and the database
-- (whose frozen XID dates from its creation) are reported, fx_young is not.
CREATE TABLE fx_old (id int);
DO $$
BEGIN
    FOR i IN 1..1000 LOOP
        PERFORM txid_current();
        COMMIT;
    END LOOP;
END
$$;
CREATE TABLE fx_young (id int);
