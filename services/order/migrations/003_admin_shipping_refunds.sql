-- Version 2 is the Idempotency-Key table, made by libs/idempotency (see order_repository.cpp).
-- Running a shop: the admin list across users (newest first, optionally one
-- status), shipping and refunds, and their emails until handed over.
ALTER TABLE orders ADD COLUMN shipped_at BIGINT;
ALTER TABLE orders ADD COLUMN tracking_number TEXT;
ALTER TABLE orders ADD COLUMN refunded_at BIGINT;
ALTER TABLE orders ADD COLUMN refund_payment_id TEXT;
ALTER TABLE orders ADD COLUMN email_pending TEXT;
CREATE INDEX orders_created ON orders (created_at, order_id);
CREATE INDEX orders_status_created ON orders (status, created_at, order_id);
