#pragma once
/// The only code that runs SQL for inventory. Tables: inventory (one row per
/// product) and inventory_reservations (what each reservation id still holds).
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "inventory/inventory_client.hpp"

namespace cloudretail::inventory {

/// services/inventory/migrations/*.sql, compiled in by cloudretail_service_migrations
/// (libs/db/migrations.cmake).
std::span<const db::MigrationFile> migration_files();

class InventoryRepository {
 public:
  explicit InventoryRepository(db::Database& db) : db_(db) {}

  /// The inventory tables for `dialect`: migrations/*.sql.
  static std::vector<db::Migration> migrations(db::Dialect dialect);

  std::optional<StockLevel> find(const std::string& product_id);
  StockLevel upsert(const std::string& product_id, std::optional<int64_t> available, std::optional<int64_t> reserved,
                    int64_t now_ms);

  enum class Move { kDone, kRefused, kNoop };
  struct MoveOutcome {
    Move result = Move::kRefused;
    StockLevel level;  // after the move; the current level when refused or a no-op
  };
  /// available -> reserved when available >= qty. With a reservation id, a
  /// repeat while that reservation holds stock is a no-op.
  MoveOutcome reserve(const std::string& product_id, int64_t qty, const std::string& reservation_id, int64_t now_ms);
  /// reserved -> available when reserved >= qty. With a reservation id, releases
  /// at most what the reservation still holds (nothing held: a no-op).
  MoveOutcome release(const std::string& product_id, int64_t qty, const std::string& reservation_id, int64_t now_ms);

  /// reserved -> gone (shipped) for what the reservation still holds, at most qty;
  /// the reservation's row goes with it, so a repeat is a no-op.
  MoveOutcome ship(const std::string& product_id, int64_t qty, const std::string& reservation_id, int64_t now_ms);

  /// Up to `limit` rows with product_id > after, ordered by product_id.
  std::vector<StockLevel> list(const std::string& after, int limit);

 private:
  db::Database& db_;
};

}  // namespace cloudretail::inventory
