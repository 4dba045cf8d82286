CREATE TABLE bookings (id bigint PRIMARY KEY, during tsrange);
