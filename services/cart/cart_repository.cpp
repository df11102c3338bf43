#include "cart/cart_repository.hpp"

namespace cloudretail::cart {

std::vector<db::Migration> CartRepository::migrations(db::Dialect dialect) {
  return db::migrations_for("cart", migration_files(), dialect);
}

CartSnapshot CartRepository::load(const std::string& user_id) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kRead);
  CartSnapshot cart;
  cart.user_id = user_id;
  auto head = conn->query("SELECT version, updated_at FROM carts WHERE user_id = ?", user_id);
  if (!head.empty()) {
    cart.version = head.first().int64(0);
    cart.updated_at_ms = head.first().opt_int64(1);
  }
  auto rows = conn->query(
      "SELECT product_id, qty, price_minor, currency FROM cart_items WHERE user_id = ? ORDER BY position, product_id",
      user_id);
  for (const auto& r : rows.rows) cart.items.push_back({r.text(0), r.int64(1), r.int64(2), r.text(3)});
  tx.commit();
  return cart;
}

bool CartRepository::save_if_version(const std::string& user_id, int64_t expected_version,
                                     const std::vector<CartLine>& items, int64_t now_ms) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  int64_t moved = 0;
  if (expected_version == 0) {
    moved = conn->execute(
        "INSERT INTO carts (user_id, version, updated_at) VALUES (?, 1, ?) ON CONFLICT (user_id) DO NOTHING", user_id,
        now_ms);
  } else {
    moved = conn->execute(
        "UPDATE carts SET version = version + 1, updated_at = ?, taken_by = NULL WHERE user_id = ? AND version = ?",
        now_ms, user_id, expected_version);
  }
  if (moved != 1) return false;  // rolled back by tx
  conn->execute("DELETE FROM cart_items WHERE user_id = ?", user_id);
  int64_t position = 0;
  for (const auto& line : items)
    conn->execute(
        "INSERT INTO cart_items (user_id, product_id, position, qty, price_minor, currency) VALUES (?, ?, ?, ?, ?, ?)",
        user_id, line.product_id, position++, line.qty, line.price_minor, line.currency);
  tx.commit();
  return true;
}

bool CartRepository::clear(const std::string& user_id, std::optional<int64_t> version, int64_t now_ms,
                           const std::string& taken_by) {
  std::optional<std::string> taker;
  if (!taken_by.empty()) taker = taken_by;
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  int64_t moved =
      version ? conn->execute(
                    "UPDATE carts SET version = version + 1, updated_at = ?, taken_by = ? WHERE user_id = ? AND "
                    "version = ?",
                    now_ms, taker, user_id, *version)
              : conn->execute("UPDATE carts SET version = version + 1, updated_at = ?, taken_by = ? WHERE user_id = ?",
                              now_ms, taker, user_id);
  if (moved != 1) return false;
  conn->execute("DELETE FROM cart_items WHERE user_id = ?", user_id);
  tx.commit();
  return true;
}

bool CartRepository::restore(const std::string& user_id, const std::string& taken_by,
                             const std::vector<CartLine>& items, int64_t now_ms) {
  if (taken_by.empty()) return false;
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  // Any write since the take cleared taken_by: then the user has moved on.
  if (conn->execute("UPDATE carts SET version = version + 1, updated_at = ?, taken_by = NULL"
                    " WHERE user_id = ? AND taken_by = ?",
                    now_ms, user_id, taken_by) != 1)
    return false;
  int64_t position = 0;
  for (const auto& line : items)
    conn->execute(
        "INSERT INTO cart_items (user_id, product_id, position, qty, price_minor, currency) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (user_id, product_id) DO NOTHING",
        user_id, line.product_id, position++, line.qty, line.price_minor, line.currency);
  tx.commit();
  return true;
}

}  // namespace cloudretail::cart
