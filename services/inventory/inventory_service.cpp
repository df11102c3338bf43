#include "inventory/inventory_service.hpp"

#include <algorithm>

#include "inventory/inventory_repository.hpp"

namespace cloudretail::inventory {

namespace {
Error invalid_product_id() { return bad_request("Invalid productId", "InvalidParameter"); }
}  // namespace

Result<StockLevel> InventoryService::get(const std::string& product_id) {
  if (!is_valid_product_id(product_id)) return invalid_product_id();
  auto level = repo_.find(product_id);
  if (!level) return StockLevel{product_id, 0, 0, std::nullopt};
  return *level;
}

Result<StockLevel> InventoryService::set(const std::string& product_id, std::optional<int64_t> available,
                                         std::optional<int64_t> reserved) {
  if (!is_valid_product_id(product_id)) return invalid_product_id();
  if (!available && !reserved) return bad_request("availableQty or reservedQty is required", "InvalidParameter");
  for (auto v : {available, reserved})
    if (v && (*v < 0 || *v > kMaxStockQty))
      return bad_request("availableQty and reservedQty must be non-negative integers", "InvalidParameter");
  return repo_.upsert(product_id, available, reserved, clock_.now_ms());
}

Status InventoryService::check(const std::string& product_id, int64_t qty, const std::string& reservation_id) const {
  if (!is_valid_product_id(product_id)) return invalid_product_id();
  if (qty < 1 || qty > kMaxMoveQty)
    return bad_request("qty must be an integer between 1 and 1000000", "InvalidParameter");
  if (reservation_id.size() > 128)
    return bad_request("reservationId must be at most 128 characters", "InvalidParameter");
  return ok_status();
}

Result<StockLevel> InventoryService::reserve(const std::string& product_id, int64_t qty,
                                             const std::string& reservation_id) {
  if (auto ok = check(product_id, qty, reservation_id); !ok) return ok.error();
  auto out = repo_.reserve(product_id, qty, reservation_id, clock_.now_ms());
  if (out.result == InventoryRepository::Move::kRefused) {
    Error e = conflict("Out of stock");
    e.with_string("productId", product_id).with_number("availableQty", out.level.available_qty);
    return e;
  }
  return out.level;
}

Result<StockLevel> InventoryService::release(const std::string& product_id, int64_t qty,
                                             const std::string& reservation_id) {
  if (auto ok = check(product_id, qty, reservation_id); !ok) return ok.error();
  auto out = repo_.release(product_id, qty, reservation_id, clock_.now_ms());
  if (out.result == InventoryRepository::Move::kRefused) {
    Error e = conflict("Cannot release more than is reserved", "InsufficientReserved");
    e.with_string("productId", product_id).with_number("reservedQty", out.level.reserved_qty);
    return e;
  }
  return out.level;
}

Result<StockLevel> InventoryService::ship(const std::string& product_id, int64_t qty,
                                          const std::string& reservation_id) {
  if (reservation_id.empty()) return bad_request("reservationId is required to ship", "InvalidParameter");
  if (auto ok = check(product_id, qty, reservation_id); !ok) return ok.error();
  auto out = repo_.ship(product_id, qty, reservation_id, clock_.now_ms());
  if (out.result == InventoryRepository::Move::kRefused) {
    Error e = conflict("Cannot ship more than is reserved", "InsufficientReserved");
    e.with_string("productId", product_id).with_number("reservedQty", out.level.reserved_qty);
    return e;
  }
  return out.level;
}

Result<StockPage> InventoryService::list(const std::string& after, int limit) {
  limit = std::clamp(limit, 1, 100);  // the list rule (routes answer 400 beyond it)
  auto rows = repo_.list(after, limit + 1);
  StockPage page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(static_cast<size_t>(limit));
    page.next_after = rows.back().product_id;
  }
  page.items = std::move(rows);
  return page;
}

}  // namespace cloudretail::inventory
