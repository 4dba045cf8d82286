-- autovacuum_untuned: the server runs autovacuum with its default scale factor and cost limit
-- (medium) while fx_big has at least the threshold rows (lowered to 1,000) and no settings of
-- its own. Near misses: fx_tuned has its own scale factor, fx_small is below the threshold.
CREATE TABLE fx_big (id int);
INSERT INTO fx_big SELECT generate_series(1, 5000);
CREATE TABLE fx_tuned (id int) WITH (autovacuum_vacuum_scale_factor = 0.01);
INSERT INTO fx_tuned SELECT generate_series(1, 5000);
CREATE TABLE fx_small (id int);
INSERT INTO fx_small SELECT generate_series(1, 500);
