-- stats_window_too_short: the database's statistics were just reset. (The command line has no
-- captured workload, so only the cumulative-statistics window is checked here.)
SELECT pg_stat_reset();
