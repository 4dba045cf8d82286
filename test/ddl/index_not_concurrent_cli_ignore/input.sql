-- An ignore comment silences the statement after it only.
/* pg_advisor:ignore index_not_concurrent */
CREATE INDEX invoices_due ON billing.invoices (due);
CREATE INDEX invoices_customer ON billing.invoices (customer_id);
