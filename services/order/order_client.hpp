#pragma once
/// What other services (payment) may ask of orders. Implementation: in-process
/// (LocalOrderClient, wrapping OrderService). Payment never reads the orders table.
/// Errors: kNotFound "Order not found"; kConflict "Order already paid" /
/// "Order is not payable" / "Out of stock"; kUnavailable "Order service error" or
/// "Inventory service error".
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "order/order_status.hpp"

namespace cloudretail::order {

struct OrderLine {
  std::string product_id;
  int64_t qty = 0;
  int64_t price_minor = 0;
};

/// An order as users see it (internal states never leave the order service).
struct OrderInfo {
  std::string order_id;
  std::string user_id;
  std::string user_email;
  OrderStatus status = OrderStatus::kPending;  // a public one (is_public)
  std::vector<OrderLine> items;
  int64_t total_minor = 0;
  std::string currency;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::optional<int64_t> expires_at_ms;  // PENDING only
  std::optional<int64_t> shipped_at_ms;  // SHIPPED (and REFUNDED after shipping)
  std::optional<std::string> tracking_number;
  std::optional<int64_t> refunded_at_ms;  // REFUNDED
};

/// What releasing an order's stock did (payment's "inventoryRelease").
struct ReleaseOutcome {
  bool attempted = false;
  bool success = false;
  std::vector<OrderLine> released;  // lines handed back to inventory
  std::string error;                // when !success
};

struct PaymentApplied {
  OrderInfo order;         // after the change
  ReleaseOutcome release;  // FAILED on PENDING releases the stock
};

class OrderClient {
 public:
  virtual ~OrderClient() = default;
  virtual Result<OrderInfo> get(const std::string& order_id) = 0;
  /// Applies a mock-provider outcome with conditional transitions: SUCCESS on
  /// PENDING confirms; FAILED on PENDING releases the stock (PAYMENT_FAILED);
  /// SUCCESS on PAYMENT_FAILED re-reserves all-or-nothing, then confirms.
  virtual Result<PaymentApplied> apply_payment(const std::string& order_id, bool success) = 0;
};

}  // namespace cloudretail::order
