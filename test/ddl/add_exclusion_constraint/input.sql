SET lock_timeout = '5s';
SET statement_timeout = '1min';
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&);
CREATE TABLE rooms (id bigint PRIMARY KEY, during tsrange);
ALTER TABLE rooms ADD CONSTRAINT rooms_no_overlap EXCLUDE USING gist (during WITH &&);
