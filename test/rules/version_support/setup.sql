-- version_support: PostgreSQL 15 reaches its end of life on 2027-11-11; the fixture widens the
-- warning window to 120 months so the installed 15.x is reported (low). After that date the
-- finding becomes high and this expected file must change with the installed major version.
SELECT 1;
