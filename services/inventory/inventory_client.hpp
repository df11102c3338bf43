#pragma once
/// What other services may ask of inventory. Implementations: in-process
/// (LocalInventoryClient, wrapping InventoryService) and HTTP (split deployment).
/// Errors: kConflict "Out of stock" (fields availableQty), kConflict on a release
/// beyond reservedQty, kUnavailable "Inventory service error" when unreachable.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace cloudretail::inventory {

struct StockLevel {
  std::string product_id;
  int64_t available_qty = 0;
  int64_t reserved_qty = 0;
  std::optional<int64_t> updated_at_ms;  // absent for a product never stocked
};

struct StockPage {
  std::vector<StockLevel> items;
  std::optional<std::string> next_after;  // pass as `after` for the next page
};

class InventoryClient {
 public:
  virtual ~InventoryClient() = default;
  /// Zeros for a product with no inventory row (as the original).
  virtual Result<StockLevel> get(const std::string& product_id) = 0;
  /// Atomically moves qty from available to reserved. With a reservation_id the
  /// call is idempotent per (reservation_id, product_id): repeating it reserves
  /// nothing more. Used by checkout with the order id, so recovery can replay it.
  virtual Result<StockLevel> reserve(const std::string& product_id, int64_t qty,
                                     const std::string& reservation_id = {}) = 0;
  /// The reverse. With a reservation_id it releases only what that reservation
  /// still holds (a second call is a no-op that succeeds).
  virtual Result<StockLevel> release(const std::string& product_id, int64_t qty,
                                     const std::string& reservation_id = {}) = 0;
  /// Shipping: what `reservation_id` still holds of the product leaves reservedQty
  /// for good (availableQty unchanged). Idempotent: nothing held is a no-op.
  virtual Result<StockLevel> ship(const std::string& product_id, int64_t qty, const std::string& reservation_id) = 0;
  /// Every inventory row ordered by product id, for the audit.
  virtual Result<StockPage> list(const std::string& after, int limit) = 0;
};

}  // namespace cloudretail::inventory
