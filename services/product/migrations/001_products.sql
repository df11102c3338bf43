CREATE TABLE products (
  product_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  price_minor BIGINT NOT NULL CHECK (price_minor > 0),
  currency TEXT NOT NULL,
  image_key TEXT,
  created_at BIGINT NOT NULL);
CREATE INDEX products_category_idx ON products (category, product_id);
