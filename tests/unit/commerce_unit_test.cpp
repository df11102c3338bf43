// Cart, order and payment domains against a real SQLite file and fake peers
// (catalog, inventory with reservation ids, notifications) and a fake clock.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "cart/cart_repository.hpp"
#include "cart/cart_service.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "fresh_database.hpp"
#include "order/order_repository.hpp"
#include "order/order_service.hpp"
#include "payment/payment_repository.hpp"
#include "payment/payment_service.hpp"

using namespace cloudretail;

namespace {

class FakeProducts : public product::ProductClient {
 public:
  std::map<std::string, product::ProductSummary> items;
  Result<product::ProductSummary> get(const std::string& id) override {
    auto it = items.find(id);
    if (it == items.end()) return not_found("Product not found");
    return it->second;
  }
  void add(const std::string& id, int64_t price, const std::string& currency = "USD") {
    items[id] = {id, "name " + id, "cat", price, currency};
  }
};

class FakeInventory : public inventory::InventoryClient {
 public:
  std::mutex mu;
  std::map<std::string, inventory::StockLevel> stock;
  std::map<std::pair<std::string, std::string>, int64_t> holds;  // (reservation, product) -> qty
  bool down = false;
  int reserve_calls = 0;

  void set(const std::string& id, int64_t avail) { stock[id] = {id, avail, 0, 1}; }
  Result<inventory::StockLevel> get(const std::string& id) override {
    std::lock_guard l(mu);
    if (down) return unavailable("Inventory service error");
    auto it = stock.find(id);
    if (it == stock.end()) return inventory::StockLevel{id, 0, 0, std::nullopt};
    return it->second;
  }
  /// Runs before a reserve (outside the lock): lets a test interleave recovery.
  std::function<void()> before_reserve;
  Result<inventory::StockLevel> reserve(const std::string& id, int64_t qty, const std::string& rid) override {
    if (auto hook = std::exchange(before_reserve, nullptr)) hook();
    std::lock_guard l(mu);
    ++reserve_calls;
    if (down) return unavailable("Inventory service error");
    auto& s = stock[id];
    s.product_id = id;
    if (!rid.empty() && holds.count({rid, id})) return s;  // idempotent
    if (s.available_qty < qty) {
      Error e = conflict("Out of stock");
      e.with_number("availableQty", s.available_qty);
      return e;
    }
    s.available_qty -= qty;
    s.reserved_qty += qty;
    if (!rid.empty()) holds[{rid, id}] = qty;
    return s;
  }
  Result<inventory::StockLevel> release(const std::string& id, int64_t qty, const std::string& rid) override {
    std::lock_guard l(mu);
    if (down) return unavailable("Inventory service error");
    auto& s = stock[id];
    int64_t give = qty;
    if (!rid.empty()) {
      auto it = holds.find({rid, id});
      give = it == holds.end() ? 0 : it->second;
      if (it != holds.end()) it->second = 0;
    }
    s.available_qty += give;
    s.reserved_qty -= give;
    return s;
  }
  Result<inventory::StockLevel> ship(const std::string& id, int64_t qty, const std::string& rid) override {
    std::lock_guard l(mu);
    if (down) return unavailable("Inventory service error");
    auto& s = stock[id];
    auto h = holds.find({rid, id});
    if (h == holds.end()) return s;  // idempotent
    int64_t amount = std::min(qty, h->second);
    s.reserved_qty -= amount;
    if ((h->second -= amount) == 0) holds.erase(h);
    return s;
  }
  Result<inventory::StockPage> list(const std::string& after, int limit) override {
    std::lock_guard l(mu);
    if (down) return unavailable("Inventory service error");
    inventory::StockPage page;
    for (auto it = stock.upper_bound(after); it != stock.end() && static_cast<int>(page.items.size()) < limit; ++it)
      page.items.push_back(it->second);
    if (static_cast<int>(page.items.size()) == limit) page.next_after = page.items.back().product_id;
    return page;
  }
};

class FakeNotifications : public notification::NotificationClient {
 public:
  std::vector<notification::EmailRequest> sent;
  bool down = false;
  Result<notification::NotificationOutcome> send(const notification::EmailRequest& r) override {
    if (down) return unavailable("Notification service error");
    sent.push_back(r);
    return notification::NotificationOutcome{true, "x", r.email};
  }
};

struct Shop {
  cloudretail::testing::FreshDatabase fresh{cloudretail::testing::Backend::kSqlite, "cr-commerce-"};
  std::unique_ptr<db::Database> db = fresh.open(4);
  FakeClock clock;
  FakeProducts products;
  FakeInventory inventory;
  FakeNotifications notifications;
  cart::CartRepository cart_repo{*db};
  cart::CartService carts{cart_repo, products, inventory, clock};
  cart::LocalCartClient cart_client{cart_repo, clock};
  order::OrderRepository order_repo{*db};
  order::OrderService orders{order_repo, cart_client, products, inventory, clock, {60, 1000}};
  order::LocalOrderClient order_client{orders};
  payment::PaymentRepository payment_repo{*db};
  payment::PaymentService payments{payment_repo, order_client, &notifications, clock};

  Shop() {
    std::vector<db::Migration> ms = cart::CartRepository::migrations(db->dialect());
    for (auto& m : order::OrderRepository::migrations(db->dialect())) ms.push_back(m);
    for (auto& m : payment::PaymentRepository::migrations(db->dialect())) ms.push_back(m);
    db::apply_migrations(*db, ms);
    products.add("P001", 2999);
    products.add("P002", 4999);
    inventory.set("P001", 10);
    inventory.set("P002", 5);
  }
  bool audit_ok() {
    auto r = orders.audit();
    return r.ok() && r->ok;
  }
};

}  // namespace

TEST(Cart, AddsPricesFromCatalogAndChecksLimits) {
  Shop s;
  auto c = s.carts.add_item("u1", "P001", 2, 2999);
  ASSERT_TRUE(c.ok());
  c = s.carts.add_item("u1", "P002", 1, std::nullopt);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->items.size(), 2u);
  EXPECT_EQ(c->items[1].price_minor, 4999);

  auto changed = s.carts.add_item("u1", "P001", 1, 2500);
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().message, "Price changed");
  EXPECT_EQ(changed.error().code, ErrorCode::kConflict);

  auto short_stock = s.carts.add_item("u1", "P001", 9, std::nullopt);  // 2 + 9 > 10
  ASSERT_FALSE(short_stock.ok());
  EXPECT_EQ(short_stock.error().message, "Out of stock");
  bool has_requested = false;
  for (auto& [k, v] : short_stock.error().fields)
    if (k == "requestedQty") has_requested = v == "11";
  EXPECT_TRUE(has_requested);

  EXPECT_EQ(s.carts.add_item("u1", "NOPE", 1, std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(s.carts.update_item("u1", "P999", 1, std::nullopt).error().message, "Item not in cart");
  EXPECT_EQ(s.carts.remove_item("u1", "P999").error().message, "Item not in cart");
  s.inventory.set("P003", 5000);
  s.products.add("P003", 100);
  EXPECT_EQ(s.carts.add_item("u1", "P003", 998, std::nullopt).error().code, ErrorCode::kBadRequest);  // total 1001

  s.inventory.down = true;
  auto down = s.carts.add_item("u1", "P001", 1, std::nullopt);
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(down.error().message, "Inventory service error");
  s.inventory.down = false;

  auto updated = s.carts.update_item("u1", "P001", 5, std::nullopt);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->items[0].qty, 5);
  auto removed = s.carts.remove_item("u1", "P001");
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->items.size(), 1u);
  // Another user's cart is separate.
  EXPECT_TRUE(s.carts.get("u2")->items.empty());
}

TEST(Checkout, TotalIsExactAndStockIsReserved) {
  Shop s;
  ASSERT_TRUE(s.carts.add_item("u1", "P001", 2, std::nullopt).ok());
  ASSERT_TRUE(s.carts.add_item("u1", "P002", 1, std::nullopt).ok());
  auto o = s.orders.checkout("u1", "u1@example.com");
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->total_minor, 10997);
  EXPECT_EQ(o->status, order::OrderStatus::kPending);
  EXPECT_EQ(o->order_id.rfind("O-", 0), 0u);
  ASSERT_TRUE(o->expires_at_ms.has_value());
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 2);
  EXPECT_TRUE(s.carts.get("u1")->items.empty());
  EXPECT_TRUE(s.audit_ok());
  EXPECT_EQ(s.orders.checkout("u1", "").error().message, "Cart is empty");
}

TEST(Checkout, OutOfStockRollsBackAndKeepsTheCart) {
  Shop s;
  ASSERT_TRUE(s.carts.add_item("u1", "P002", 1, std::nullopt).ok());
  ASSERT_TRUE(s.carts.add_item("u1", "P001", 3, std::nullopt).ok());
  s.inventory.set("P001", 1);  // someone bought it meanwhile
  auto o = s.orders.checkout("u1", "");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().code, ErrorCode::kConflict);
  EXPECT_EQ(o.error().message, "Checkout failed: Out of stock for P001");
  ASSERT_EQ(o.error().fields.size(), 1u);
  EXPECT_EQ(o.error().fields[0].second, R"({"released":["P002"]})");
  EXPECT_EQ(s.inventory.stock["P002"].reserved_qty, 0);
  EXPECT_EQ(s.inventory.stock["P002"].available_qty, 5);
  EXPECT_EQ(s.carts.get("u1")->items.size(), 2u);
  EXPECT_TRUE(s.orders.list("u1", std::nullopt, 10)->items.empty());
  EXPECT_TRUE(s.audit_ok());
}

TEST(Checkout, MixedCurrenciesAreRefused) {
  Shop s;
  s.products.add("E1", 100, "EUR");
  s.inventory.set("E1", 3);
  ASSERT_TRUE(s.carts.add_item("u1", "P001", 1, std::nullopt).ok());
  ASSERT_TRUE(s.carts.add_item("u1", "E1", 1, std::nullopt).ok());
  EXPECT_EQ(s.orders.checkout("u1", "").error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(s.inventory.reserve_calls, 0);
}

TEST(Checkout, ConcurrentCheckoutsOfOneCartMakeOneOrder) {
  Shop s;
  ASSERT_TRUE(s.carts.add_item("u1", "P001", 1, std::nullopt).ok());
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 6; ++i)
    ts.emplace_back([&] {
      auto o = s.orders.checkout("u1", "");
      (o.ok() ? ok : refused)++;
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), 5);
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 1);
  EXPECT_TRUE(s.audit_ok());
}

TEST(Orders, ExpireReleaseAndCancel) {
  Shop s;
  ASSERT_TRUE(s.carts.add_item("u1", "P001", 4, std::nullopt).ok());
  auto o = s.orders.checkout("u1", "");
  ASSERT_TRUE(o.ok());
  s.clock.advance_ms(59'000);
  s.orders.sweep();
  EXPECT_EQ(s.orders.get(o->order_id)->status, order::OrderStatus::kPending);
  s.clock.advance_ms(2'000);
  s.orders.sweep();
  EXPECT_EQ(s.orders.get(o->order_id)->status, order::OrderStatus::kExpired);
  EXPECT_EQ(s.inventory.stock["P001"].available_qty, 10);
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 0);
  EXPECT_EQ(s.orders.cancel(o->order_id).error().code, ErrorCode::kConflict);

  ASSERT_TRUE(s.carts.add_item("u1", "P001", 2, std::nullopt).ok());
  auto o2 = s.orders.checkout("u1", "");
  ASSERT_TRUE(o2.ok());
  auto c = s.orders.cancel(o2->order_id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->status, order::OrderStatus::kCancelled);
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 0);
  EXPECT_TRUE(s.audit_ok());

  auto page = s.orders.list("u1", std::nullopt, 1);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].order_id, o2->order_id);  // newest first
  ASSERT_TRUE(page->next.has_value());
  auto page2 = s.orders.list("u1", page->next, 1);
  ASSERT_EQ(page2->items.size(), 1u);
  EXPECT_EQ(page2->items[0].order_id, o->order_id);
  EXPECT_FALSE(page2->next.has_value());
}

TEST(Orders, RecoveryAbortsDeadCheckoutsAndReleasesTheirStock) {
  Shop s;
  // A checkout whose process died after reserving: CREATING row + hold under its id.
  order::OrderRecord dead;
  dead.info = {
      "O-dead",         "u1", "", order::OrderStatus::kCreating, {{"P001", 3, 2999}}, 8997, "USD", s.clock.now_ms(),
      s.clock.now_ms(), {}};
  dead.reservation_id = "O-dead";
  dead.stock_held = true;
  s.order_repo.insert(dead);
  ASSERT_TRUE(s.inventory.reserve("P001", 3, "O-dead").ok());
  s.orders.sweep();  // within the grace: left alone
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 3);
  s.clock.advance_ms(1'500);
  s.orders.sweep();
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 0);
  EXPECT_EQ(s.orders.get("O-dead").error().code, ErrorCode::kNotFound);  // internal, hidden
  EXPECT_TRUE(s.audit_ok());

  // Release failing while inventory is down: retried by a later sweep.
  ASSERT_TRUE(s.carts.add_item("u1", "P001", 2, std::nullopt).ok());
  auto o = s.orders.checkout("u1", "");
  ASSERT_TRUE(o.ok());
  s.inventory.down = true;
  ASSERT_TRUE(s.orders.cancel(o->order_id).ok());
  s.inventory.down = false;
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 2);
  s.orders.sweep();
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 0);
  EXPECT_TRUE(s.audit_ok());
}

TEST(Payments, SuccessFailureRetryAndRules) {
  Shop s;
  payment::Caller u1{"u1", false}, u2{"u2", false};
  ASSERT_TRUE(s.carts.add_item("u1", "P001", 2, std::nullopt).ok());
  auto o = s.orders.checkout("u1", "u1@example.com");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(s.payments.pay(u2, o->order_id, true).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(s.payments.pay(u1, "O-none", true).error().code, ErrorCode::kNotFound);

  auto failed = s.payments.pay(u1, o->order_id, false);
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->order.status, order::OrderStatus::kPaymentFailed);
  EXPECT_TRUE(failed->release.attempted && failed->release.success);
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 0);
  ASSERT_EQ(s.notifications.sent.size(), 1u);
  EXPECT_EQ(s.notifications.sent[0].type, notification::EmailType::kPaymentFailed);

  auto paid = s.payments.pay(u1, o->order_id, true);  // retry re-reserves
  ASSERT_TRUE(paid.ok()) << paid.error().message;
  EXPECT_EQ(paid->order.status, order::OrderStatus::kConfirmed);
  EXPECT_EQ(paid->payment.amount_minor, 5998);
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 2);
  EXPECT_EQ(s.notifications.sent.back().type, notification::EmailType::kOrderConfirmed);
  EXPECT_TRUE(s.audit_ok());

  EXPECT_EQ(s.payments.pay(u1, o->order_id, true).error().message, "Order already paid");
  EXPECT_EQ(s.payments.get(u2, paid->payment.payment_id).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(s.payments.get(u1, paid->payment.payment_id)->status, payment::PaymentStatus::kSuccess);

  // Retry when the stock is gone: 409, nothing held, still PAYMENT_FAILED.
  ASSERT_TRUE(s.carts.add_item("u1", "P002", 5, std::nullopt).ok());
  auto o2 = s.orders.checkout("u1", "");
  ASSERT_TRUE(o2.ok());
  ASSERT_TRUE(s.payments.pay(u1, o2->order_id, false).ok());
  ASSERT_TRUE(s.inventory.reserve("P002", 1, "other").ok());  // someone else takes one
  auto retry = s.payments.pay(u1, o2->order_id, true);
  ASSERT_FALSE(retry.ok());
  EXPECT_EQ(retry.error().code, ErrorCode::kConflict);
  EXPECT_EQ(s.orders.get(o2->order_id)->status, order::OrderStatus::kPaymentFailed);
  EXPECT_EQ(s.inventory.stock["P002"].reserved_qty, 1);

  // Expired orders are not payable; email failure never fails a payment.
  ASSERT_TRUE(s.carts.add_item("u1", "P001", 1, std::nullopt).ok());
  auto o3 = s.orders.checkout("u1", "u1@example.com");
  s.notifications.down = true;
  auto p3 = s.payments.pay(u1, o3->order_id, true);
  ASSERT_TRUE(p3.ok());
  EXPECT_TRUE(p3->email.attempted);
  EXPECT_FALSE(p3->email.success);
  s.notifications.down = false;
  EXPECT_EQ(s.payments.retry_failed_emails(), 1);

  ASSERT_TRUE(s.carts.add_item("u1", "P001", 1, std::nullopt).ok());
  auto o4 = s.orders.checkout("u1", "");
  s.clock.advance_ms(61'000);
  EXPECT_EQ(s.payments.pay(u1, o4->order_id, true).error().message, "Order is not payable");
}

TEST(Payments, ReconcileSettlesPaymentsADeadProcessLeftPending) {
  Shop s;
  payment::Caller u1{"u1", false};
  ASSERT_TRUE(s.carts.add_item("u1", "P001", 1, std::nullopt).ok());
  auto o1 = s.orders.checkout("u1", "u1@example.com");
  ASSERT_TRUE(s.carts.add_item("u1", "P002", 1, std::nullopt).ok());
  auto o2 = s.orders.checkout("u1", "u1@example.com");
  ASSERT_TRUE(o1.ok() && o2.ok());

  auto pending = [&](const std::string& id, const std::string& order_id, payment::PaymentStatus status) {
    payment::PaymentRecord p;
    p.payment_id = id;
    p.order_id = order_id;
    p.user_id = "u1";
    p.amount_minor = 1;
    p.currency = "USD";
    p.status = status;
    p.created_at_ms = s.clock.now_ms();
    p.email_type = "order-confirmed";
    p.email_to = "u1@example.com";
    p.email_state = payment::EmailState::kPending;
    p.state = payment::PaymentState::kPending;
    s.payment_repo.insert(p);
  };
  // Died before telling the order / died after the order took it.
  pending("PAY-1", o1->order_id, payment::PaymentStatus::kSuccess);
  pending("PAY-2", o2->order_id, payment::PaymentStatus::kFailed);
  ASSERT_TRUE(s.order_client.apply_payment(o2->order_id, false).ok());
  EXPECT_EQ(s.payments.get(u1, "PAY-1").error().code, ErrorCode::kNotFound);  // not visible while pending

  EXPECT_EQ(s.payments.reconcile_pending(10'000), 0);  // within the grace
  s.clock.advance_ms(11'000);
  EXPECT_EQ(s.payments.reconcile_pending(10'000), 2);
  EXPECT_EQ(s.orders.get(o1->order_id)->status, order::OrderStatus::kConfirmed);
  EXPECT_EQ(s.orders.get(o2->order_id)->status, order::OrderStatus::kPaymentFailed);
  EXPECT_EQ(s.payments.get(u1, "PAY-1")->status, payment::PaymentStatus::kSuccess);
  EXPECT_EQ(s.payments.retry_failed_emails(), 2);
  EXPECT_TRUE(s.audit_ok());

  // A refused payment leaves no record.
  auto again = s.payments.pay(u1, o1->order_id, true);
  EXPECT_EQ(again.error().message, "Order already paid");
  EXPECT_TRUE(s.payment_repo.stale_pending(s.clock.now_ms() + 1, 10).empty());
}

TEST(Orders, RecoveryGivesBackTheCartADeadCheckoutTook) {
  Shop s;
  ASSERT_TRUE(s.carts.add_item("u1", "P001", 2, std::nullopt).ok());
  auto cart = s.cart_client.get("u1");
  // The process died after reserving and taking the cart, before PENDING.
  order::OrderRecord dead;
  dead.info = {"O-dead2",           "u1", "",    order::OrderStatus::kCreating,
               {{"P001", 2, 2999}}, 5998, "USD", s.clock.now_ms(),
               s.clock.now_ms(),    {}};
  dead.reservation_id = "O-dead2";
  dead.stock_held = true;
  s.order_repo.insert(dead);
  ASSERT_TRUE(s.inventory.reserve("P001", 2, "O-dead2").ok());
  ASSERT_TRUE(*s.cart_client.clear_if_version("u1", cart->version, "O-dead2"));
  EXPECT_TRUE(s.carts.get("u1")->items.empty());
  s.clock.advance_ms(1'500);
  s.orders.sweep();
  auto back = s.carts.get("u1");
  ASSERT_EQ(back->items.size(), 1u);
  EXPECT_EQ(back->items[0].qty, 2);
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 0);
  EXPECT_TRUE(s.audit_ok());

  // Not when the user has written the cart since the take.
  ASSERT_TRUE(s.carts.add_item("u2", "P001", 1, std::nullopt).ok());
  auto c2 = s.cart_client.get("u2");
  ASSERT_TRUE(*s.cart_client.clear_if_version("u2", c2->version, "O-x"));
  ASSERT_TRUE(s.carts.add_item("u2", "P002", 1, std::nullopt).ok());
  EXPECT_FALSE(*s.cart_client.restore("u2", "O-x", {{"P001", 1, 2999, "USD"}}));
  EXPECT_EQ(s.carts.get("u2")->items.size(), 1u);
}

TEST(Orders, OperationsThatOutliveTheGraceReleaseWhatTheyReservedLate) {
  Shop s;
  payment::Caller u1{"u1", false};
  // Checkout: recovery aborts the order while its reserve is on the way.
  ASSERT_TRUE(s.carts.add_item("u1", "P001", 2, std::nullopt).ok());
  s.inventory.before_reserve = [&] {
    s.clock.advance_ms(2'000);
    s.orders.sweep();
  };
  auto o = s.orders.checkout("u1", "");
  EXPECT_FALSE(o.ok());
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 0);
  EXPECT_EQ(s.carts.get("u1")->items.size(), 1u);  // nothing ordered, cart kept
  EXPECT_TRUE(s.audit_ok());

  // Payment retry: recovery takes RESERVING back while a reserve is on the way.
  auto o2 = s.orders.checkout("u1", "");
  ASSERT_TRUE(o2.ok());
  ASSERT_TRUE(s.payments.pay(u1, o2->order_id, false).ok());
  s.inventory.before_reserve = [&] {
    s.clock.advance_ms(2'000);
    s.orders.sweep();
  };
  auto retry = s.payments.pay(u1, o2->order_id, true);
  EXPECT_FALSE(retry.ok());
  EXPECT_EQ(s.orders.get(o2->order_id)->status, order::OrderStatus::kPaymentFailed);
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 0);
  EXPECT_TRUE(s.audit_ok());
  // And a later retry still works.
  auto again = s.payments.pay(u1, o2->order_id, true);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(s.inventory.stock["P001"].reserved_qty, 2);
  EXPECT_TRUE(s.audit_ok());
}
