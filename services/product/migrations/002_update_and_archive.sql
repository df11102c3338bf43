-- Update and archive: an archived product keeps its row (orders and carts
-- name it) but leaves every read; created again under its id is a 409.
ALTER TABLE products ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN updated_at BIGINT;
ALTER TABLE products ADD COLUMN archived_at BIGINT;
