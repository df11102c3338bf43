CREATE TABLE carts (
  user_id TEXT PRIMARY KEY, version BIGINT NOT NULL, updated_at BIGINT);
CREATE TABLE cart_items (
  user_id TEXT NOT NULL, product_id TEXT NOT NULL, position BIGINT NOT NULL,
  qty BIGINT NOT NULL, price_minor BIGINT NOT NULL, currency TEXT NOT NULL,
  PRIMARY KEY (user_id, product_id))
