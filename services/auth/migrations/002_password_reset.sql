-- Password reset codes beside the verification code; pending sign-ups found by age.
ALTER TABLE auth_users ADD COLUMN reset_code_hash TEXT;
ALTER TABLE auth_users ADD COLUMN reset_expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE auth_users ADD COLUMN reset_attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX auth_users_pending ON auth_users (confirmed, updated_at);
CREATE INDEX auth_refresh_tokens_user ON auth_refresh_tokens (user_id);
