#pragma once
/// Order domain: checkout (crash-safe reservation under the order id), the
/// PENDING -> CONFIRMED | PAYMENT_FAILED | CANCELLED | EXPIRED life cycle,
/// expiry and crash recovery (sweep), and the inventory audit.
///
/// Checkout: (1) the order row is written as CREATING with its lines; (2) each line
/// is reserved with reservation id = order id (idempotent per product); (3) the
/// cart is cleared only if still at the version read (two concurrent checkouts of
/// one cart make one order); (4) CREATING -> PENDING. Any failure marks it ABORTED
/// and releases every line under the same reservation id. A process that dies
/// half-way leaves a CREATING row that sweep() aborts and releases after a grace,
/// giving the cart back if the dead checkout had already taken it.
/// With OrderSettings::shared_database set, (1)-(4) are one transaction instead.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cart/cart_client.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "inventory/inventory_client.hpp"
#include "notification/notification_client.hpp"
#include "order/order_client.hpp"
#include "order/order_repository.hpp"
#include "payment/payment_client.hpp"
#include "product/product_client.hpp"

namespace cloudretail::order {

struct OrderSettings {
  int64_t pending_ttl_seconds = 900;
  int64_t recovery_grace_ms = 10'000;
  /// Set when cart and inventory run in this process on this database: a checkout's
  /// steps then commit as one transaction instead of four.
  db::Database* shared_database = nullptr;
};

struct OrderCounters {
  std::atomic<uint64_t>* orders_created = nullptr;
  std::atomic<uint64_t>* stock_outs = nullptr;
};

struct AuditDiscrepancy {
  std::string product_id;
  int64_t reserved_qty = 0;
  int64_t expected_reserved_qty = 0;
};

struct AuditReport {
  bool ok = true;
  int64_t checked = 0;
  std::vector<AuditDiscrepancy> discrepancies;
};

/// POST /orders/{id}/refund: the order after the change and its refund payment
/// (absent only while the payment service cannot be reached; recorded later).
struct RefundOutcome {
  OrderInfo order;
  std::optional<payment::RefundRecord> refund;
};

struct OrderPage {
  std::vector<OrderInfo> items;
  std::optional<OrderCursor> next;
};

/// Turns a stored status into the one users see (internal ones never shown).
OrderStatus public_status(OrderStatus stored);
/// 400 for an admin list filter that is not a public status (unknown or internal).
Error invalid_status_filter();
/// False for checkouts under way or refused (CREATING, ABORTED): those are nobody's orders yet.
bool is_visible(OrderStatus stored);

class OrderService {
 public:
  OrderService(OrderRepository& repo, cart::CartClient& carts, product::ProductClient& products,
               inventory::InventoryClient& inventory, const Clock& clock, OrderSettings settings,
               OrderCounters counters = {}, notification::NotificationClient* notifications = nullptr,
               payment::PaymentClient* payments = nullptr)
      : repo_(repo),
        carts_(carts),
        products_(products),
        inventory_(inventory),
        clock_(clock),
        settings_(settings),
        counters_(counters),
        notifications_(notifications),
        payments_(payments) {}

  Result<OrderInfo> checkout(const std::string& user_id, const std::string& email);
  /// 404 "Order not found" for unknown and internal orders.
  Result<OrderInfo> get(const std::string& order_id);
  Result<OrderPage> list(const std::string& user_id, const std::optional<OrderCursor>& after, int limit);
  /// Admin: every user's orders, newest first; `status` (a public status) filters.
  /// 400 InvalidParameterException for an internal status.
  Result<OrderPage> list_all(const std::optional<OrderStatus>& status, const std::optional<OrderCursor>& after,
                             int limit);
  Result<OrderInfo> cancel(const std::string& order_id);
  Result<PaymentApplied> apply_payment(const std::string& order_id, bool success);
  Result<AuditReport> audit();

  /// Admin: CONFIRMED -> SHIPPED; the order's units leave reservedQty for good and an
  /// order-shipped email goes to the buyer. 409 "Order cannot be shipped" otherwise.
  Result<OrderInfo> ship(const std::string& order_id, const std::optional<std::string>& tracking_number);
  /// Admin: CONFIRMED -> REFUNDED (stock back into availableQty) or SHIPPED ->
  /// REFUNDED (stock unchanged); records the refund payment and emails the buyer.
  /// 409 "Order cannot be refunded" from any other state.
  Result<RefundOutcome> refund(const std::string& order_id);

  /// Expires due PENDING orders, aborts checkouts whose process died, and
  /// re-releases any stock still held by released orders. Safe to repeat.
  void sweep();

 private:
  /// Releases every line under the order's reservation id; true when all answered.
  ReleaseOutcome release_all(const OrderRecord& order);
  /// Releases and, when complete, clears stock_held while still in `status`.
  ReleaseOutcome release_and_settle(const OrderRecord& order, OrderStatus status);
  void abort_creating(OrderRecord& order);
  void restore_cart(const OrderRecord& order);
  Result<PaymentApplied> retry_payment(OrderRecord order);
  Result<OrderInfo> current(const std::string& order_id);
  /// Moves a SHIPPED order's units out of reservedQty; clears stock_held when all went.
  bool settle_shipment(const OrderRecord& order);
  /// Records the refund payment of a REFUNDED order (idempotent).
  std::optional<payment::RefundRecord> record_refund(const OrderRecord& order);
  /// Hands the order's pending shipped/refunded email to notifications.
  void send_pending_email(const std::string& order_id);

  OrderRepository& repo_;
  cart::CartClient& carts_;
  product::ProductClient& products_;
  inventory::InventoryClient& inventory_;
  const Clock& clock_;
  OrderSettings settings_;
  OrderCounters counters_;
  notification::NotificationClient* notifications_;
  payment::PaymentClient* payments_;
};

/// The in-process client payment uses.
class LocalOrderClient final : public OrderClient {
 public:
  explicit LocalOrderClient(OrderService& service) : service_(service) {}
  Result<OrderInfo> get(const std::string& order_id) override { return service_.get(order_id); }
  Result<PaymentApplied> apply_payment(const std::string& order_id, bool success) override {
    return service_.apply_payment(order_id, success);
  }

 private:
  OrderService& service_;
};

}  // namespace cloudretail::order
