// Cart, checkout and payments over real HTTP: the original document's journey,
// object-level isolation, 50 concurrent buyers for 10 units, kill -9 during
// checkouts and payments (inventory audit after recovery), Idempotency-Key and
// expiry of unpaid orders.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "core/clock.hpp"
#include "shop_fixture.hpp"

using namespace cloudretail;
using namespace cloudretail::testing;
using namespace cloudretail::testing::shop;

namespace {

void set_stock(TestServer& s, const std::string& admin, const std::string& product, int available) {
  auto r = as(s, admin, Method::kPut, "/inventory/" + product,
              R"({"availableQty":)" + std::to_string(available) + R"(,"reservedQty":0})");
  ASSERT_EQ(r.status, 200) << r.body;
}

json::value stock(TestServer& s, const std::string& product) {
  return call(s.client(), Method::kGet, "/inventory/" + product).json;
}

bool wait_outbox_contains(TestServer& s, const std::string& needle) {
  for (int i = 0; i < 50; ++i) {
    if (outbox_text(s).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace

TEST(Commerce, OriginalJourneyRegisterBrowseCartCheckoutPay) {
  auto server = start_shop();
  TestServer& s = *server;
  Tokens user = register_and_login(s, "buyer@example.com", "Passw0rd!x");

  auto products = call(s.client(), Method::kGet, "/products?limit=5");
  ASSERT_EQ(products.status, 200);
  EXPECT_GE(products.json.at("items").as_array().size(), 2u);

  auto r = as(s, user.access_token, Method::kPost, "/cart/items", R"({"productId":"P001","qty":2,"price":29.99})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(r.json, "message"), "Item added to cart");
  r = as(s, user.access_token, Method::kPost, "/cart/items", R"({"productId":"P002","qty":1,"price":49.99})");
  ASSERT_EQ(r.status, 200) << r.body;
  r = as(s, user.access_token, Method::kGet, "/cart");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(str(r.json, "userId"), user.user_id);
  ASSERT_EQ(r.json.at("items").as_array().size(), 2u);
  EXPECT_NE(r.body.find(R"("price":29.99)"), std::string::npos) << r.body;

  r = as(s, user.access_token, Method::kPost, "/orders/checkout", R"({"email":"buyer@example.com"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json, "message"), "Checkout successful");
  const auto& order = r.json.at("order");
  EXPECT_NE(r.body.find(R"("totalAmount":109.97,)"), std::string::npos) << r.body;
  EXPECT_EQ(str(order, "status"), "PENDING");
  EXPECT_EQ(str(order, "currency"), "USD");
  EXPECT_EQ(str(order, "userEmail"), "buyer@example.com");
  EXPECT_EQ(str(order, "userId"), user.user_id);
  EXPECT_TRUE(order.as_object().contains("expiresAt"));
  EXPECT_EQ(str(order, "createdAt").size(), 24u);
  const std::string order_id = str(order, "orderId");
  EXPECT_EQ(order_id.rfind("O-", 0), 0u);
  EXPECT_EQ(order_id.size(), 38u);
  EXPECT_EQ(as(s, user.access_token, Method::kGet, "/cart").json.at("items").as_array().size(), 0u);
  EXPECT_EQ(stock(s, "P001").at("reservedQty").as_int64(), 2);

  r = as(s, user.access_token, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"SUCCESS"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json, "message"), "Payment processed");
  const auto& payment = r.json.at("payment");
  EXPECT_EQ(str(payment, "paymentId").rfind("PAY-", 0), 0u);
  EXPECT_EQ(str(payment, "provider"), "MOCK");
  EXPECT_EQ(str(payment, "status"), "SUCCESS");
  EXPECT_NE(r.body.find(R"("amount":109.97,)"), std::string::npos) << r.body;
  EXPECT_EQ(str(r.json.at("orderUpdate"), "status"), "CONFIRMED");
  EXPECT_TRUE(r.json.at("emailNotification").at("attempted").as_bool());
  EXPECT_TRUE(r.json.at("emailNotification").at("success").as_bool()) << r.body;
  EXPECT_FALSE(r.json.at("inventoryRelease").at("attempted").as_bool());
  const std::string payment_id = str(payment, "paymentId");

  EXPECT_TRUE(wait_outbox_contains(s, order_id)) << "order-confirmed email not in the outbox";

  r = as(s, user.access_token, Method::kGet, "/orders");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.json.at("count").as_int64(), 1);
  EXPECT_EQ(str(r.json.at("items").at(0), "status"), "CONFIRMED");
  EXPECT_FALSE(r.json.at("items").at(0).as_object().contains("expiresAt"));
  r = as(s, user.access_token, Method::kGet, "/orders/" + order_id);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(str(r.json, "status"), "CONFIRMED");
  r = as(s, user.access_token, Method::kGet, "/payments/" + payment_id);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(str(r.json, "orderId"), order_id);

  // Paying again: 409; unknown ids: 404.
  r = as(s, user.access_token, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"SUCCESS"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(str(r.json, "message"), "Order already paid");
  EXPECT_EQ(as(s, user.access_token, Method::kGet, "/payments/PAY-nope").status, 404);
  EXPECT_EQ(as(s, user.access_token, Method::kGet, "/orders/O-nope").status, 404);
  r = as(s, user.access_token, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"MAYBE"})");
  EXPECT_EQ(r.status, 400);

  Tokens admin = login_admin(s);
  r = as(s, admin.access_token, Method::kGet, "/admin/inventory-audit");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.json.at("ok").as_bool()) << r.body;
  EXPECT_GE(r.json.at("checked").as_int64(), 2);
  EXPECT_EQ(as(s, user.access_token, Method::kGet, "/admin/inventory-audit").status, 403);

  auto metrics = call(s.client(), Method::kGet, "/metrics", "", service_token());
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("cloudretail_orders_created_total 1"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("cloudretail_payments_total 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("cloudretail_stock_outs_total"), std::string::npos);
}

TEST(Commerce, CartRulesAndFailedPaymentRetry) {
  auto server = start_shop();
  TestServer& s = *server;
  Tokens admin = login_admin(s);
  const std::string t = admin.access_token;
  const std::string u = "?userId=cart-rules-user";  // admin acts for a user

  auto r = as(s, t, Method::kPost, "/cart/items" + u, R"({"productId":"P001","qty":1,"price":19.99})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(str(r.json, "message"), "Price changed");
  EXPECT_NE(r.body.find(R"("price":29.99)"), std::string::npos) << r.body;
  r = as(s, t, Method::kPost, "/cart/items" + u, R"({"productId":"NOPE","qty":1})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(str(r.json, "message"), "Product not found");
  r = as(s, t, Method::kPost, "/cart/items" + u, R"({"productId":"P001","qty":0})");
  EXPECT_EQ(r.status, 400);
  r = as(s, t, Method::kPost, "/cart/items" + u, R"({"productId":"P001","qty":1.5})");
  EXPECT_EQ(r.status, 400);
  r = as(s, t, Method::kPost, "/cart/items" + u, "{bad json");
  EXPECT_EQ(r.status, 400);
  r = as(s, t, Method::kPost, "/cart/items" + u, R"({"productId":"P001","qty":101})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(str(r.json, "message"), "Out of stock");
  EXPECT_EQ(r.json.at("availableQty").as_int64(), 100);
  EXPECT_EQ(r.json.at("requestedQty").as_int64(), 101);
  EXPECT_EQ(as(s, t, Method::kPut, "/cart/items/P001" + u, R"({"qty":2})").status, 404);
  EXPECT_EQ(as(s, t, Method::kDelete, "/cart/items/P001" + u).status, 404);
  ASSERT_EQ(as(s, t, Method::kPost, "/cart/items" + u, R"({"productId":"P001","qty":3})").status, 200);
  r = as(s, t, Method::kPut, "/cart/items/P001" + u, R"({"qty":2})");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(str(r.json, "message"), "Cart item updated");
  EXPECT_EQ(r.json.at("cart").at("items").at(0).at("qty").as_int64(), 2);
  EXPECT_EQ(as(s, t, Method::kPost, "/orders/checkout" + u, R"({"email":42})").status, 400);

  // The internal cart view for checkout in a split deployment (service token or admin).
  r = call(s.client(), Method::kGet, "/internal/cart/cart-rules-user", "", service_token());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("items").at(0).at("qty").as_int64(), 2);
  EXPECT_NE(r.body.find(R"("price":29.99)"), std::string::npos);
  const int64_t version = r.json.at("version").as_int64();
  EXPECT_EQ(call(s.client(), Method::kGet, "/internal/cart/cart-rules-user").status, 401);
  r = call(s.client(), Method::kPost, "/internal/cart/cart-rules-user/clear",
           R"({"version":)" + std::to_string(version - 1) + "}", service_token());
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(r.json.at("cleared").as_bool());  // stale version: the cart stays
  EXPECT_EQ(as(s, t, Method::kGet, "/cart" + u).json.at("items").as_array().size(), 1u);

  r = as(s, t, Method::kPost, "/orders/checkout" + u, R"({"email":"rules@example.com"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string order_id = str(r.json.at("order"), "orderId");
  EXPECT_EQ(as(s, t, Method::kPost, "/orders/checkout" + u, "{}").status, 400);  // Cart is empty

  r = as(s, t, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"FAILED"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json.at("orderUpdate"), "status"), "PAYMENT_FAILED");
  EXPECT_TRUE(r.json.at("inventoryRelease").at("attempted").as_bool());
  EXPECT_EQ(stock(s, "P001").at("reservedQty").as_int64(), 0);
  EXPECT_TRUE(wait_outbox_contains(s, "rules@example.com"));

  r = as(s, t, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"SUCCESS"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json.at("orderUpdate"), "status"), "CONFIRMED");
  EXPECT_EQ(stock(s, "P001").at("reservedQty").as_int64(), 2);
  EXPECT_EQ(as(s, t, Method::kPost, "/orders/" + order_id + "/cancel").status, 409);

  // Cancel a PENDING order: stock comes back.
  ASSERT_EQ(as(s, t, Method::kPost, "/cart/items" + u, R"({"productId":"P002","qty":4})").status, 200);
  r = as(s, t, Method::kPost, "/orders/checkout" + u, "{}");
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(stock(s, "P002").at("reservedQty").as_int64(), 4);
  r = as(s, t, Method::kPost, "/orders/" + str(r.json.at("order"), "orderId") + "/cancel");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(r.json.at("order"), "status"), "CANCELLED");
  EXPECT_EQ(stock(s, "P002").at("reservedQty").as_int64(), 0);
  r = as(s, t, Method::kGet, "/orders" + u + "&limit=1");
  ASSERT_EQ(r.status, 200);
  ASSERT_TRUE(r.json.as_object().contains("nextToken"));
  r = as(s, t, Method::kGet, "/orders" + u + "&limit=1&nextToken=" + str(r.json, "nextToken"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(str(r.json.at("items").at(0), "orderId"), order_id);
  // The list rule: limit outside 1..100 is 400, never silently clamped.
  for (const char* bad : {"&limit=101", "&limit=0", "&limit=x"})
    EXPECT_EQ(as(s, t, Method::kGet, "/orders" + u + bad).status, 400) << bad;
  EXPECT_TRUE(wait_audit_ok(s, t).json.at("ok").as_bool());
}

TEST(Commerce, UserBCannotTouchUserAsCartOrdersOrPayments) {
  auto server = start_shop();
  TestServer& s = *server;
  Tokens a, b;
  std::thread ta([&] { a = register_and_login(s, "alice@example.com", "Passw0rd!a"); });
  std::thread tb([&] { b = register_and_login(s, "bob@example.com", "Passw0rd!b"); });
  ta.join();
  tb.join();
  ASSERT_EQ(as(s, a.access_token, Method::kPost, "/cart/items", R"({"productId":"P001","qty":1})").status, 200);
  auto r = as(s, a.access_token, Method::kPost, "/orders/checkout", R"({"email":"alice@example.com"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string order_id = str(r.json.at("order"), "orderId");
  r = as(s, a.access_token, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"SUCCESS"})");
  ASSERT_EQ(r.status, 201);
  const std::string payment_id = str(r.json.at("payment"), "paymentId");
  ASSERT_EQ(as(s, a.access_token, Method::kPost, "/cart/items", R"({"productId":"P002","qty":1})").status, 200);

  const std::string qa = "?userId=" + a.user_id;
  const std::string& bt = b.access_token;
  EXPECT_EQ(as(s, bt, Method::kGet, "/cart" + qa).status, 403);
  EXPECT_EQ(as(s, bt, Method::kPost, "/cart/items" + qa, R"({"productId":"P001","qty":1})").status, 403);
  EXPECT_EQ(as(s, bt, Method::kPut, "/cart/items/P002" + qa, R"({"qty":2})").status, 403);
  EXPECT_EQ(as(s, bt, Method::kDelete, "/cart/items/P002" + qa).status, 403);
  EXPECT_EQ(as(s, bt, Method::kDelete, "/cart" + qa).status, 403);
  EXPECT_EQ(as(s, bt, Method::kPost, "/orders/checkout" + qa, "{}").status, 403);
  EXPECT_EQ(as(s, bt, Method::kGet, "/orders" + qa).status, 403);
  r = as(s, bt, Method::kGet, "/orders/" + order_id);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body.find("alice"), std::string::npos);
  EXPECT_EQ(as(s, bt, Method::kPost, "/orders/" + order_id + "/cancel").status, 403);
  r = as(s, bt, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"SUCCESS"})");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(as(s, bt, Method::kGet, "/payments/" + payment_id).status, 403);
  EXPECT_EQ(call(s.client(), Method::kGet, "/cart").status, 401);
  EXPECT_EQ(as(s, bt, Method::kGet, "/internal/cart/" + a.user_id).status, 403);
  EXPECT_EQ(as(s, bt, Method::kPost, "/internal/cart/" + a.user_id + "/clear", R"({"version":1})").status, 403);
  // B's own views stay empty, A's cart is untouched.
  EXPECT_EQ(as(s, bt, Method::kGet, "/orders").json.at("count").as_int64(), 0);
  EXPECT_EQ(as(s, a.access_token, Method::kGet, "/cart").json.at("items").as_array().size(), 1u);
}

TEST(Commerce, FiftyConcurrentBuyersForTenUnits) {
  auto server = start_shop();
  TestServer& s = *server;
  Tokens admin = login_admin(s);
  set_stock(s, admin.access_token, "P003", 10);
  constexpr int kBuyers = 50;
  // Each buyer is a distinct user id; the admin acts for them (?userId=), which
  // keeps Argon2 logins out of a test about stock.
  for (int i = 0; i < kBuyers; ++i) {
    auto r = as(s, admin.access_token, Method::kPost, "/cart/items?userId=buyer-" + std::to_string(i),
                R"({"productId":"P003","qty":1})");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  std::atomic<int> created{0}, out_of_stock{0}, other{0};
  std::mutex mu;
  std::string others;
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < kBuyers; ++i)
    threads.emplace_back([&, i] {
      http::HttpClient client(s.base_url());
      auto r =
          as(client, admin.access_token, Method::kPost, "/orders/checkout?userId=buyer-" + std::to_string(i), "{}");
      if (r.status == 201) {
        ++created;
      } else if (r.status == 409 && r.json.is_object() &&
                 r.json.at("message").as_string() == "Checkout failed: Out of stock for P003" &&
                 r.json.at("rollback").at("released").as_array().empty()) {
        ++out_of_stock;
      } else {
        ++other;
        std::lock_guard l(mu);
        others += std::to_string(r.status) + " " + r.body + "\n";
      }
    });
  for (auto& t : threads) t.join();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "[ measured ] 50 concurrent checkouts in " << ms << " ms\n";
  EXPECT_EQ(created.load(), 10);
  EXPECT_EQ(out_of_stock.load(), 40);
  EXPECT_EQ(other.load(), 0) << others;
  auto level = stock(s, "P003");
  EXPECT_EQ(level.at("availableQty").as_int64(), 0);
  EXPECT_EQ(level.at("reservedQty").as_int64(), 10);
  auto audit = as(s, admin.access_token, Method::kGet, "/admin/inventory-audit");
  EXPECT_TRUE(audit.json.at("ok").as_bool()) << audit.body;
}

TEST(Commerce, ConcurrentCheckoutsOfOneCartMakeOneOrder) {
  auto server = start_shop();
  TestServer& s = *server;
  const std::string t = login_admin(s).access_token;
  const std::string u = "?userId=double-clicker";
  ASSERT_EQ(as(s, t, Method::kPost, "/cart/items" + u, R"({"productId":"P005","qty":2})").status, 200);
  std::atomic<int> created{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      http::HttpClient client(s.base_url());
      auto r = as(client, t, Method::kPost, "/orders/checkout" + u, "{}");
      if (r.status == 201)
        ++created;
      else if (r.status == 409 || r.status == 400)  // CartChanged, or Cart is empty once taken
        ++refused;
      else
        ++other;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), 7);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(as(s, t, Method::kGet, "/orders" + u).json.at("count").as_int64(), 1);
  EXPECT_EQ(stock(s, "P005").at("reservedQty").as_int64(), 2);
  EXPECT_TRUE(wait_audit_ok(s, t).json.at("ok").as_bool());
}

TEST(Commerce, InventoryInvariantHoldsAfterKillNineDuringCheckoutsAndPayments) {
  auto server = start_shop({{"CHECKOUT_RECOVERY_GRACE_MS", "300"}});
  TestServer& s = *server;
  const std::string admin = login_admin(s).access_token;  // the signing key persists across restarts
  for (int round = 0; round < 3; ++round) {
    constexpr int kUsers = 12;
    // Fresh products each round (seeded with 100 each), so stock never runs dry.
    const std::string pa = "P00" + std::to_string(1 + 2 * round), pb = "P00" + std::to_string(2 + 2 * round);
    std::atomic<int> checkouts{0}, payments{0};
    std::vector<std::thread> threads;
    // Each buyer loops cart -> checkout -> pay (a third FAILED then retried)
    // until the server dies under it, so the kill lands mid-flight.
    for (int i = 0; i < kUsers; ++i)
      threads.emplace_back([&, i] {
        http::HttpClient client(s.base_url());
        std::string u = "?userId=crash-" + std::to_string(round) + "-" + std::to_string(i);
        for (int n = 0;; ++n) {
          if (as(client, admin, Method::kPost, "/cart/items" + u, R"({"productId":")" + pa + R"(","qty":1})").status ==
              0)
            return;
          if (as(client, admin, Method::kPost, "/cart/items" + u, R"({"productId":")" + pb + R"(","qty":2})").status ==
              0)
            return;
          auto r = as(client, admin, Method::kPost, "/orders/checkout" + u, "{}");
          if (r.status == 0) return;
          if (r.status != 201) continue;  // e.g. stock ran out: keep going
          ++checkouts;
          std::string id = str(r.json.at("order"), "orderId");
          const char* outcome = (i + n) % 3 == 0 ? "FAILED" : "SUCCESS";
          r = as(client, admin, Method::kPost, "/payments",
                 R"({"orderId":")" + id + R"(","status":")" + outcome + R"("})");
          if (r.status == 0) return;
          ++payments;
          if ((i + n) % 3 == 0 &&
              as(client, admin, Method::kPost, "/payments", R"({"orderId":")" + id + R"(","status":"SUCCESS"})")
                      .status == 0)
            return;
        }
      });
    // Kill once some orders exist (however loaded the machine), at a varying point.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (checkouts.load() < 4 + 4 * round && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(37 * round));
    EXPECT_EQ(s.stop(9), 128 + 9);
    for (auto& t : threads) t.join();
    s.restart();
    auto first = as(s, admin, Method::kGet, "/admin/inventory-audit");
    auto audit = wait_audit_ok(s, admin);
    std::cout << "[ measured ] round " << round << ": " << checkouts.load() << " checkouts, " << payments.load()
              << " payments before kill -9; first audit after restart ok="
              << (first.json.is_object() ? json::serialize(first.json.at("ok")) : "?") << "\n";
    EXPECT_GT(checkouts.load(), 0) << "nothing was ordered before the kill";
    EXPECT_EQ(audit.status, 200);
    EXPECT_TRUE(audit.json.is_object() && audit.json.at("ok").as_bool()) << "round " << round << ": " << audit.body;
    // Stock only moved between available and reserved.
    for (const auto& p : {pa, pb}) {
      auto level = stock(s, p);
      EXPECT_EQ(level.at("availableQty").as_int64() + level.at("reservedQty").as_int64(), 100) << p;
    }
    // No order is left half-made: every visible one is in a public state.
    auto orders = as(s, admin, Method::kGet, "/orders?userId=crash-" + std::to_string(round) + "-1");
    ASSERT_EQ(orders.status, 200);
  }
}

TEST(Commerce, RepeatedIdempotencyKeyMakesOneOrderAndOnePayment) {
  auto server = start_shop();
  TestServer& s = *server;
  const std::string t = login_admin(s).access_token;
  const std::string u = "?userId=idem-user";
  ASSERT_EQ(as(s, t, Method::kPost, "/cart/items" + u, R"({"productId":"P001","qty":2})").status, 200);
  Headers key{{"Idempotency-Key", "checkout-key-1"}};
  auto first = as(s, t, Method::kPost, "/orders/checkout" + u, R"({"email":"idem@example.com"})", key);
  ASSERT_EQ(first.status, 201) << first.body;
  auto second = as(s, t, Method::kPost, "/orders/checkout" + u, R"({"email":"idem@example.com"})", key);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(first.body, second.body);
  auto other = as(s, t, Method::kPost, "/orders/checkout" + u, R"({"email":"other@example.com"})", key);
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(str(other.json, "error"), "IdempotencyKeyMismatch");
  const std::string order_id = str(first.json.at("order"), "orderId");

  Headers pkey{{"Idempotency-Key", "pay-key-1"}};
  const std::string body = R"({"orderId":")" + order_id + R"(","status":"SUCCESS"})";
  auto p1 = as(s, t, Method::kPost, "/payments", body, pkey);
  ASSERT_EQ(p1.status, 201) << p1.body;
  auto p2 = as(s, t, Method::kPost, "/payments", body, pkey);
  ASSERT_EQ(p2.status, 201) << p2.body;
  EXPECT_EQ(str(p1.json.at("payment"), "paymentId"), str(p2.json.at("payment"), "paymentId"));
  EXPECT_EQ(as(s, t, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"FAILED"})", pkey).status,
            422);

  // Concurrent repeats of a fresh key: one runs, the others replay or see it in use.
  ASSERT_EQ(as(s, t, Method::kPost, "/cart/items" + u, R"({"productId":"P002","qty":1})").status, 200);
  std::atomic<int> created{0}, in_use{0}, bad{0};
  std::set<std::string> order_ids;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] {
      http::HttpClient client(s.base_url());
      auto r = as(client, t, Method::kPost, "/orders/checkout" + u, "{}", {{"Idempotency-Key", "checkout-key-2"}});
      if (r.status == 201) {
        ++created;
        std::lock_guard l(mu);
        order_ids.insert(str(r.json.at("order"), "orderId"));
      } else if (r.status == 409 && str(r.json, "error") == "IdempotencyKeyInUse") {
        ++in_use;
      } else {
        ++bad;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(order_ids.size(), 1u);
  EXPECT_EQ(created.load() + in_use.load(), 6);

  auto list = as(s, t, Method::kGet, "/orders" + u);
  EXPECT_EQ(list.json.at("count").as_int64(), 2);
  EXPECT_EQ(stock(s, "P001").at("reservedQty").as_int64(), 2);
  EXPECT_TRUE(wait_audit_ok(s, t).json.at("ok").as_bool());
}

TEST(Commerce, UnpaidOrderExpiresAndStockComesBack) {
  auto server = start_shop({{"ORDER_PENDING_TTL_SECONDS", "1"}});
  TestServer& s = *server;
  const std::string t = login_admin(s).access_token;
  const std::string u = "?userId=slow-payer";
  ASSERT_EQ(as(s, t, Method::kPost, "/cart/items" + u, R"({"productId":"P004","qty":3})").status, 200);
  auto r = as(s, t, Method::kPost, "/orders/checkout" + u, "{}");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string order_id = str(r.json.at("order"), "orderId");
  auto created = parse_timestamp(str(r.json.at("order"), "createdAt"));
  auto expires = parse_timestamp(str(r.json.at("order"), "expiresAt"));
  ASSERT_TRUE(created && expires);
  EXPECT_EQ(*expires - *created, 1000);
  // Held while PENDING (unless a loaded machine already let it expire).
  auto level = stock(s, "P004");
  auto now = as(s, t, Method::kGet, "/orders/" + order_id);
  if (str(now.json, "status") == "PENDING") {
    EXPECT_EQ(level.at("reservedQty").as_int64(), 3);
  }
  std::string status;
  for (int i = 0; i < 100 && status != "EXPIRED"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = str(as(s, t, Method::kGet, "/orders/" + order_id).json, "status");
  }
  EXPECT_EQ(status, "EXPIRED");
  level = stock(s, "P004");
  EXPECT_EQ(level.at("reservedQty").as_int64(), 0) << json::serialize(level);
  EXPECT_EQ(level.at("availableQty").as_int64(), 100);
  r = as(s, t, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"SUCCESS"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(str(r.json, "message"), "Order is not payable");
  auto audit = wait_audit_ok(s, t);
  EXPECT_TRUE(audit.json.at("ok").as_bool()) << audit.body;
}

namespace {
/// How many outbox messages mention `needle` (an order id appears only in that order's mails).
int mails_mentioning(TestServer& s, const std::string& needle) {
  int n = 0;
  std::error_code ec;
  for (auto& f : std::filesystem::directory_iterator(s.data_dir() + "/outbox", ec)) {
    std::ifstream in(f.path());
    std::stringstream ss;
    ss << in.rdbuf();
    if (ss.str().find(needle) != std::string::npos) ++n;
  }
  return n;
}
}  // namespace

// Issue 15 defect 4: checkout mails the account's own address (the token's email),
// a body naming another address is refused, no body works, and one order can be
// tried at most 5 times and mail at most one payment-failed email.
TEST(Commerce, OrderEmailsGoToTheAccountAndPaymentAttemptsAreCapped) {
  auto server = start_shop();
  TestServer& s = *server;
  Tokens user = register_and_login(s, "Owner@Example.com", "Passw0rd!o");
  EXPECT_EQ(jwt_claims(user.access_token).at("email").as_string(), "owner@example.com");
  const std::string& t = user.access_token;

  ASSERT_EQ(as(s, t, Method::kPost, "/cart/items", R"({"productId":"P001","qty":1})").status, 200);
  auto r = as(s, t, Method::kPost, "/orders/checkout", R"({"email":"victim@example.com"})");
  ASSERT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(str(r.json, "error"), "EmailMismatch");
  EXPECT_EQ(str(r.json, "message"), "Order emails go to the account's address");
  EXPECT_EQ(as(s, t, Method::kGet, "/cart").json.at("items").as_array().size(), 1u);  // refused: cart kept

  // No body at all: the order still carries the account's address and is mailed when paid.
  r = as(s, t, Method::kPost, "/orders/checkout");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json.at("order"), "userEmail"), "owner@example.com");
  const std::string paid = str(r.json.at("order"), "orderId");
  r = as(s, t, Method::kPost, "/payments", R"({"orderId":")" + paid + R"(","status":"SUCCESS"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json.at("emailNotification").at("response"), "toEmail"), "owner@example.com");
  EXPECT_TRUE(wait_outbox_contains(s, paid));

  // The same address in another case is the same account.
  ASSERT_EQ(as(s, t, Method::kPost, "/cart/items", R"({"productId":"P002","qty":1})").status, 200);
  r = as(s, t, Method::kPost, "/orders/checkout", R"({"email":"OWNER@example.COM"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json.at("order"), "userEmail"), "owner@example.com");
  const std::string order_id = str(r.json.at("order"), "orderId");
  const std::string failed = R"({"orderId":")" + order_id + R"(","status":"FAILED"})";

  // Attempt 1 fails the payment and mails once; attempts 2-5 change nothing and mail nothing.
  r = as(s, t, Method::kPost, "/payments", failed);
  ASSERT_EQ(r.status, 201) << r.body;
  for (int i = 2; i <= 5; ++i) {
    r = as(s, t, Method::kPost, "/payments", failed);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(str(r.json, "message"), "Order is not payable");
  }
  // Refused before counting: bad status (400), no token (401), someone else's order (403).
  EXPECT_EQ(as(s, t, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"MAYBE"})").status, 400);
  EXPECT_EQ(call(s.client(), Method::kPost, "/payments", failed).status, 401);
  Tokens other = register_and_login(s, "other@example.com", "Passw0rd!x");
  EXPECT_EQ(as(s, other.access_token, Method::kPost, "/payments", failed).status, 403);
  // The sixth counted attempt is refused whatever it asks, even a payment that would succeed.
  for (const char* st : {"SUCCESS", "FAILED"}) {
    r = as(s, t, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":")" + st + R"("})");
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(str(r.json, "error"), "TooManyPaymentAttempts");
    EXPECT_EQ(str(r.json, "message"), "Too many payment attempts");
  }
  EXPECT_EQ(str(as(s, t, Method::kGet, "/orders/" + order_id).json, "status"), "PAYMENT_FAILED");
  ASSERT_TRUE(wait_outbox_contains(s, order_id));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // any stray second email would land by now
  EXPECT_EQ(mails_mentioning(s, order_id), 1);  // the order never paid: only payment-failed mails name it
  EXPECT_EQ(outbox_text(s).find("victim@example.com"), std::string::npos);
}

namespace {
/// SQLite write transactions acknowledged so far (the group-commit counter); -1 when the
/// metric is missing, 0 on PostgreSQL (its server groups commits itself).
int64_t committed_transactions(TestServer& s) {
  auto m = call(s.client(), Method::kGet, "/metrics", "", service_token());
  const std::string name = "cloudretail_db_committed_transactions_total ";
  size_t at = m.body.find("\n" + name);
  if (at == std::string::npos) return -1;
  return std::stoll(m.body.substr(at + 1 + name.size()));
}
}  // namespace

// Issue 13: with every service on one database, a checkout is one commit and a payment,
// its email included, two (the payment's transaction, then the email's "sent" mark).
// Background work can only add commits, so the fewest seen over three orders is the cost.
TEST(Commerce, ACheckoutCommitsOnceAndAPaymentWithItsEmailTwice) {
  auto server = start_shop();
  TestServer& s = *server;
  Tokens user = register_and_login(s, "commits@example.com", "Passw0rd!c");
  const std::string& t = user.access_token;
  if (committed_transactions(s) <= 0) GTEST_SKIP() << "no group-commit counter (PostgreSQL)";
  int64_t checkout_commits = 1 << 20, payment_commits = 1 << 20;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(as(s, t, Method::kPost, "/cart/items", R"({"productId":"P001","qty":1})").status, 200);
    const int64_t before_checkout = committed_transactions(s);
    auto r = as(s, t, Method::kPost, "/orders/checkout");
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string order_id = str(r.json.at("order"), "orderId");
    const int64_t before_payment = committed_transactions(s);
    r = as(s, t, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"SUCCESS"})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(str(r.json.at("emailNotification").at("response"), "message"), "Notification sent") << r.body;
    ASSERT_TRUE(wait_outbox_contains(s, order_id));
    checkout_commits = std::min(checkout_commits, before_payment - before_checkout);
    payment_commits = std::min(payment_commits, committed_transactions(s) - before_payment);
  }
  EXPECT_EQ(checkout_commits, 1);
  EXPECT_EQ(payment_commits, 2);
}
