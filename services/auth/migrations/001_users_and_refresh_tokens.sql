-- Same SQL on SQLite and PostgreSQL: TEXT, BIGINT and INTEGER flags only.
CREATE TABLE auth_users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  confirmed INTEGER NOT NULL DEFAULT 0,
  groups_csv TEXT NOT NULL DEFAULT '',
  code_hash TEXT,
  code_expires_at BIGINT NOT NULL DEFAULT 0,
  code_attempts INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE TABLE auth_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL);
CREATE INDEX auth_refresh_tokens_family ON auth_refresh_tokens (family_id);
CREATE INDEX auth_refresh_tokens_expiry ON auth_refresh_tokens (expires_at);
