CREATE TABLE orders (
  order_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, user_email TEXT NOT NULL, status TEXT NOT NULL,
  total_minor BIGINT NOT NULL, currency TEXT NOT NULL, created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL, expires_at BIGINT, reservation_id TEXT NOT NULL,
  stock_held BIGINT NOT NULL);
CREATE INDEX orders_user_created ON orders (user_id, created_at, order_id);
CREATE INDEX orders_status ON orders (status, updated_at);
CREATE TABLE order_lines (
  order_id TEXT NOT NULL, product_id TEXT NOT NULL, position BIGINT NOT NULL,
  qty BIGINT NOT NULL, price_minor BIGINT NOT NULL, PRIMARY KEY (order_id, product_id));
CREATE INDEX order_lines_product ON order_lines (product_id)
