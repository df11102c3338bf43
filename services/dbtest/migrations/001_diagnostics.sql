CREATE TABLE diagnostics (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL,
  price_minor BIGINT NOT NULL, currency TEXT NOT NULL, created_at BIGINT NOT NULL)
