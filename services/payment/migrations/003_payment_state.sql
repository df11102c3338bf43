-- Version 2 is the Idempotency-Key table, made by libs/idempotency (see payment_repository.cpp).
ALTER TABLE payments ADD COLUMN state TEXT NOT NULL DEFAULT 'applied';
CREATE INDEX payments_state ON payments (state, created_at)
