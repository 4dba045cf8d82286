-- connection_churn_without_pooler: the thresholds are lowered so that the sessions of this
-- fixture's database count as churn; the point is that the session counters are read.
-- Near misses are in the unit tests (long sessions, too few sessions).
SELECT pg_stat_force_next_flush();
