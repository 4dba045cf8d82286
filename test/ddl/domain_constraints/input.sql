SET lock_timeout = '5s';
SET statement_timeout = '1min';
CREATE DOMAIN us_postal_code AS text CHECK (VALUE ~ '^[0-9]{5}$');
ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0);
ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_small CHECK (VALUE < 1000000) NOT VALID;
CREATE DOMAIN code AS text;
