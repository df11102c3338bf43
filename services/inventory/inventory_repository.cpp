#include "inventory/inventory_repository.hpp"

#include <algorithm>

namespace cloudretail::inventory {

namespace {

StockLevel to_level(const db::Row& row) {
  return StockLevel{row.text(0), row.int64(1), row.int64(2), row.opt_int64(3)};
}

StockLevel current(db::Connection& conn, const std::string& product_id) {
  auto rows = conn.query(
      "SELECT product_id, available_qty, reserved_qty, updated_at FROM inventory WHERE product_id = ?", product_id);
  if (rows.empty()) return StockLevel{product_id, 0, 0, std::nullopt};
  return to_level(rows.first());
}

// The two conditional moves. Each is one statement: the WHERE clause is the
// stock check, so two concurrent calls can never both pass it on the same units.
db::QueryResult take_available(db::Connection& conn, const std::string& product_id, int64_t qty, int64_t now_ms) {
  return conn.query(
      "UPDATE inventory SET available_qty = available_qty - ?, reserved_qty = reserved_qty + ?, updated_at = ?"
      " WHERE product_id = ? AND available_qty >= ?"
      " RETURNING product_id, available_qty, reserved_qty, updated_at",
      qty, qty, now_ms, product_id, qty);
}

db::QueryResult give_back(db::Connection& conn, const std::string& product_id, int64_t qty, int64_t now_ms) {
  return conn.query(
      "UPDATE inventory SET available_qty = available_qty + ?, reserved_qty = reserved_qty - ?, updated_at = ?"
      " WHERE product_id = ? AND reserved_qty >= ?"
      " RETURNING product_id, available_qty, reserved_qty, updated_at",
      qty, qty, now_ms, product_id, qty);
}

}  // namespace

std::vector<db::Migration> InventoryRepository::migrations(db::Dialect dialect) {
  return db::migrations_for("inventory", migration_files(), dialect);
}

std::optional<StockLevel> InventoryRepository::find(const std::string& product_id) {
  auto conn = db_.acquire();
  auto rows = conn->query(
      "SELECT product_id, available_qty, reserved_qty, updated_at FROM inventory WHERE product_id = ?", product_id);
  if (rows.empty()) return std::nullopt;
  return to_level(rows.first());
}

StockLevel InventoryRepository::upsert(const std::string& product_id, std::optional<int64_t> available,
                                       std::optional<int64_t> reserved, int64_t now_ms) {
  auto conn = db_.acquire();
  auto rows = conn->query(
      "INSERT INTO inventory (product_id, available_qty, reserved_qty, updated_at) VALUES (?, ?, ?, ?)"
      " ON CONFLICT (product_id) DO UPDATE SET"
      " available_qty = CASE WHEN ? = 1 THEN excluded.available_qty ELSE inventory.available_qty END,"
      " reserved_qty = CASE WHEN ? = 1 THEN excluded.reserved_qty ELSE inventory.reserved_qty END,"
      " updated_at = excluded.updated_at"
      " RETURNING product_id, available_qty, reserved_qty, updated_at",
      product_id, available.value_or(0), reserved.value_or(0), now_ms, int64_t{available ? 1 : 0},
      int64_t{reserved ? 1 : 0});
  return to_level(rows.first());
}

InventoryRepository::MoveOutcome InventoryRepository::reserve(const std::string& product_id, int64_t qty,
                                                              const std::string& reservation_id, int64_t now_ms) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  if (!reservation_id.empty()) {
    // Claim the reservation id first: a concurrent duplicate waits on this row
    // (PostgreSQL) or the write lock (SQLite) and then finds it taken.
    auto claimed = conn->execute(
        "INSERT INTO inventory_reservations (reservation_id, product_id, qty, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (reservation_id, product_id) DO NOTHING",
        reservation_id, product_id, qty, now_ms);
    if (claimed == 0) {
      MoveOutcome out{Move::kNoop, current(*conn, product_id)};
      tx.commit();
      return out;
    }
  }
  auto rows = take_available(*conn, product_id, qty, now_ms);
  if (rows.empty()) return {Move::kRefused, current(*conn, product_id)};  // rolls back the claim
  MoveOutcome out{Move::kDone, to_level(rows.first())};
  tx.commit();
  return out;
}

InventoryRepository::MoveOutcome InventoryRepository::release(const std::string& product_id, int64_t qty,
                                                              const std::string& reservation_id, int64_t now_ms) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  int64_t amount = qty;
  if (!reservation_id.empty()) {
    // A no-op UPDATE locks the reservation row on PostgreSQL while reading it.
    auto held = conn->query(
        "UPDATE inventory_reservations SET qty = qty WHERE reservation_id = ? AND product_id = ? RETURNING qty",
        reservation_id, product_id);
    if (held.empty()) {
      MoveOutcome out{Move::kNoop, current(*conn, product_id)};
      tx.commit();
      return out;
    }
    int64_t holds = held.first().int64(0);
    amount = std::min(qty, holds);
    if (amount == holds)
      conn->execute("DELETE FROM inventory_reservations WHERE reservation_id = ? AND product_id = ?", reservation_id,
                    product_id);
    else
      conn->execute("UPDATE inventory_reservations SET qty = qty - ? WHERE reservation_id = ? AND product_id = ?",
                    amount, reservation_id, product_id);
  }
  auto rows = give_back(*conn, product_id, amount, now_ms);
  if (rows.empty()) return {Move::kRefused, current(*conn, product_id)};
  MoveOutcome out{Move::kDone, to_level(rows.first())};
  tx.commit();
  return out;
}

InventoryRepository::MoveOutcome InventoryRepository::ship(const std::string& product_id, int64_t qty,
                                                           const std::string& reservation_id, int64_t now_ms) {
  auto conn = db_.acquire();
  db::Transaction tx(*conn, db::Transaction::kWrite);
  // Locks the reservation row (PostgreSQL) while reading what it holds.
  auto held = conn->query(
      "UPDATE inventory_reservations SET qty = qty WHERE reservation_id = ? AND product_id = ? RETURNING qty",
      reservation_id, product_id);
  if (held.empty()) {
    MoveOutcome out{Move::kNoop, current(*conn, product_id)};
    tx.commit();
    return out;
  }
  const int64_t holds = held.first().int64(0);
  const int64_t amount = std::min(qty, holds);
  if (amount == holds)
    conn->execute("DELETE FROM inventory_reservations WHERE reservation_id = ? AND product_id = ?", reservation_id,
                  product_id);
  else
    conn->execute("UPDATE inventory_reservations SET qty = qty - ? WHERE reservation_id = ? AND product_id = ?", amount,
                  reservation_id, product_id);
  // The units leave the shop: reservedQty drops, availableQty stays.
  auto rows = conn->query(
      "UPDATE inventory SET reserved_qty = reserved_qty - ?, updated_at = ? WHERE product_id = ? AND reserved_qty >= ?"
      " RETURNING product_id, available_qty, reserved_qty, updated_at",
      amount, now_ms, product_id, amount);
  if (rows.empty()) return {Move::kRefused, current(*conn, product_id)};
  MoveOutcome out{Move::kDone, to_level(rows.first())};
  tx.commit();
  return out;
}

std::vector<StockLevel> InventoryRepository::list(const std::string& after, int limit) {
  auto conn = db_.acquire();
  auto rows = conn->query(
      "SELECT product_id, available_qty, reserved_qty, updated_at FROM inventory WHERE product_id > ?"
      " ORDER BY product_id LIMIT ?",
      after, int64_t{limit});
  std::vector<StockLevel> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) out.push_back(to_level(row));
  return out;
}

}  // namespace cloudretail::inventory
