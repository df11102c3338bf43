// The split topology end to end: nine `cloudretail serve --services X` processes
// behind the nginx gateway, on PostgreSQL, started by deploy/split.sh exactly as an
// operator would. Needs the `pg` fixture's cluster (skipped without it).
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

#include <thread>

#include "auth_helpers.hpp"
#include "pg_cluster.hpp"
#include "test_server.hpp"

using namespace cloudretail;
using namespace cloudretail::testing;
using Method = http::Method;

namespace {

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool port_free(int port) {
  http::HttpClient probe("http://127.0.0.1:" + std::to_string(port));
  http::ClientRequest req;
  req.target = "/";
  req.timeout = std::chrono::milliseconds(300);
  return !probe.send(req).ok();
}

class SplitTopology {
 public:
  explicit SplitTopology(std::string database_url) : database_url_(std::move(database_url)) {
    run_dir_ = make_temp_dir("cloudretail-split-");
    // Nine service ports in a row, then the gateway's.
    for (int attempt = 0; attempt < 20; ++attempt) {
      // Below the kernel's ephemeral range (32768+ on Debian): there a port can be taken by
      // the local end of any outgoing connection, which a connect probe cannot see.
      int base = 20000 + static_cast<int>(std::random_device{}() % 12000);
      bool ok = true;
      for (int p = base; p <= base + 9 && ok; ++p) ok = port_free(p);
      if (ok) {
        base_port_ = base;
        break;
      }
    }
    gateway_port_ = base_port_ + 9;
    std::string out;
    int code = script("start", &out);
    if (code != 0) throw std::runtime_error("split.sh start failed:\n" + out);
    gateway_ = std::make_unique<http::HttpClient>("http://127.0.0.1:" + std::to_string(gateway_port_));
    // The demo catalog, with its images in the product process's media folder.
    code = run_command({"seed"}, {{"DATABASE_URL", database_url_}, {"DATA_DIR", run_dir_ + "/data-product"}}, &out);
    if (code != 0) throw std::runtime_error("seed failed:\n" + out);
  }
  ~SplitTopology() {
    script("stop", nullptr);
    if (!std::getenv("KEEP_TEST_DIRS")) std::filesystem::remove_all(run_dir_);
  }

  int script(const std::string& args, std::string* out) {
    std::string cmd = "RUN_DIR=" + run_dir_ +
                      " BUILD_DIR=" + std::filesystem::path(binary_path()).parent_path().string() + " DATABASE_URL='" +
                      database_url_ + "' GATEWAY_PORT=" + std::to_string(gateway_port_) +
                      " BASE_PORT=" + std::to_string(base_port_) +
                      " BOOTSTRAP_ADMIN_EMAIL=admin@example.com BOOTSTRAP_ADMIN_PASSWORD=Admin12345 " +
                      CLOUDRETAIL_SOURCE_DIR "/deploy/split.sh " + args + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    std::string text;
    char buf[512];
    while (p && fgets(buf, sizeof buf, p)) text += buf;
    int status = p ? pclose(p) : -1;
    if (out) *out = text;
    return WEXITSTATUS(status);
  }

  http::HttpClient& gateway() { return *gateway_; }
  std::string outbox() const { return run_dir_ + "/data-notification/outbox"; }

  std::string login(const std::string& email, const std::string& password) {
    auto r = call(*gateway_, Method::kPost, "/auth/login",
                  R"({"email":")" + email + R"(","password":")" + password + R"("})");
    if (r.status != 200) throw std::runtime_error("login failed: " + r.body);
    return std::string(r.json.at("tokens").at("accessToken").as_string());
  }

  std::string register_and_login(const std::string& email, const std::string& password) {
    auto r = call(*gateway_, Method::kPost, "/auth/register",
                  R"({"email":")" + email + R"(","password":")" + password + R"("})");
    if (r.status != 201) throw std::runtime_error("register failed: " + r.body);
    std::string code;
    static const std::regex kCode(R"(\b(\d{6})\b)");
    for (int i = 0; i < 100 && code.empty(); ++i) {
      for (const auto& f : std::filesystem::directory_iterator(run_dir_ + "/data-notification/outbox")) {
        std::string text = read_text(f.path());
        std::smatch m;
        auto body = text.find("\r\n\r\n");
        if (text.find(email) == std::string::npos || body == std::string::npos) continue;
        std::string rest = text.substr(body);
        if (std::regex_search(rest, m, kCode)) code = m[1];
      }
      if (code.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    r = call(*gateway_, Method::kPost, "/auth/confirm", R"({"email":")" + email + R"(","code":")" + code + R"("})");
    if (r.status != 200) throw std::runtime_error("confirm failed: " + r.body);
    return login(email, password);
  }

  /// Every message in the notification process's outbox, as one string.
  std::string outbox_text() {
    std::string all;
    std::error_code ec;
    for (const auto& f : std::filesystem::directory_iterator(run_dir_ + "/data-notification/outbox", ec))
      all += read_text(f.path());
    return all;
  }

 private:
  std::string database_url_;
  std::string run_dir_;
  int base_port_ = 0, gateway_port_ = 0;
  std::unique_ptr<http::HttpClient> gateway_;
};

class Split : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = fresh_pg_database();
    if (!url) GTEST_SKIP() << "no PostgreSQL test cluster (label pg)";
    topology_ = std::make_unique<SplitTopology>(*url);
    admin_ = topology_->login("admin@example.com", "Admin12345");
  }
  std::unique_ptr<SplitTopology> topology_;
  std::string admin_;
};

}  // namespace

TEST_F(Split, WholeJourneyThroughTheGateway) {
  auto& g = topology_->gateway();
  // The web pages come from the `web` process through the same gateway.
  auto root = call(g, Method::kGet, "/");
  EXPECT_EQ(root.status, 302);
  EXPECT_EQ(root.header("Location"), "/shop/");
  auto shell = call(g, Method::kGet, "/shop/products/P001");
  ASSERT_EQ(shell.status, 200);
  std::smatch app_js;
  ASSERT_TRUE(std::regex_search(shell.body, app_js, std::regex(R"re(assets/[0-9a-f]{12}/js/app\.js)re"))) << shell.body;
  EXPECT_EQ(call(g, Method::kGet, "/shop/" + app_js.str()).status, 200);
  // What the catalog page asks for, through the gateway.
  auto categories = call(g, Method::kGet, "/categories");
  ASSERT_EQ(categories.status, 200) << categories.body;
  EXPECT_GT(categories.json.at("count").as_int64(), 0);
  EXPECT_EQ(call(g, Method::kGet, "/products?q=mouse&limit=24").status, 200);

  std::string user = topology_->register_and_login("buyer@example.com", "BuyerPass123");
  auto page = call(g, Method::kGet, "/products?limit=5");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.json.at("count").as_int64(), 5);
  auto media = page.json.at("items").at(0).at("imageUrl").as_string();
  EXPECT_NE(std::string(media).find("/media/products/"), std::string::npos);

  ASSERT_EQ(call(g, Method::kPost, "/cart/items", R"({"productId":"P001","qty":2,"price":29.99})", bearer(user)).status,
            200);
  ASSERT_EQ(call(g, Method::kPost, "/cart/items", R"({"productId":"P002","qty":1})", bearer(user)).status, 200);
  // The order process reads the address from the token it verified against the JWKS:
  // another address is refused, none at all mails the account's.
  auto mismatch = call(g, Method::kPost, "/orders/checkout", R"({"email":"victim@example.com"})", bearer(user));
  EXPECT_EQ(mismatch.status, 403) << mismatch.body;
  auto checkout = call(g, Method::kPost, "/orders/checkout", "", bearer(user));
  ASSERT_EQ(checkout.status, 201) << checkout.body;
  EXPECT_NE(checkout.body.find("\"totalAmount\":109.97"), std::string::npos) << checkout.body;
  EXPECT_EQ(checkout.json.at("order").at("userEmail").as_string(), "buyer@example.com");
  std::string order_id(checkout.json.at("order").at("orderId").as_string());

  auto pay =
      call(g, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"SUCCESS"})", bearer(user));
  ASSERT_EQ(pay.status, 201) << pay.body;
  EXPECT_EQ(pay.json.at("orderUpdate").at("status").as_string(), "CONFIRMED");
  EXPECT_EQ(pay.json.at("emailNotification").at("success").as_bool(), true);
  EXPECT_EQ(pay.json.at("emailNotification").at("response").at("toEmail").as_string(), "buyer@example.com");
  // The payment process counts attempts in the shared database: 5, then refused.
  for (int i = 2; i <= 5; ++i)
    EXPECT_EQ(
        call(g, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"SUCCESS"})", bearer(user))
            .status,
        409);
  auto capped =
      call(g, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"SUCCESS"})", bearer(user));
  EXPECT_EQ(capped.json.at("error").as_string(), "TooManyPaymentAttempts") << capped.body;

  // Password reset across processes: auth asks the notification process to mail the
  // code; the buyer reads it from that process's outbox.
  ASSERT_EQ(call(g, Method::kPost, "/auth/forgot-password", R"({"email":"buyer@example.com"})").status, 200);
  std::string code = wait_for_emailed_code(topology_->outbox(), "buyer@example.com", "password reset code");
  auto reset = call(g, Method::kPost, "/auth/reset-password",
                    R"({"email":"buyer@example.com","code":")" + code + R"(","newPassword":"NewBuyerPass1"})");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(call(g, Method::kPost, "/auth/login", R"({"email":"buyer@example.com","password":"BuyerPass123"})").status,
            401);
  user = topology_->login("buyer@example.com", "NewBuyerPass1");

  auto orders = call(g, Method::kGet, "/orders", "", bearer(user));
  ASSERT_EQ(orders.status, 200);
  EXPECT_EQ(orders.json.at("items").at(0).at("status").as_string(), "CONFIRMED");
  auto audit = call(g, Method::kGet, "/admin/inventory-audit", "", bearer(admin_));
  EXPECT_EQ(audit.json.at("ok").as_bool(), true) << audit.body;
}

TEST_F(Split, FiftyConcurrentBuyersForTenUnitsMakeTenOrders) {
  auto& g = topology_->gateway();
  ASSERT_EQ(call(g, Method::kPut, "/inventory/P005", R"({"availableQty":10,"reservedQty":0})", bearer(admin_)).status,
            200);
  // The admin acts for 50 distinct buyers (?userId=), keeping password hashing out of a stock test.
  std::atomic<int> created{0}, refused{0}, other{0};
  std::vector<std::thread> buyers;
  for (int i = 0; i < 50; ++i)
    buyers.emplace_back([&, i] {
      http::HttpClient client(g.base_url());
      std::string who = "?userId=split-buyer-" + std::to_string(i);
      auto add = call(client, Method::kPost, "/cart/items" + who, R"({"productId":"P005","qty":1})", bearer(admin_));
      if (add.status != 200) {
        ++other;
        return;
      }
      auto r = call(client, Method::kPost, "/orders/checkout" + who, "{}", bearer(admin_));
      if (r.status == 201)
        ++created;
      else if (r.status == 409)
        ++refused;
      else
        ++other;
    });
  for (auto& t : buyers) t.join();
  EXPECT_EQ(created.load(), 10);
  EXPECT_EQ(refused.load(), 40);
  EXPECT_EQ(other.load(), 0);
  auto stock = call(g, Method::kGet, "/inventory/P005");
  EXPECT_EQ(stock.json.at("availableQty").as_int64(), 0);
  EXPECT_EQ(stock.json.at("reservedQty").as_int64(), 10);
  EXPECT_EQ(call(g, Method::kGet, "/admin/inventory-audit", "", bearer(admin_)).json.at("ok").as_bool(), true);
}

TEST_F(Split, InventoryDownAnswers503AndNothingLeaksThenRecoversWithoutRestarts) {
  auto& g = topology_->gateway();
  std::string user = topology_->register_and_login("down@example.com", "BuyerPass123");
  ASSERT_EQ(call(g, Method::kPost, "/cart/items", R"({"productId":"P003","qty":1})", bearer(user)).status, 200);
  auto before = call(g, Method::kGet, "/inventory/P003");

  ASSERT_EQ(topology_->script("stop-service inventory", nullptr), 0);
  auto add = call(g, Method::kPost, "/cart/items", R"({"productId":"P001","qty":1})", bearer(user));
  EXPECT_EQ(add.status, 503);
  EXPECT_EQ(add.json.at("message").as_string(), "Inventory service error");
  auto checkout = call(g, Method::kPost, "/orders/checkout", "{}", bearer(user));
  EXPECT_EQ(checkout.status, 503) << checkout.body;
  auto cart = call(g, Method::kGet, "/cart", "", bearer(user));
  ASSERT_EQ(cart.json.at("items").as_array().size(), 1u);  // left as it was
  EXPECT_EQ(call(g, Method::kGet, "/orders", "", bearer(user)).json.at("count").as_int64(), 0);

  std::string out;
  ASSERT_EQ(topology_->script("start-service inventory", &out), 0) << out;
  auto after = call(g, Method::kGet, "/inventory/P003");
  EXPECT_EQ(after.json.at("availableQty"), before.json.at("availableQty"));
  EXPECT_EQ(after.json.at("reservedQty"), before.json.at("reservedQty"));
  // Within seconds, with no restart of cart or order.
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    status = call(g, Method::kPost, "/cart/items", R"({"productId":"P001","qty":1})", bearer(user)).status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 200);
  EXPECT_EQ(call(g, Method::kPost, "/orders/checkout", "{}", bearer(user)).status, 201);
  EXPECT_EQ(call(g, Method::kGet, "/admin/inventory-audit", "", bearer(admin_)).json.at("ok").as_bool(), true);
}

// Running a shop through the gateway: the product process's writes reach the cart
// and order processes at once, search and categories answer, and ship and refund
// cross the order, inventory, payment and notification processes.
TEST_F(Split, ShopOperationsJourneyThroughTheGateway) {
  auto& g = topology_->gateway();
  const Headers admin = bearer(admin_);
  std::string user = topology_->register_and_login("shopper@example.com", "Passw0rd!x");
  const Headers buyer = bearer(user);

  // A price change is what the cart process checks and the order process charges.
  auto r = call(g, Method::kPatch, "/products/P001", R"({"price":31,"description":"Quiet clicks"})", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  r = call(g, Method::kPost, "/cart/items", R"({"productId":"P001","qty":1,"price":29.99})", buyer);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.body.find("Price changed"), std::string::npos) << r.body;
  r = call(g, Method::kPost, "/cart/items", R"({"productId":"P001","qty":2,"price":31})", buyer);
  ASSERT_EQ(r.status, 200) << r.body;

  // An archived product: gone from the catalog, refused by the cart process.
  ASSERT_EQ(call(g, Method::kDelete, "/products/P003", "", admin).status, 200);
  EXPECT_EQ(call(g, Method::kGet, "/products/P003").status, 404);
  EXPECT_EQ(call(g, Method::kPost, "/cart/items", R"({"productId":"P003","qty":1})", buyer).status, 404);

  // Search and categories.
  r = call(g, Method::kGet, "/products?q=quiet%20mou");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json.at("count").as_int64(), 1) << r.body;
  EXPECT_EQ(r.json.at("items").at(0).at("productId").as_string(), "P001");
  r = call(g, Method::kGet, "/categories");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"({"category":"Electronics","count":5})"), std::string::npos) << r.body;

  // Checkout at the new price, pay, ship, refund.
  r = call(g, Method::kPost, "/orders/checkout", R"({"email":"shopper@example.com"})", buyer);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.body.find(R"("totalAmount":62,)"), std::string::npos) << r.body;
  std::string order_id(r.json.at("order").at("orderId").as_string());
  ASSERT_EQ(
      call(g, Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"SUCCESS"})", buyer).status,
      201);
  auto before = call(g, Method::kGet, "/inventory/P001").json;
  r = call(g, Method::kPost, "/orders/" + order_id + "/ship", R"({"trackingNumber":"SPLIT-1"})", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("order").at("status").as_string(), "SHIPPED");
  auto after = call(g, Method::kGet, "/inventory/P001").json;
  EXPECT_EQ(after.at("reservedQty").as_int64(), before.at("reservedQty").as_int64() - 2);
  EXPECT_EQ(after.at("availableQty").as_int64(), before.at("availableQty").as_int64());
  r = call(g, Method::kPost, "/orders/" + order_id + "/refund", "", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("order").at("status").as_string(), "REFUNDED");
  ASSERT_TRUE(r.json.at("refund").is_object()) << r.body;
  std::string payment_id(r.json.at("refund").at("paymentId").as_string());
  auto payment = call(g, Method::kGet, "/payments/" + payment_id, "", buyer);
  ASSERT_EQ(payment.status, 200) << payment.body;
  EXPECT_NE(payment.body.find(R"("amount":-62,)"), std::string::npos) << payment.body;
  EXPECT_EQ(call(g, Method::kPost, "/orders/" + order_id + "/ship", "", admin).status, 409);

  r = call(g, Method::kGet, "/admin/orders?status=REFUNDED", "", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(order_id), std::string::npos);
  auto audit = call(g, Method::kGet, "/admin/inventory-audit", "", admin);
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_TRUE(audit.json.at("ok").as_bool()) << audit.body;

  // Both emails from the notification process.
  bool shipped = false, refunded = false;
  for (int i = 0; i < 100 && !(shipped && refunded); ++i) {
    std::string outbox = topology_->outbox_text();
    // Subjects are encoded words; these lines of the quoted-printable text parts are not.
    shipped = outbox.find("Tracking number: SPLIT-1") != std::string::npos;
    refunded = outbox.find("Refund: 62 USD") != std::string::npos;
    if (!(shipped && refunded)) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(shipped);
  EXPECT_TRUE(refunded);
}
