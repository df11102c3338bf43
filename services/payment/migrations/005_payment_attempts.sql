-- The attempt cap: one row per order, counted by a conditional upsert.
CREATE TABLE payment_attempts (order_id TEXT PRIMARY KEY, attempts INTEGER NOT NULL)
