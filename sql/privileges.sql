-- Privileges follow pg_stat_statements: everyone sees counters; query text, query id and tags
-- of other users only for superusers and pg_read_all_stats; reset only when granted.
CREATE EXTENSION IF NOT EXISTS pg_advisor;
SET pg_advisor.sample_rate = 0;
CREATE ROLE regress_adv_alice;
CREATE ROLE regress_adv_bob;
CREATE TABLE priv_t (id int, secret text);
GRANT SELECT ON priv_t TO regress_adv_alice, regress_adv_bob;
SELECT advisor.reset();

SET ROLE regress_adv_alice;
SELECT secret FROM priv_t WHERE id = 1 /*controller='alice_ctrl'*/;
RESET ROLE;
SET ROLE regress_adv_bob;
SELECT id FROM priv_t WHERE secret = 'bob' /*controller='bob_ctrl'*/;
-- Bob sees his own statement and only the counters of Alice's.
SELECT userid::regrole AS user, queryid IS NOT NULL AS has_queryid, query, calls, tags
  FROM advisor.query_patterns WHERE userid IN ('regress_adv_alice'::regrole, 'regress_adv_bob'::regrole)
 ORDER BY 1::text COLLATE "C";
-- Bob may not reset.
SELECT advisor.reset();
RESET ROLE;

-- With pg_read_all_stats Bob sees everything.
GRANT pg_read_all_stats TO regress_adv_bob;
SET ROLE regress_adv_bob;
SELECT userid::regrole AS user, queryid IS NOT NULL AS has_queryid, query, tags
  FROM advisor.query_patterns WHERE userid IN ('regress_adv_alice'::regrole, 'regress_adv_bob'::regrole)
 ORDER BY 1::text COLLATE "C";
RESET ROLE;

-- A superuser can delegate reset.
GRANT EXECUTE ON FUNCTION advisor.reset() TO regress_adv_alice;
SET ROLE regress_adv_alice;
SELECT advisor.reset();
SELECT count(*) AS alice_bob_patterns FROM advisor.query_patterns
 WHERE userid IN ('regress_adv_alice'::regrole, 'regress_adv_bob'::regrole);
RESET ROLE;

REVOKE EXECUTE ON FUNCTION advisor.reset() FROM regress_adv_alice;
REVOKE pg_read_all_stats FROM regress_adv_bob;

-- Scan shapes are shared by query id: Bob sees the shape of a statement he ran too, but not the
-- constant that Alice's planning recorded in it; a superuser does.
SELECT advisor.reset();
SET ROLE regress_adv_alice;
SELECT id FROM priv_t WHERE secret = 'alice-only';
RESET ROLE;
SET ROLE regress_adv_bob;
SELECT id FROM priv_t WHERE secret = 'bob-value';
SELECT relation, quals FROM advisor.scan_shapes WHERE relation = 'priv_t'::regclass;
RESET ROLE;
SELECT relation, quals FROM advisor.scan_shapes WHERE relation = 'priv_t'::regclass;
DROP TABLE priv_t;
DROP ROLE regress_adv_alice;
DROP ROLE regress_adv_bob;
