#include "product/product_repository.hpp"

namespace cloudretail::product {

namespace {

Product to_product(const db::Row& row) {
  return Product{row.text(0), row.text(1), row.text(2), row.int64(3), row.text(4), row.opt_text(5), row.int64(6)};
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
           ""}};
}

bool ProductRepository::insert(const Product& p) {
  auto conn = db_.acquire();
  return conn->execute(
             "INSERT INTO products (product_id, name, category, price_minor, currency, image_key, created_at)"
             " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (product_id) DO NOTHING",
             p.product_id, p.name, p.category, p.price_minor, p.currency, p.image_key, p.created_at_ms) == 1;
}

std::optional<Product> ProductRepository::find(const std::string& product_id) {
  auto conn = db_.acquire();
  auto rows = conn->query(
      "SELECT product_id, name, category, price_minor, currency, image_key, created_at FROM products"
      " WHERE product_id = ?",
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
                        "SELECT product_id, name, category, price_minor, currency, image_key, created_at FROM products"
                        " WHERE category = ? AND product_id > ? ORDER BY product_id LIMIT ?",
                        *category, after, int64_t{limit})
                  : conn->query(
                        "SELECT product_id, name, category, price_minor, currency, image_key, created_at FROM products"
                        " WHERE product_id > ? ORDER BY product_id LIMIT ?",
                        after, int64_t{limit});
  std::vector<Product> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) out.push_back(to_product(row));
  return out;
}

std::optional<Product> ProductRepository::set_image_key(const std::string& product_id, const std::string& image_key) {
  auto conn = db_.acquire();
  auto rows = conn->query(
      "UPDATE products SET image_key = ? WHERE product_id = ?"
      " RETURNING product_id, name, category, price_minor, currency, image_key, created_at",
      image_key, product_id);
  if (rows.empty()) return std::nullopt;
  return to_product(rows.first());
}

}  // namespace cloudretail::product
