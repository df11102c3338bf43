-- Timestamps are epoch milliseconds; claimed_until NULL = nobody holds the row.
CREATE TABLE email_queue (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  to_email TEXT NOT NULL,
  from_email TEXT NOT NULL,
  mime TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  claimed_until BIGINT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  sent_at BIGINT);
CREATE INDEX email_queue_due ON email_queue (status, next_attempt_at);
