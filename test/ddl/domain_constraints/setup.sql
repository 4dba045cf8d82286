CREATE DOMAIN positive_amount AS numeric;
