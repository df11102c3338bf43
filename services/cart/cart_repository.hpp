#pragma once
/// The only SQL of the cart service: tables carts (one row per user, with a
/// version) and cart_items.
#include <string>
#include <vector>

#include "cart/cart_client.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"

namespace cloudretail::cart {

/// services/cart/migrations/*.sql, compiled in by cloudretail_service_migrations
/// (libs/db/migrations.cmake).
std::span<const db::MigrationFile> migration_files();

class CartRepository {
 public:
  explicit CartRepository(db::Database& db) : db_(db) {}

  CartSnapshot load(const std::string& user_id);
  /// Replaces the cart's lines if it is still at `expected_version` (0 = no cart
  /// row yet). Returns false when another writer moved it first.
  bool save_if_version(const std::string& user_id, int64_t expected_version, const std::vector<CartLine>& items,
                       int64_t now_ms);
  /// Empties the cart if still at `version` (any version when nullopt); false when it moved.
  /// `taken_by` is remembered until the next write (see restore).
  bool clear(const std::string& user_id, std::optional<int64_t> version, int64_t now_ms,
             const std::string& taken_by = {});
  /// Refills a cart still empty since `taken_by` took it; false otherwise.
  bool restore(const std::string& user_id, const std::string& taken_by, const std::vector<CartLine>& items,
               int64_t now_ms);

  /// The cart tables for `dialect`: migrations/*.sql.
  static std::vector<db::Migration> migrations(db::Dialect dialect);

 private:
  db::Database& db_;
};

}  // namespace cloudretail::cart
