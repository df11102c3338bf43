#pragma once
/// Stock levels: available and reserved quantities per product, moved between
/// each other only by single conditional updates in the database (no read,
/// compute, write), so concurrent reservations can never oversell.
#include <cstdint>
#include <optional>
#include <string>
#include "core/ids.hpp"

#include "core/clock.hpp"
#include "core/result.hpp"
#include "inventory/inventory_client.hpp"

namespace cloudretail::inventory {

class InventoryRepository;

inline constexpr int64_t kMaxMoveQty = 1'000'000;
inline constexpr int64_t kMaxStockQty = 1'000'000'000'000;

using cloudretail::is_valid_product_id;  // libs/core/ids.hpp

class InventoryService {
 public:
  InventoryService(InventoryRepository& repo, const Clock& clock) : repo_(repo), clock_(clock) {}

  /// Zeros (and no updated_at) for a product never stocked.
  Result<StockLevel> get(const std::string& product_id);
  /// Admin: sets the levels; an absent figure keeps its current value (0 for a new row).
  Result<StockLevel> set(const std::string& product_id, std::optional<int64_t> available,
                         std::optional<int64_t> reserved);
  /// 409 "Out of stock" (field availableQty) when available < qty; nothing changes.
  Result<StockLevel> reserve(const std::string& product_id, int64_t qty, const std::string& reservation_id);
  /// 409 when reserved < qty (without a reservation id); nothing changes.
  Result<StockLevel> release(const std::string& product_id, int64_t qty, const std::string& reservation_id);
  /// 400 without a reservation id; 409 when reservedQty is short (nothing changes).
  Result<StockLevel> ship(const std::string& product_id, int64_t qty, const std::string& reservation_id);
  Result<StockPage> list(const std::string& after, int limit);

 private:
  Status check(const std::string& product_id, int64_t qty, const std::string& reservation_id) const;

  InventoryRepository& repo_;
  const Clock& clock_;
};

/// The in-process client other services use when inventory runs in this process.
class LocalInventoryClient final : public InventoryClient {
 public:
  explicit LocalInventoryClient(InventoryService& service) : service_(service) {}
  Result<StockLevel> get(const std::string& product_id) override { return service_.get(product_id); }
  Result<StockLevel> reserve(const std::string& product_id, int64_t qty,
                             const std::string& reservation_id = {}) override {
    return service_.reserve(product_id, qty, reservation_id);
  }
  Result<StockLevel> release(const std::string& product_id, int64_t qty,
                             const std::string& reservation_id = {}) override {
    return service_.release(product_id, qty, reservation_id);
  }
  Result<StockLevel> ship(const std::string& product_id, int64_t qty, const std::string& reservation_id) override {
    return service_.ship(product_id, qty, reservation_id);
  }
  Result<StockPage> list(const std::string& after, int limit) override { return service_.list(after, limit); }

 private:
  InventoryService& service_;
};

}  // namespace cloudretail::inventory
