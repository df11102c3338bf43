// Running a shop, order side, over real HTTP: ship and refund from every state
// (allowed and 409), stock and the inventory audit after each, the refund payment
// readable at GET /payments/{id}, the shipped and refunded emails parsed from the
// outbox, the admin order list, and races (ship against refund, cancel against
// payment) that must end in one consistent state with the audit ok.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "parse_eml.hpp"
#include "shop_fixture.hpp"

using namespace cloudretail;
using namespace cloudretail::testing;
using namespace cloudretail::testing::shop;

namespace {

constexpr const char* kBuyerEmail = "buyer@example.com";

class ShopOrdersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = start_shop().release();
    admin_ = new std::string(login_admin(*server_).access_token);
    buyer_ = new Tokens(register_and_login(*server_, kBuyerEmail, "Passw0rd!x"));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete admin_;
    delete buyer_;
  }
  static Reply admin(Method m, const std::string& target, const std::string& body = "") {
    return as(*server_, *admin_, m, target, body);
  }
  static Reply buyer(Method m, const std::string& target, const std::string& body = "") {
    return as(*server_, buyer_->access_token, m, target, body);
  }
  /// A PENDING order of qty units of `product` for the buyer.
  static std::string place_order(const std::string& product, int qty) {
    auto r =
        buyer(Method::kPost, "/cart/items", R"({"productId":")" + product + R"(","qty":)" + std::to_string(qty) + "}");
    EXPECT_EQ(r.status, 200) << r.body;
    r = buyer(Method::kPost, "/orders/checkout", std::string(R"({"email":")") + kBuyerEmail + "\"}");
    EXPECT_EQ(r.status, 201) << r.body;
    return str(r.json.at("order"), "orderId");
  }
  static Reply pay(const std::string& order_id, const char* status = "SUCCESS") {
    return buyer(Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":")" + status + "\"}");
  }
  static std::string confirmed_order(const std::string& product, int qty) {
    auto id = place_order(product, qty);
    auto r = pay(id);
    EXPECT_EQ(r.status, 201) << r.body;
    return id;
  }
  static std::pair<int64_t, int64_t> stock(const std::string& product) {
    auto r = call(server_->client(), Method::kGet, "/inventory/" + product);
    return {r.json.at("availableQty").as_int64(), r.json.at("reservedQty").as_int64()};
  }
  static TestServer* server_;
  static std::string* admin_;
  static Tokens* buyer_;
};
TestServer* ShopOrdersTest::server_ = nullptr;
std::string* ShopOrdersTest::admin_ = nullptr;
Tokens* ShopOrdersTest::buyer_ = nullptr;

/// The outbox messages naming `needle`, parsed by Python's email package
/// (tests/support/parse_eml.py).
std::vector<json::object> parsed_outbox(TestServer& s, const std::string& needle) {
  std::vector<json::object> out;
  std::error_code ec;
  for (auto& f : std::filesystem::directory_iterator(s.data_dir() + "/outbox", ec)) {
    std::ifstream in(f.path());
    std::stringstream raw;
    raw << in.rdbuf();
    if (raw.str().find(needle) == std::string::npos) continue;
    out.push_back(parse_eml(f.path().string()));
  }
  return out;
}

/// The parsed message whose subject holds both strings, waiting up to 10 s.
std::optional<json::object> wait_email(TestServer& s, const std::string& a, const std::string& b) {
  for (int i = 0; i < 50; ++i) {
    for (auto& m : parsed_outbox(s, b)) {
      std::string subject(m.at("subject").as_string());
      if (subject.find(a) != std::string::npos && subject.find(b) != std::string::npos) return m;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return std::nullopt;
}

}  // namespace

TEST_F(ShopOrdersTest, ShipThenRefundAfterShippingKeepsStockGoneAndRecordsTheRefund) {
  auto [avail0, reserved0] = stock("P004");
  const std::string id = confirmed_order("P004", 2);  // 2 x 129.99
  EXPECT_EQ(stock("P004"), std::make_pair(avail0 - 2, reserved0 + 2));

  auto r = admin(Method::kPost, "/orders/" + id + "/ship", R"({"trackingNumber":"TRK-<42>"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(msg(r), "Order shipped");
  const auto& order = r.json.at("order");
  EXPECT_EQ(str(order, "status"), "SHIPPED");
  EXPECT_EQ(str(order, "trackingNumber"), "TRK-<42>");
  EXPECT_EQ(str(order, "shippedAt").size(), 24u);
  // The units left reservedQty for good; availableQty did not move.
  EXPECT_EQ(stock("P004"), std::make_pair(avail0 - 2, reserved0));
  EXPECT_TRUE(wait_audit_ok(*server_, *admin_).json.at("ok").as_bool());

  r = admin(Method::kPost, "/orders/" + id + "/ship");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(msg(r), "Order cannot be shipped");

  // Refund after shipping: stock unchanged, refund payment recorded.
  r = admin(Method::kPost, "/orders/" + id + "/refund");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(msg(r), "Order refunded");
  EXPECT_EQ(str(r.json.at("order"), "status"), "REFUNDED");
  EXPECT_TRUE(r.json.at("order").as_object().contains("shippedAt"));
  EXPECT_TRUE(r.json.at("order").as_object().contains("refundedAt"));
  EXPECT_EQ(stock("P004"), std::make_pair(avail0 - 2, reserved0));
  const auto& refund = r.json.at("refund");
  EXPECT_EQ(str(refund, "status"), "REFUNDED");
  EXPECT_NE(r.body.find(R"("amount":-259.98)"), std::string::npos) << r.body;
  const std::string payment_id = str(refund, "paymentId");
  EXPECT_EQ(payment_id.rfind("PAY-", 0), 0u);

  // The buyer reads the refund payment; another user cannot.
  auto p = buyer(Method::kGet, "/payments/" + payment_id);
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(str(p.json, "status"), "REFUNDED");
  EXPECT_EQ(str(p.json, "orderId"), id);
  EXPECT_NE(p.body.find(R"("amount":-259.98)"), std::string::npos) << p.body;
  Tokens other = register_and_login(*server_, "other-buyer@example.com", "Passw0rd!x");
  EXPECT_EQ(as(*server_, other.access_token, Method::kGet, "/payments/" + payment_id).status, 403);

  r = admin(Method::kPost, "/orders/" + id + "/refund");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(msg(r), "Order cannot be refunded");
  EXPECT_EQ(admin(Method::kPost, "/orders/" + id + "/ship").status, 409);
  EXPECT_EQ(buyer(Method::kGet, "/orders/" + id).json.at("status").as_string(), "REFUNDED");
  EXPECT_TRUE(wait_audit_ok(*server_, *admin_).json.at("ok").as_bool());

  // Both emails, HTML and text, to the buyer; the tracking number escaped in HTML.
  auto shipped = wait_email(*server_, "Order Shipped", id);
  ASSERT_TRUE(shipped) << "no order-shipped email";
  EXPECT_EQ(std::string(shipped->at("to").as_string()), kBuyerEmail);
  EXPECT_NE(std::string(shipped->at("text").as_string()).find("Tracking number: TRK-<42>"), std::string::npos);
  EXPECT_NE(std::string(shipped->at("html").as_string()).find("TRK-&lt;42&gt;"), std::string::npos);
  EXPECT_TRUE(shipped->at("defects").as_array().empty());
  auto refunded = wait_email(*server_, "Order Refunded", id);
  ASSERT_TRUE(refunded) << "no order-refunded email";
  EXPECT_NE(std::string(refunded->at("text").as_string()).find("Refund: 259.98 USD"), std::string::npos)
      << refunded->at("text");
  EXPECT_NE(std::string(refunded->at("html").as_string()).find("259.98 USD"), std::string::npos);
}

TEST_F(ShopOrdersTest, RefundBeforeShippingPutsTheStockBack) {
  auto before = stock("P005");
  const std::string id = confirmed_order("P005", 3);
  auto r = admin(Method::kPost, "/orders/" + id + "/refund");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(r.json.at("order"), "status"), "REFUNDED");
  EXPECT_FALSE(r.json.at("order").as_object().contains("shippedAt"));
  EXPECT_NE(r.body.find(R"("amount":-659.97)"), std::string::npos) << r.body;
  EXPECT_EQ(stock("P005"), before);
  r = admin(Method::kPost, "/orders/" + id + "/ship");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(msg(r), "Order cannot be shipped");
  // A paid-and-refunded order is not paid again.
  EXPECT_EQ(pay(id).status, 409);
  EXPECT_TRUE(wait_audit_ok(*server_, *admin_).json.at("ok").as_bool());
}

TEST_F(ShopOrdersTest, UnpaidFailedAndCancelledOrdersCanBeNeitherShippedNorRefunded) {
  const std::string pending = place_order("P006", 1);
  const std::string failed = place_order("P006", 1);
  ASSERT_EQ(pay(failed, "FAILED").status, 201);
  const std::string cancelled = place_order("P006", 1);
  ASSERT_EQ(buyer(Method::kPost, "/orders/" + cancelled + "/cancel").status, 200);
  auto before = stock("P006");
  for (const auto& id : {pending, failed, cancelled}) {
    auto r = admin(Method::kPost, "/orders/" + id + "/ship");
    EXPECT_EQ(r.status, 409) << id << " " << r.body;
    EXPECT_EQ(msg(r), "Order cannot be shipped");
    r = admin(Method::kPost, "/orders/" + id + "/refund");
    EXPECT_EQ(r.status, 409) << id << " " << r.body;
    EXPECT_EQ(msg(r), "Order cannot be refunded");
  }
  EXPECT_EQ(stock("P006"), before);
  EXPECT_EQ(admin(Method::kPost, "/orders/O-00000000-0000-4000-8000-000000000000/ship").status, 404);
  EXPECT_EQ(admin(Method::kPost, "/orders/O-00000000-0000-4000-8000-000000000000/refund").status, 404);
  // Only admins ship and refund; a bad tracking number is a 400.
  EXPECT_EQ(buyer(Method::kPost, "/orders/" + pending + "/ship").status, 403);
  EXPECT_EQ(buyer(Method::kPost, "/orders/" + pending + "/refund").status, 403);
  EXPECT_EQ(admin(Method::kPost, "/orders/" + pending + "/ship", R"({"trackingNumber":5})").status, 400);
  EXPECT_EQ(admin(Method::kPost, "/orders/" + pending + "/ship", "{oops").status, 400);
  EXPECT_TRUE(wait_audit_ok(*server_, *admin_).json.at("ok").as_bool());
}

TEST_F(ShopOrdersTest, AdminListsEveryUsersOrdersNewestFirstByStatus) {
  Tokens second = register_and_login(*server_, "second-buyer@example.com", "Passw0rd!x");
  auto r = as(*server_, second.access_token, Method::kPost, "/cart/items", R"({"productId":"P007","qty":1})");
  ASSERT_EQ(r.status, 200);
  r = as(*server_, second.access_token, Method::kPost, "/orders/checkout");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string theirs = str(r.json.at("order"), "orderId");
  const std::string mine = confirmed_order("P007", 1);

  // Every order once across pages of 2, newest first, both users present.
  std::vector<std::string> ids;
  std::set<std::string> users;
  std::string target = "/admin/orders?limit=2";
  std::string last_created = "9999";
  for (int i = 0; i < 100; ++i) {
    r = admin(Method::kGet, target);
    ASSERT_EQ(r.status, 200) << r.body;
    for (const auto& o : r.json.at("items").as_array()) {
      ids.push_back(str(o, "orderId"));
      users.insert(str(o, "userId"));
      EXPECT_LE(str(o, "createdAt"), last_created);
      last_created = str(o, "createdAt");
    }
    if (!r.json.as_object().contains("nextToken")) break;
    target = "/admin/orders?limit=2&nextToken=" + str(r.json, "nextToken");
  }
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_NE(std::find(ids.begin(), ids.end(), theirs), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), mine), ids.end());
  EXPECT_GE(users.size(), 2u);

  r = admin(Method::kGet, "/admin/orders?status=PENDING&limit=100");
  ASSERT_EQ(r.status, 200);
  bool found = false;
  for (const auto& o : r.json.at("items").as_array()) {
    EXPECT_EQ(str(o, "status"), "PENDING");
    found = found || str(o, "orderId") == theirs;
  }
  EXPECT_TRUE(found);
  r = admin(Method::kGet, "/admin/orders?status=BOGUS");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(str(r.json, "error"), "InvalidParameterException");
  EXPECT_EQ(buyer(Method::kGet, "/admin/orders").status, 403);
}

TEST_F(ShopOrdersTest, ShipRacingRefundEndsInOneConsistentStateWithTheAuditOk) {
  constexpr int kOrders = 12;
  ASSERT_EQ(admin(Method::kPut, "/inventory/P008", R"({"availableQty":100,"reservedQty":0})").status, 200);
  std::vector<std::string> ids;
  for (int i = 0; i < kOrders; ++i) ids.push_back(confirmed_order("P008", 1));
  ASSERT_EQ(stock("P008"), std::make_pair(int64_t{100 - kOrders}, int64_t{kOrders}));

  std::vector<int> ship_status(kOrders), refund_status(kOrders);
  for (int i = 0; i < kOrders; ++i) {
    std::thread a([&, i] {
      http::HttpClient c(server_->base_url());
      ship_status[i] = call(c, Method::kPost, "/orders/" + ids[i] + "/ship", "", bearer(*admin_)).status;
    });
    std::thread b([&, i] {
      http::HttpClient c(server_->base_url());
      refund_status[i] = call(c, Method::kPost, "/orders/" + ids[i] + "/refund", "", bearer(*admin_)).status;
    });
    a.join();
    b.join();
  }
  int shipped = 0;
  for (int i = 0; i < kOrders; ++i) {
    auto o = admin(Method::kGet, "/orders/" + ids[i]).json;
    const std::string st(o.at("status").as_string());
    const bool has_shipped = o.as_object().contains("shippedAt");
    // Refund always wins eventually (it may follow the shipment); ship only before it.
    EXPECT_EQ(refund_status[i], 200) << ids[i];
    EXPECT_EQ(st, "REFUNDED") << ids[i];
    EXPECT_EQ(ship_status[i] == 200, has_shipped) << ids[i] << " ship " << ship_status[i];
    EXPECT_TRUE(ship_status[i] == 200 || ship_status[i] == 409) << ship_status[i];
    if (has_shipped) ++shipped;
  }
  // Shipped units are gone; the others are back on sale; nothing stays reserved.
  EXPECT_EQ(stock("P008"), std::make_pair(int64_t{100 - shipped}, int64_t{0}));
  auto audit = wait_audit_ok(*server_, *admin_);
  EXPECT_TRUE(audit.json.at("ok").as_bool()) << audit.body;
}

TEST_F(ShopOrdersTest, CancelRacingPaymentEndsInOneConsistentStateWithTheAuditOk) {
  constexpr int kOrders = 12;
  ASSERT_EQ(admin(Method::kPut, "/inventory/P009", R"({"availableQty":100,"reservedQty":0})").status, 200);
  std::vector<std::string> ids;
  for (int i = 0; i < kOrders; ++i) ids.push_back(place_order("P009", 1));
  std::vector<int> cancel_status(kOrders), pay_status(kOrders);
  for (int i = 0; i < kOrders; ++i) {
    std::thread a([&, i] {
      http::HttpClient c(server_->base_url());
      cancel_status[i] =
          call(c, Method::kPost, "/orders/" + ids[i] + "/cancel", "", bearer(buyer_->access_token)).status;
    });
    std::thread b([&, i] {
      http::HttpClient c(server_->base_url());
      pay_status[i] = call(c, Method::kPost, "/payments", R"({"orderId":")" + ids[i] + R"(","status":"SUCCESS"})",
                           bearer(buyer_->access_token))
                          .status;
    });
    a.join();
    b.join();
  }
  int confirmed = 0;
  for (int i = 0; i < kOrders; ++i) {
    const std::string st(buyer(Method::kGet, "/orders/" + ids[i]).json.at("status").as_string());
    if (st == "CONFIRMED") {
      ++confirmed;
      EXPECT_EQ(pay_status[i], 201) << ids[i];
      EXPECT_EQ(cancel_status[i], 409) << ids[i];
    } else {
      EXPECT_EQ(st, "CANCELLED") << ids[i];
      EXPECT_EQ(cancel_status[i], 200) << ids[i];
      EXPECT_EQ(pay_status[i], 409) << ids[i];
    }
  }
  // Paid orders hold their units; cancelled ones gave them back.
  EXPECT_EQ(stock("P009"), std::make_pair(int64_t{100 - confirmed}, int64_t{confirmed}));
  auto audit = wait_audit_ok(*server_, *admin_);
  EXPECT_TRUE(audit.json.at("ok").as_bool()) << audit.body;
}

TEST(ShopOrdersExpiry, AnExpiredOrderCanBeNeitherShippedNorRefunded) {
  auto server = start_shop({{"ORDER_PENDING_TTL_SECONDS", "1"}});
  TestServer& s = *server;
  std::string admin_token = login_admin(s).access_token;
  Tokens user = register_and_login(s, "late@example.com", "Passw0rd!x");
  auto r = as(s, user.access_token, Method::kPost, "/cart/items", R"({"productId":"P010","qty":1})");
  ASSERT_EQ(r.status, 200) << r.body;
  r = as(s, user.access_token, Method::kPost, "/orders/checkout");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = str(r.json.at("order"), "orderId");
  std::string status;
  for (int i = 0; i < 100 && status != "EXPIRED"; ++i) {  // the sweeper runs every ~500 ms
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = str(as(s, user.access_token, Method::kGet, "/orders/" + id).json, "status");
  }
  ASSERT_EQ(status, "EXPIRED");
  r = as(s, admin_token, Method::kPost, "/orders/" + id + "/ship");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(msg(r), "Order cannot be shipped");
  r = as(s, admin_token, Method::kPost, "/orders/" + id + "/refund");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(msg(r), "Order cannot be refunded");
  EXPECT_TRUE(wait_audit_ok(s, admin_token).json.at("ok").as_bool());
}
