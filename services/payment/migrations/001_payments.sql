CREATE TABLE payments (
  payment_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, user_id TEXT NOT NULL,
  amount_minor BIGINT NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL, provider TEXT NOT NULL,
  created_at BIGINT NOT NULL, email_state TEXT NOT NULL, email_type TEXT NOT NULL,
  email_to TEXT NOT NULL, email_attempts BIGINT NOT NULL);
CREATE INDEX payments_order ON payments (order_id);
CREATE INDEX payments_email_state ON payments (email_state)
