-- multixact_wraparound: 600 multixacts are created (a row locked FOR SHARE, then updated in a
-- subtransaction) after fx_old is created and before fx_young is; the threshold is lowered to
-- 0.00002 % of 2^31 (430 multixacts), so fx_old, fx_locked and the database are reported,
-- fx_young is not.
CREATE TABLE fx_old (id int);
CREATE TABLE fx_locked (id int, v int);
INSERT INTO fx_locked VALUES (1, 0);
DO $$
BEGIN
    FOR i IN 1..600 LOOP
        PERFORM 1 FROM fx_locked WHERE id = 1 FOR SHARE;
        BEGIN
            UPDATE fx_locked SET v = v + 1 WHERE id = 1;
        EXCEPTION WHEN others THEN NULL;
        END;
        COMMIT;
    END LOOP;
END
$$;
CREATE TABLE fx_young (id int);
