#pragma once
/// The only SQL of the order service: orders, order_lines, idempotency_keys.
/// Every state change is a conditional UPDATE (WHERE status = ?), so concurrent
/// payments, cancels, expiry and recovery cannot both win.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "order/order_client.hpp"

namespace cloudretail::order {

/// services/order/migrations/*.sql, compiled in by cloudretail_service_migrations
/// (libs/db/migrations.cmake).
std::span<const db::MigrationFile> migration_files();

struct OrderRecord {
  OrderInfo info;              // info.status holds the stored status (internal ones too)
  std::string reservation_id;  // what inventory knows this order's holds by
  bool stock_held = false;     // cleared only after every release (or, SHIPPED, every ship move) succeeded
  std::optional<std::string> refund_payment_id;  // REFUNDED: the refund payment, once recorded
  std::optional<std::string> email_pending;      // order-shipped | order-refunded until handed over
};

struct OrderCursor {
  int64_t created_at_ms = 0;
  std::string order_id;
};

struct OrderListPage {
  std::vector<OrderRecord> items;
  std::optional<OrderCursor> next;
};

class OrderRepository {
 public:
  explicit OrderRepository(db::Database& db) : db_(db) {}

  /// The order row and its lines in one transaction.
  void insert(const OrderRecord& order);
  std::optional<OrderRecord> find(const std::string& order_id);
  /// from -> to when still `from`; expires_at set (or cleared when nullopt). Throws
  /// std::logic_error for a move can_transition() does not allow (a bug, not a race).
  bool transition(const std::string& order_id, OrderStatus from, OrderStatus to, int64_t now_ms,
                  std::optional<int64_t> expires_at_ms = std::nullopt);
  /// PAYMENT_FAILED (stock already released) -> RESERVING under a new reservation id.
  bool begin_reservation_retry(const std::string& order_id, const std::string& reservation_id, int64_t now_ms);
  /// Clears stock_held if the order is still in `status` under `reservation_id`.
  bool clear_stock_held(const std::string& order_id, OrderStatus status, const std::string& reservation_id);

  /// Visible orders of one user, newest first (keyset on created_at, order_id).
  OrderListPage list_for_user(const std::string& user_id, const std::optional<OrderCursor>& after, int limit);
  /// Every user's visible orders, newest first; only the given stored statuses when not empty.
  OrderListPage list_all(const std::vector<OrderStatus>& statuses, const std::optional<OrderCursor>& after, int limit);

  std::vector<std::string> pending_expired(int64_t now_ms, int limit);
  /// CREATING or RESERVING orders untouched since before `before_ms` (their process died).
  std::vector<std::string> stale_in_flight(int64_t before_ms, int limit);
  /// Orders in a released state whose stock is still held.
  std::vector<std::string> unreleased(int limit);
  /// CONFIRMED -> SHIPPED (stock_held stays set until inventory took the units).
  bool mark_shipped(const std::string& order_id, const std::optional<std::string>& tracking, int64_t now_ms);
  /// `from` (CONFIRMED, or SHIPPED with its stock settled) -> REFUNDED.
  bool mark_refunded(const std::string& order_id, OrderStatus from, int64_t now_ms);
  void set_refund_payment(const std::string& order_id, const std::string& payment_id);
  void clear_email_pending(const std::string& order_id, const std::string& type);
  /// SHIPPED orders whose units have not all left reservedQty yet.
  std::vector<std::string> unshipped(int limit);
  /// REFUNDED orders without their refund payment (the payment service was down).
  std::vector<std::string> refunds_unrecorded(int limit);
  /// Orders with an email not handed over, untouched since before `before_ms`.
  std::vector<std::string> emails_due(int64_t before_ms, int limit);
  /// Sum of qty per product over PENDING and CONFIRMED orders.
  std::map<std::string, int64_t> expected_reserved();
  /// Orders per stored status text (internal ones included), for /metrics.
  std::map<std::string, int64_t> count_by_status();

  /// The order tables for `dialect`: migrations/*.sql and the Idempotency-Key table.
  static std::vector<db::Migration> migrations(db::Dialect dialect);

 private:
  std::vector<OrderLine> lines_of(db::Connection& conn, const std::string& order_id);
  /// `filter` is SQL over the orders columns with `?` for each of `args` (never user text).
  OrderListPage list_where(const std::string& filter, const std::vector<std::string>& args,
                           const std::optional<OrderCursor>& after, int limit);
  db::Database& db_;
};

}  // namespace cloudretail::order
