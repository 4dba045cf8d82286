-- naming_hygiene: names that need double quotes (upper case, symbols), keywords, 63-byte names
-- (maybe truncated), environment-named schemas. Columns: one finding per table.
CREATE TABLE "OrderItems" (id int, "createdAt" date);      -- low twice: table, columns
CREATE TABLE "order" (id int, "user" text);                -- low twice: keyword table, columns
CREATE TABLE plain (id int, name text, type text, value int);   -- near miss: unreserved words
CREATE INDEX "Idx_Upper" ON plain (id);                    -- low
-- 64 bytes: PostgreSQL truncates it to 63 (NOTICE), which the rule then reports
-- 64 bytes: PostgreSQL truncates it to 63 (with a NOTICE); the rule reports 63-byte names
CREATE TABLE a_table_name_that_is_exactly_sixty_three_bytes_long_for_the_test (id int);   -- low
CREATE SCHEMA dev_data;                                    -- low: environment name
CREATE TABLE dev_data.things (id int);
CREATE SCHEMA billing;                                     -- near miss
CREATE TABLE billing.invoices (id int);
