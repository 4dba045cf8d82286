-- fk_missing_index: severity from the child's size and the parent's UPDATE/DELETE traffic
-- (settings: "large" = 4,000 rows, "busy" = 100 parent writes, quiet window 0 days).
CREATE TABLE customers (id bigint PRIMARY KEY, name text);
INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 2000) g;
CREATE TABLE products (id bigint PRIMARY KEY);
INSERT INTO products SELECT generate_series(1, 100);

-- high: large child, busy parent (150 updates below)
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, note text);
INSERT INTO orders SELECT g, 1 + g % 2000, 'x' FROM generate_series(1, 5000) g;
-- medium: above min_rows, not large; a partial index does not cover the key
CREATE TABLE payments (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);
INSERT INTO payments SELECT g, 1 + g % 2000 FROM generate_series(1, 3000) g;
CREATE INDEX payments_big_customers ON payments (customer_id) WHERE customer_id > 100;
-- low: the parent is never updated nor deleted from
CREATE TABLE reviews (id bigint PRIMARY KEY, product_id bigint REFERENCES products);
INSERT INTO reviews SELECT g, 1 + g % 100 FROM generate_series(1, 1500) g;
-- info: tiny child
CREATE TABLE notes (id int PRIMARY KEY, customer_id bigint REFERENCES customers);
INSERT INTO notes VALUES (1, 1), (2, 2);
-- info: the key is the second column of the only index
CREATE TABLE visits (id bigint PRIMARY KEY, day date, customer_id bigint REFERENCES customers);
CREATE INDEX visits_day_customer ON visits (day, customer_id);
INSERT INTO visits SELECT g, current_date, g FROM generate_series(1, 10) g;
-- info: partitioned child, reported once on the partitioned table (not per partition)
CREATE TABLE events (id bigint, customer_id bigint REFERENCES customers, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO events SELECT g, g, '2024-06-01' FROM generate_series(1, 10) g;
-- high: a partitioned child judged on its partitions' rows (5,000), busy parent
CREATE TABLE pbig (id bigint, customer_id bigint REFERENCES customers, at date) PARTITION BY RANGE (at);
CREATE TABLE pbig_2024 PARTITION OF pbig FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE pbig_2025 PARTITION OF pbig FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO pbig SELECT g, 1 + g % 2000, '2024-06-01'::date + g % 300 FROM generate_series(1, 5000) g;
-- high: a partitioned parent whose partitions are updated (150 below)
CREATE TABLE accounts (id bigint PRIMARY KEY, name text) PARTITION BY RANGE (id);
CREATE TABLE accounts_1 PARTITION OF accounts FOR VALUES FROM (0) TO (1000);
CREATE TABLE accounts_2 PARTITION OF accounts FOR VALUES FROM (1000) TO (3000);
INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 2000) g;
CREATE TABLE ledger (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts);
INSERT INTO ledger SELECT g, 1 + g % 2000 FROM generate_series(1, 5000) g;

-- near misses: covered
CREATE TABLE invoices (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);
CREATE INDEX ON invoices (customer_id);
INSERT INTO invoices SELECT g, 1 + g % 2000 FROM generate_series(1, 3000) g;
CREATE TABLE regions (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE shops (id int PRIMARY KEY, ra int, rb int, FOREIGN KEY (ra, rb) REFERENCES regions);
CREATE INDEX shops_rb_ra ON shops (rb, ra, id);  -- key columns in another order, then more
CREATE TABLE order_lines (order_id bigint REFERENCES orders, line int, PRIMARY KEY (order_id, line));
CREATE TABLE tags (id int PRIMARY KEY, customer_id bigint REFERENCES customers);
CREATE INDEX tags_customer_hash ON tags USING hash (customer_id);
CREATE TABLE pevents (id bigint, customer_id bigint REFERENCES customers, at date) PARTITION BY RANGE (at);
CREATE TABLE pevents_2024 PARTITION OF pevents FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX ON pevents (customer_id);

UPDATE customers SET name = name || '!' WHERE id <= 150;
UPDATE accounts SET name = name || '!' WHERE id <= 150;
SELECT pg_stat_force_next_flush();
