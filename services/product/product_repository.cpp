#include "product/product_repository.hpp"

namespace cloudretail::product {

namespace {

// Every read names these columns in this order (to_product reads them by position).
#define PRODUCT_COLUMNS \
  "product_id, name, category, price_minor, currency, image_key, created_at, description, updated_at"

Product to_product(const db::Row& row) {
  return Product{row.text(0), row.text(1),        row.text(2), row.int64(3),    row.text(4),
                 row.opt_text(5), row.int64(6), row.text(7), row.opt_int64(8)};
}

}  // namespace

std::vector<db::Migration> ProductRepository::migrations() {
  return {{"product", 1,
           "CREATE TABLE products ("
           " product_id TEXT PRIMARY KEY,"
           " name TEXT NOT NULL,"
           " category TEXT NOT NULL,"
           " price_minor BIGINT NOT NULL CHECK (price_minor > 0),"
           " currency TEXT NOT NULL,"
           " image_key TEXT,"
           " created_at BIGINT NOT NULL);"
           "CREATE INDEX products_category_idx ON products (category, product_id);",
           ""},
          // Update and archive: an archived product keeps its row (orders and carts
          // name it) but leaves every read; created again under its id is a 409.
          {"product", 2,
           "ALTER TABLE products ADD COLUMN description TEXT NOT NULL DEFAULT '';"
           "ALTER TABLE products ADD COLUMN updated_at BIGINT;"
           "ALTER TABLE products ADD COLUMN archived_at BIGINT;",
           ""}};
}

bool ProductRepository::insert(const Product& p) {
  auto conn = db_.acquire();
  return conn->execute(
             "INSERT INTO products (product_id, name, category, price_minor, currency, image_key, created_at, description)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (product_id) DO NOTHING",
             p.product_id, p.name, p.category, p.price_minor, p.currency, p.image_key, p.created_at_ms,
             p.description) == 1;
}

std::optional<Product> ProductRepository::find(const std::string& product_id) {
  auto conn = db_.acquire();
  auto rows = conn->query(
      "SELECT " PRODUCT_COLUMNS " FROM products WHERE product_id = ? AND archived_at IS NULL",
      product_id);
  if (rows.empty()) return std::nullopt;
  return to_product(rows.first());
}

std::vector<Product> ProductRepository::list(const std::string& after, const std::optional<std::string>& category,
                                             int limit) {
  auto conn = db_.acquire();
  // Keyset pagination: a range scan on the primary key (or the category index)
  // that starts after the cursor, so page N costs what page 1 costs.
  auto rows = category
                  ? conn->query(
                        "SELECT " PRODUCT_COLUMNS " FROM products"
                        " WHERE category = ? AND product_id > ? AND archived_at IS NULL ORDER BY product_id LIMIT ?",
                        *category, after, int64_t{limit})
                  : conn->query(
                        "SELECT " PRODUCT_COLUMNS " FROM products"
                        " WHERE product_id > ? AND archived_at IS NULL ORDER BY product_id LIMIT ?",
                        after, int64_t{limit});
  std::vector<Product> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) out.push_back(to_product(row));
  return out;
}

std::optional<Product> ProductRepository::set_image_key(const std::string& product_id, const std::string& image_key) {
  auto conn = db_.acquire();
  auto rows = conn->query(
      "UPDATE products SET image_key = ? WHERE product_id = ? AND archived_at IS NULL RETURNING " PRODUCT_COLUMNS,
      image_key, product_id);
  if (rows.empty()) return std::nullopt;
  return to_product(rows.first());
}

std::optional<Product> ProductRepository::update(const std::string& product_id, const ProductPatch& patch,
                                                int64_t now_ms) {
  auto conn = db_.acquire();
  // One conditional statement: an absent field keeps its value (COALESCE), and
  // only an active product changes.
  auto rows = conn->query(
      "UPDATE products SET name = COALESCE(?, name), description = COALESCE(?, description),"
      " category = COALESCE(?, category), price_minor = COALESCE(?, price_minor),"
      " image_key = CASE WHEN ? = 1 THEN ? ELSE image_key END, updated_at = ?"
      " WHERE product_id = ? AND archived_at IS NULL RETURNING " PRODUCT_COLUMNS,
      patch.name, patch.description, patch.category, patch.price_minor, int64_t{patch.image_key ? 1 : 0},
      patch.image_key ? *patch.image_key : std::nullopt, now_ms, product_id);
  if (rows.empty()) return std::nullopt;
  return to_product(rows.first());
}

bool ProductRepository::archive(const std::string& product_id, int64_t now_ms) {
  auto conn = db_.acquire();
  return conn->execute("UPDATE products SET archived_at = ?, updated_at = ? WHERE product_id = ? AND archived_at IS NULL",
                       now_ms, now_ms, product_id) == 1;
}

std::vector<CategoryCount> ProductRepository::categories() {
  auto conn = db_.acquire();
  auto rows = conn->query(
      "SELECT category, CAST(COUNT(*) AS BIGINT) FROM products WHERE archived_at IS NULL"
      " GROUP BY category ORDER BY category");
  std::vector<CategoryCount> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back({r.text(0), r.int64(1)});
  return out;
}

}  // namespace cloudretail::product
