#include "order/order_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "core/crypto.hpp"
#include "core/json_writer.hpp"

namespace cloudretail::order {

namespace {
constexpr int kSweepBatch = 200;

void bump(std::atomic<uint64_t>* c) {
  if (c) c->fetch_add(1, std::memory_order_relaxed);
}

Error order_not_found() { return not_found("Order not found"); }

/// Lines in product-id order: used when a checkout or a payment runs as one
/// transaction (services sharing a database), so that every such transaction takes
/// stock rows in one order and two never wait on each other (a PostgreSQL deadlock).
/// Otherwise lines go in cart order, which `rollback.released` reports.
std::vector<OrderLine> in_lock_order(std::vector<OrderLine> lines, bool shared) {
  if (shared)
    std::sort(lines.begin(), lines.end(),
              [](const OrderLine& a, const OrderLine& b) { return a.product_id < b.product_id; });
  return lines;
}
Error inventory_down() { return unavailable("Inventory service error"); }
}  // namespace

OrderStatus public_status(OrderStatus stored) {
  // A retry re-reserving stock is still a failed payment until it confirms.
  if (stored == OrderStatus::kReserving) return OrderStatus::kPaymentFailed;
  return stored;
}

Error invalid_status_filter() {
  return bad_request("status must be one of PENDING, CONFIRMED, PAYMENT_FAILED, CANCELLED, EXPIRED, SHIPPED, REFUNDED",
                     "InvalidParameterException");
}

bool is_visible(OrderStatus stored) { return stored != OrderStatus::kCreating && stored != OrderStatus::kAborted; }

namespace {
OrderInfo to_public(OrderRecord record) {
  OrderInfo info = std::move(record.info);
  info.status = public_status(info.status);
  if (info.status != OrderStatus::kPending) info.expires_at_ms.reset();
  return info;
}
}  // namespace

// ---- checkout -------------------------------------------------------------

Result<OrderInfo> OrderService::checkout(const std::string& user_id, const std::string& email) {
  // Peers first, with no connection held.
  auto cart = carts_.get(user_id);
  if (!cart) return unavailable("Cart service error");
  if (cart->items.empty()) return bad_request("Cart is empty");

  OrderRecord order;
  order.info.order_id = "O-" + crypto::uuid4();
  order.info.user_id = user_id;
  order.info.user_email = email;
  order.info.status = OrderStatus::kCreating;
  for (const auto& line : cart->items) {
    // The catalog sets the price, whatever the cart remembered.
    auto product = products_.get(line.product_id);
    if (!product) {
      if (product.error().code == ErrorCode::kNotFound) {
        // Archived (or never existed): nothing is written, the cart keeps the line.
        Error e = conflict("Product not available", "ProductNotAvailable");
        e.with_string("productId", line.product_id);
        return e;
      }
      return product.error();
    }
    if (order.info.currency.empty()) order.info.currency = product->currency;
    if (product->currency != order.info.currency) return bad_request("Cart mixes currencies", "MixedCurrencies");
    order.info.items.push_back({line.product_id, line.qty, product->price_minor});
    order.info.total_minor += line.qty * product->price_minor;
  }
  const int64_t now = clock_.now_ms();
  order.info.created_at_ms = now;
  order.info.updated_at_ms = now;
  order.reservation_id = order.info.order_id;
  order.stock_held = true;  // conservative until released: recovery may rely on it

  // With cart and inventory on our database, steps (1)-(4) are one transaction: one
  // commit, and no other request ever sees the CREATING state. Else each step commits
  // on its own and recovery covers a process dying between them.
  db::SharedTransaction unit(settings_.shared_database);
  repo_.insert(order);  // (1) CREATING, hidden, recoverable

  // (2) reserve every line under the order id.
  std::vector<std::string> reserved;
  for (const auto& line : in_lock_order(order.info.items, settings_.shared_database != nullptr)) {
    auto r = inventory_.reserve(line.product_id, line.qty, order.reservation_id);
    if (r) {
      reserved.push_back(line.product_id);
      continue;
    }
    abort_creating(order);
    if (r.error().code == ErrorCode::kConflict) {
      bump(counters_.stock_outs);
      JsonWriter w;
      w.begin_object().key("released").begin_array();
      for (const auto& id : reserved) w.string(id);
      w.end_array().end_object();
      Error e = conflict("Checkout failed: Out of stock for " + line.product_id);
      e.with_raw("rollback", w.take());
      return e;
    }
    if (r.error().code == ErrorCode::kNotFound) return bad_request("Product not found: " + line.product_id);
    return inventory_down();
  }

  // (3) take the cart only if nobody changed or took it since we read it.
  auto cleared = carts_.clear_if_version(user_id, cart->version, order.info.order_id);
  if (!cleared || !*cleared) {
    abort_creating(order);
    if (!cleared) return unavailable("Cart service error");
    return conflict("Cart changed during checkout; nothing was ordered", "CartChanged");
  }

  // (4) visible to the user from here on.
  // "Older than the TTL": counted from creation, as the order shows createdAt.
  const int64_t expires = order.info.created_at_ms + settings_.pending_ttl_seconds * 1000;
  if (!repo_.transition(order.info.order_id, OrderStatus::kCreating, OrderStatus::kPending, clock_.now_ms(), expires)) {
    // Recovery judged this checkout dead (it outlived the grace period).
    abort_creating(order);
    restore_cart(order);
    return unavailable("Checkout took too long; nothing was ordered");
  }
  bump(counters_.orders_created);
  order.info.status = OrderStatus::kPending;
  order.info.expires_at_ms = expires;
  order.info.updated_at_ms = clock_.now_ms();
  return to_public(std::move(order));
}

void OrderService::abort_creating(OrderRecord& order) {
  // Marked first: if we die before releasing, sweep() finds ABORTED + stock_held.
  repo_.transition(order.info.order_id, OrderStatus::kCreating, OrderStatus::kAborted, clock_.now_ms());
  release_and_settle(order, OrderStatus::kAborted);
}

void OrderService::restore_cart(const OrderRecord& order) {
  std::vector<cart::CartLine> lines;
  for (const auto& l : order.info.items)
    lines.push_back({l.product_id, l.qty, l.price_minor, order.info.currency, true});
  auto restored = carts_.restore(order.info.user_id, order.info.order_id, lines);
  if (restored && *restored) spdlog::info("order {}: cart of {} restored", order.info.order_id, order.info.user_id);
}

ReleaseOutcome OrderService::release_all(const OrderRecord& order) {
  ReleaseOutcome out;
  out.attempted = true;
  out.success = true;
  for (const auto& line : in_lock_order(order.info.items, settings_.shared_database != nullptr)) {
    auto r = inventory_.release(line.product_id, line.qty, order.reservation_id);
    if (r) {
      out.released.push_back(line);
    } else if (r.error().code == ErrorCode::kUnavailable) {
      out.success = false;
      out.error = r.error().message;
    } else {
      // Nothing held under this reservation any more: nothing to give back.
      spdlog::warn("order {}: release of {} refused: {}", order.info.order_id, line.product_id, r.error().message);
    }
  }
  return out;
}

ReleaseOutcome OrderService::release_and_settle(const OrderRecord& order, OrderStatus st) {
  ReleaseOutcome out = release_all(order);
  if (out.success) repo_.clear_stock_held(order.info.order_id, st, order.reservation_id);
  return out;
}

// ---- reads ----------------------------------------------------------------

Result<OrderInfo> OrderService::get(const std::string& order_id) {
  auto order = repo_.find(order_id);
  if (!order || !is_visible(order->info.status)) return order_not_found();
  return to_public(std::move(*order));
}

Result<OrderInfo> OrderService::current(const std::string& order_id) { return get(order_id); }

Result<OrderPage> OrderService::list(const std::string& user_id, const std::optional<OrderCursor>& after, int limit) {
  auto page = repo_.list_for_user(user_id, after, limit);
  OrderPage out;
  for (auto& o : page.items) out.items.push_back(to_public(std::move(o)));
  out.next = std::move(page.next);
  return out;
}

Result<OrderPage> OrderService::list_all(const std::optional<OrderStatus>& status,
                                         const std::optional<OrderCursor>& after, int limit) {
  std::vector<OrderStatus> stored;
  if (status) {
    if (!is_public(*status)) return invalid_status_filter();
    stored.push_back(*status);
    // A payment retry re-reserving stock is shown as PAYMENT_FAILED.
    if (*status == OrderStatus::kPaymentFailed) stored.push_back(OrderStatus::kReserving);
  }
  auto page = repo_.list_all(stored, after, limit);
  OrderPage out;
  for (auto& o : page.items) out.items.push_back(to_public(std::move(o)));
  out.next = std::move(page.next);
  return out;
}

// ---- state changes --------------------------------------------------------

Result<OrderInfo> OrderService::cancel(const std::string& order_id) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto order = repo_.find(order_id);
    if (!order || !is_visible(order->info.status)) return order_not_found();
    const OrderStatus from = order->info.status;
    if (!can_transition(from, OrderStatus::kCancelled))
      return conflict("Order cannot be cancelled in status " + std::string(to_string(public_status(from))),
                      "InvalidOrderState");
    if (!repo_.transition(order_id, from, OrderStatus::kCancelled, clock_.now_ms())) continue;  // raced; look again
    order->info.status = OrderStatus::kCancelled;
    if (order->stock_held) release_and_settle(*order, OrderStatus::kCancelled);
    return current(order_id);
  }
  return conflict("Order changed concurrently, please retry", "InvalidOrderState");
}

Result<PaymentApplied> OrderService::apply_payment(const std::string& order_id, bool success) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto order = repo_.find(order_id);
    if (!order || !is_visible(order->info.status)) return order_not_found();
    const OrderStatus st = order->info.status;
    // Shipped and refunded orders were paid: never treat them as a failed payment to retry.
    if (was_paid(st)) return conflict("Order already paid", "OrderAlreadyPaid");
    if (st == OrderStatus::kExpired || st == OrderStatus::kCancelled)
      return conflict("Order is not payable", "OrderNotPayable");
    if (st == OrderStatus::kReserving) return conflict("A payment for this order is in progress", "PaymentInProgress");

    const int64_t now = clock_.now_ms();
    if (st == OrderStatus::kPending) {
      if (order->info.expires_at_ms && *order->info.expires_at_ms <= now) {
        // Due but not yet swept: expire it here rather than take money for it.
        if (repo_.transition(order_id, OrderStatus::kPending, OrderStatus::kExpired, now))
          release_and_settle(*order, OrderStatus::kExpired);
        return conflict("Order is not payable", "OrderNotPayable");
      }
      if (success) {
        if (!repo_.transition(order_id, OrderStatus::kPending, OrderStatus::kConfirmed, now)) continue;
        auto info = current(order_id);
        if (!info) return info.error();
        return PaymentApplied{std::move(*info), {}};
      }
      if (!repo_.transition(order_id, OrderStatus::kPending, OrderStatus::kPaymentFailed, now)) continue;
      order->info.status = OrderStatus::kPaymentFailed;
      ReleaseOutcome release = release_and_settle(*order, OrderStatus::kPaymentFailed);
      auto info = current(order_id);
      if (!info) return info.error();
      return PaymentApplied{std::move(*info), std::move(release)};
    }
    // PAYMENT_FAILED: a further FAILED changes nothing, so it must not mail the buyer again.
    if (!success) return conflict("Order is not payable", "OrderNotPayable");
    return retry_payment(std::move(*order));
  }
  return conflict("Order changed concurrently, please retry", "InvalidOrderState");
}

Result<PaymentApplied> OrderService::retry_payment(OrderRecord order) {
  const std::string& order_id = order.info.order_id;
  if (order.stock_held) {
    // The earlier release has not finished: finish it before reserving anew.
    auto done = release_and_settle(order, OrderStatus::kPaymentFailed);
    if (!done.success) return inventory_down();
  }
  // A fresh reservation id: the first one's holds were released and must stay so.
  const std::string reservation = order_id + "~" + crypto::uuid4().substr(0, 8);
  if (!repo_.begin_reservation_retry(order_id, reservation, clock_.now_ms()))
    return conflict("Order changed concurrently, please retry", "InvalidOrderState");
  order.reservation_id = reservation;
  order.info.status = OrderStatus::kReserving;
  for (const auto& line : in_lock_order(order.info.items, settings_.shared_database != nullptr)) {
    auto r = inventory_.reserve(line.product_id, line.qty, reservation);
    if (r) continue;
    // All or nothing: give back what this attempt took.
    repo_.transition(order_id, OrderStatus::kReserving, OrderStatus::kPaymentFailed, clock_.now_ms());
    release_and_settle(order, OrderStatus::kPaymentFailed);
    if (r.error().code == ErrorCode::kConflict) {
      bump(counters_.stock_outs);
      Error e = conflict("Out of stock for " + line.product_id);
      e.with_string("productId", line.product_id);
      return e;
    }
    return inventory_down();
  }
  if (!repo_.transition(order_id, OrderStatus::kReserving, OrderStatus::kConfirmed, clock_.now_ms())) {
    // Recovery took it back (we outlived the grace period) and released what was
    // held then; a reserve of ours that landed after that is released here.
    auto now = repo_.find(order_id);
    release_and_settle(order, now ? now->info.status : OrderStatus::kPaymentFailed);
    return unavailable("Payment took too long; please retry");
  }
  auto info = current(order_id);
  if (!info) return info.error();
  return PaymentApplied{std::move(*info), {}};
}

// ---- after the sale: ship and refund ---------------------------------------

Result<OrderInfo> OrderService::ship(const std::string& order_id, const std::optional<std::string>& tracking_number) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto order = repo_.find(order_id);
    if (!order || !is_visible(order->info.status)) return order_not_found();
    if (!can_transition(order->info.status, OrderStatus::kShipped))
      return conflict("Order cannot be shipped", "InvalidOrderState");
    // The conditional change decides a race with refund: only one leaves CONFIRMED.
    if (!repo_.mark_shipped(order_id, tracking_number, clock_.now_ms())) continue;
    // SHIPPED with stock_held: if we die here, sweep() finishes the stock moves.
    settle_shipment(*order);
    send_pending_email(order_id);
    return current(order_id);
  }
  return conflict("Order changed concurrently, please retry", "InvalidOrderState");
}

Result<RefundOutcome> OrderService::refund(const std::string& order_id) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto order = repo_.find(order_id);
    if (!order || !is_visible(order->info.status)) return order_not_found();
    const OrderStatus from = order->info.status;
    if (from == OrderStatus::kConfirmed) {
      if (!repo_.mark_refunded(order_id, from, clock_.now_ms())) continue;  // raced (ship?): look again
      // Unshipped goods go back on sale; if inventory is down, sweep() retries.
      release_and_settle(*order, OrderStatus::kRefunded);
    } else if (from == OrderStatus::kShipped) {
      // The shipment's stock moves finish first (another request may be doing
      // them too: they are idempotent per reservation).
      if (order->stock_held && !settle_shipment(*order)) return inventory_down();
      if (!repo_.mark_refunded(order_id, from, clock_.now_ms())) continue;
    } else {
      return conflict("Order cannot be refunded", "InvalidOrderState");
    }
    RefundOutcome out;
    out.refund = record_refund(*order);
    send_pending_email(order_id);
    auto info = current(order_id);
    if (!info) return info.error();
    out.order = std::move(*info);
    return out;
  }
  return conflict("Order changed concurrently, please retry", "InvalidOrderState");
}

bool OrderService::settle_shipment(const OrderRecord& order) {
  bool all = true;
  for (const auto& line : order.info.items) {
    auto r = inventory_.ship(line.product_id, line.qty, order.reservation_id);
    if (!r) {
      all = false;
      spdlog::warn("order {}: shipping {} from stock: {}", order.info.order_id, line.product_id, r.error().message);
    }
  }
  if (all) repo_.clear_stock_held(order.info.order_id, OrderStatus::kShipped, order.reservation_id);
  return all;
}

std::optional<payment::RefundRecord> OrderService::record_refund(const OrderRecord& order) {
  if (!payments_) return std::nullopt;
  auto r =
      payments_->record_refund(order.info.order_id, order.info.user_id, order.info.total_minor, order.info.currency);
  if (!r) {
    spdlog::warn("order {}: refund payment not recorded yet: {}", order.info.order_id, r.error().message);
    return std::nullopt;
  }
  repo_.set_refund_payment(order.info.order_id, r->payment_id);
  return *r;
}

void OrderService::send_pending_email(const std::string& order_id) {
  auto order = repo_.find(order_id);
  if (!order || !order->email_pending) return;
  const std::string type = *order->email_pending;
  if (order->info.user_email.empty()) {  // nobody to tell
    repo_.clear_email_pending(order_id, type);
    return;
  }
  if (!notifications_) return;
  notification::EmailRequest req;
  req.type = type == "order-shipped" ? notification::EmailType::kOrderShipped : notification::EmailType::kOrderRefunded;
  req.email = order->info.user_email;
  req.user_id = order->info.user_id;
  req.order_id = order_id;
  req.amount_minor = order->info.total_minor;
  req.currency = order->info.currency;
  if (order->info.tracking_number) req.tracking_number = *order->info.tracking_number;
  auto sent = notifications_->send(req);
  // Stored by notifications (sent or queued with retries): ours is done. Otherwise
  // the sweeper tries again; a refused request is not retried.
  if (sent || sent.error().code == ErrorCode::kBadRequest) repo_.clear_email_pending(order_id, type);
  if (!sent) spdlog::warn("order {}: {} email: {}", order_id, type, sent.error().message);
}

// ---- background -----------------------------------------------------------

void OrderService::sweep() {
  const int64_t now = clock_.now_ms();
  for (const auto& id : repo_.pending_expired(now, kSweepBatch)) {
    auto order = repo_.find(id);
    if (!order) continue;
    if (repo_.transition(id, OrderStatus::kPending, OrderStatus::kExpired, clock_.now_ms()))
      release_and_settle(*order, OrderStatus::kExpired);
  }
  for (const auto& id : repo_.stale_in_flight(now - settings_.recovery_grace_ms, kSweepBatch)) {
    auto order = repo_.find(id);
    if (!order) continue;
    const OrderStatus st = order->info.status;
    const OrderStatus to = st == OrderStatus::kCreating ? OrderStatus::kAborted : OrderStatus::kPaymentFailed;
    if (repo_.transition(id, st, to, clock_.now_ms(), std::nullopt)) {
      spdlog::info("order {}: recovered {} -> {}", id, to_string(st), to_string(to));
      release_and_settle(*order, to);
      // A checkout that died after taking the cart gives it back (if untouched since).
      if (st == OrderStatus::kCreating) restore_cart(*order);
    }
  }
  for (const auto& id : repo_.unreleased(kSweepBatch)) {
    auto order = repo_.find(id);
    if (order && order->stock_held) release_and_settle(*order, order->info.status);
  }
  // Shipping and refunds a dead process (or a peer that was down) left half done.
  for (const auto& id : repo_.unshipped(kSweepBatch)) {
    auto order = repo_.find(id);
    if (order && order->stock_held && order->info.status == OrderStatus::kShipped) settle_shipment(*order);
  }
  for (const auto& id : repo_.refunds_unrecorded(kSweepBatch)) {
    auto order = repo_.find(id);
    if (order && !order->refund_payment_id) record_refund(*order);
  }
  // An email still pending 10 s after its change: the inline attempt failed or died.
  for (const auto& id : repo_.emails_due(clock_.now_ms() - 10'000, kSweepBatch)) send_pending_email(id);
}

Result<AuditReport> OrderService::audit() {
  // Not one snapshot across two services: a checkout, payment or expiry running
  // while the audit reads can show as a transient discrepancy; audit a quiet shop
  // (or repeat) to tell it from a leak.
  auto expected = repo_.expected_reserved();
  AuditReport report;
  std::set<std::string> seen;
  std::string after;
  for (;;) {
    auto page = inventory_.list(after, 100);
    if (!page) return inventory_down();
    for (const auto& level : page->items) {
      seen.insert(level.product_id);
      ++report.checked;
      auto it = expected.find(level.product_id);
      int64_t want = it == expected.end() ? 0 : it->second;
      if (level.reserved_qty != want) report.discrepancies.push_back({level.product_id, level.reserved_qty, want});
    }
    if (!page->next_after || page->items.empty()) break;
    after = *page->next_after;
  }
  for (const auto& [product_id, want] : expected) {
    if (seen.count(product_id) || want == 0) continue;
    ++report.checked;
    report.discrepancies.push_back({product_id, 0, want});
  }
  report.ok = report.discrepancies.empty();
  return report;
}

}  // namespace cloudretail::order
