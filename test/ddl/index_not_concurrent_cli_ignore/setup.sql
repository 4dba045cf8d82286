CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, customer_id bigint, due date);
INSERT INTO billing.invoices SELECT g, g % 50, DATE '2024-01-01' + g % 90 FROM generate_series(1, 500) g;
