CREATE TABLE inventory (
  product_id TEXT PRIMARY KEY,
  available_qty BIGINT NOT NULL CHECK (available_qty >= 0),
  reserved_qty BIGINT NOT NULL CHECK (reserved_qty >= 0),
  updated_at BIGINT NOT NULL);
CREATE TABLE inventory_reservations (
  reservation_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  qty BIGINT NOT NULL CHECK (qty > 0),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (reservation_id, product_id));
