-- money_as_money_or_float: money (low) and floating point amounts named like money (medium).
CREATE TABLE t (id int, fee money, price double precision, "unitPrice" real, total_amount float8,
                temperature double precision, amount numeric(12, 2), price_count int);
