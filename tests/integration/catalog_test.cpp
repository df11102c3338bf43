// Catalog, media and inventory over real HTTP: `cloudretail seed` loads the demo
// catalog into a temporary DATA_DIR, then the binary serves it on a free port.
// Routes that need an admin token are in catalog_admin_test.cpp.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "test_server.hpp"

using namespace cloudretail;
using namespace cloudretail::testing;
using Method = http::Method;

namespace {

/// A data directory with the demo catalog loaded (twice: seeding is idempotent).
std::string seeded_dir(const std::map<std::string, std::string>& extra_env = {}) {
  std::string dir = make_temp_dir("cloudretail-catalog-");
  std::map<std::string, std::string> env{{"DATA_DIR", dir}, {"LOG_LEVEL", "warn"}};
  for (const auto& [k, v] : extra_env) env[k] = v;
  std::string out;
  for (int i = 0; i < 2; ++i) {
    int rc = run_command({"seed"}, env, &out);
    EXPECT_EQ(rc, 0) << out;
  }
  return dir;
}

std::string replace_param(std::string target, const std::string& name, const std::string& value) {
  auto pos = target.find(name + "=");
  pos += name.size() + 1;
  auto end = target.find('&', pos);
  return target.replace(pos, end == std::string::npos ? std::string::npos : end - pos, value);
}

class CatalogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer({.env = {{"LOG_LEVEL", "warn"}}, .data_dir = seeded_dir()}); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer& server() { return *server_; }
  static http::HttpClient& client() { return server_->client(); }
  static TestServer* server_;
};
TestServer* CatalogTest::server_ = nullptr;

}  // namespace

TEST_F(CatalogTest, ListsTheSeededCatalogWithExactMoneyAndSignedImages) {
  auto r = call(client(), Method::kGet, "/products");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& items = r.json.at("items").as_array();
  EXPECT_EQ(items.size(), 21u);  // seeded twice, present once
  EXPECT_EQ(r.json.at("count").as_int64(), 21);
  EXPECT_FALSE(r.json.as_object().contains("nextToken"));
  const auto& p1 = items[0].as_object();
  EXPECT_EQ(p1.at("productId").as_string(), "P001");
  EXPECT_EQ(p1.at("name").as_string(), "Wireless Mouse");
  EXPECT_EQ(p1.at("category").as_string(), "Electronics");
  EXPECT_EQ(p1.at("currency").as_string(), "USD");
  EXPECT_EQ(p1.at("imageKey").as_string(), "products/P001.png");
  EXPECT_EQ(p1.at("createdAt").as_string().size(), 24u);
  EXPECT_EQ(p1.at("createdAt").as_string().back(), 'Z');
  std::string url(p1.at("imageUrl").as_string());
  EXPECT_EQ(url.rfind(server().base_url() + "/media/products/P001.png?expires=", 0), 0u) << url;
  // Money as written on the wire: 29.99 and 49.99, never 2.999E1.
  EXPECT_NE(r.body.find("\"price\":29.99,"), std::string::npos);
  EXPECT_NE(r.body.find("\"price\":49.99,"), std::string::npos);
  EXPECT_NE(r.body.find("\"price\":42.5,"), std::string::npos);
  std::set<std::string> ids;
  for (const auto& it : items) ids.insert(std::string(it.at("productId").as_string()));
  EXPECT_EQ(ids.size(), 21u);
}

TEST_F(CatalogTest, PagesWithAnOpaqueCursorAndFiltersByCategory) {
  std::vector<std::string> seen;
  std::string target = "/products?limit=5";
  int pages = 0;
  for (;;) {
    auto r = call(client(), Method::kGet, target);
    ASSERT_EQ(r.status, 200) << r.body;
    for (const auto& it : r.json.at("items").as_array()) seen.emplace_back(it.at("productId").as_string());
    EXPECT_EQ(r.json.at("count").as_int64(), static_cast<int64_t>(r.json.at("items").as_array().size()));
    ++pages;
    if (!r.json.as_object().contains("nextToken")) break;
    target = "/products?limit=5&nextToken=" + std::string(r.json.at("nextToken").as_string());
  }
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(seen.size(), 21u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 21u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

  auto books = call(client(), Method::kGet, "/products?category=Books&limit=1");
  ASSERT_EQ(books.status, 200);
  EXPECT_EQ(books.json.at("items").as_array()[0].at("productId").as_string(), "P018");
  auto next = call(client(), Method::kGet,
                   "/products?category=Books&limit=1&nextToken=" + std::string(books.json.at("nextToken").as_string()));
  EXPECT_EQ(next.json.at("items").as_array()[0].at("productId").as_string(), "P019");
  EXPECT_FALSE(next.json.as_object().contains("nextToken"));
  auto none = call(client(), Method::kGet, "/products?category=Nothing");
  EXPECT_EQ(none.status, 200);
  EXPECT_EQ(none.json.at("count").as_int64(), 0);
}

TEST_F(CatalogTest, BadLimitsAndCursorsAre400) {
  for (const char* q : {"limit=0", "limit=101", "limit=abc", "limit=-1", "limit=5x"}) {
    auto r = call(client(), Method::kGet, std::string("/products?") + q);
    EXPECT_EQ(r.status, 400) << q;
    EXPECT_EQ(msg(r), "limit must be an integer between 1 and 100") << q;
  }
  auto r = call(client(), Method::kGet, "/products?nextToken=%21%21");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(msg(r), "Invalid nextToken");
  EXPECT_EQ(call(client(), Method::kGet, "/products?limit=100").status, 200);
}

TEST_F(CatalogTest, GetsOneProductOr404) {
  auto r = call(client(), Method::kGet, "/products/P002");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json.at("name").as_string(), "Mechanical Keyboard");
  EXPECT_NE(r.body.find("\"price\":49.99"), std::string::npos);
  EXPECT_TRUE(r.json.as_object().contains("imageUrl"));
  r = call(client(), Method::kGet, "/products/NOPE");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"message":"Product not found"})");
  EXPECT_EQ(call(client(), Method::kGet, "/products/bad%20id").status, 404);
}

TEST_F(CatalogTest, SignedMediaUrlsServeImagesAndRefuseTampering) {
  auto p = call(client(), Method::kGet, "/products/P001");
  std::string target = target_of(std::string(p.json.at("imageUrl").as_string()));
  auto img = call(client(), Method::kGet, target);
  ASSERT_EQ(img.status, 200) << img.body;
  EXPECT_EQ(img.header("Content-Type"), "image/png");
  EXPECT_EQ(img.body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));

  std::string sig = target.substr(target.find("signature=") + 10);
  std::string tampered = replace_param(target, "signature", (sig[0] == 'a' ? "b" : "a") + sig.substr(1));
  auto r = call(client(), Method::kGet, tampered);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(msg(r), "Invalid or expired signature");
  // A later expiry with the old signature, another key with this signature, none at all.
  EXPECT_EQ(call(client(), Method::kGet, replace_param(target, "expires", "9999999999")).status, 403);
  std::string other = target;
  other.replace(other.find("P001"), 4, "P002");
  EXPECT_EQ(call(client(), Method::kGet, other).status, 403);
  EXPECT_EQ(call(client(), Method::kGet, "/media/products/P001.png").status, 403);
  // The GET signature does not allow a PUT.
  EXPECT_EQ(call(client(), Method::kPut, target, "overwrite").status, 403);
  EXPECT_EQ(call(client(), Method::kGet, target).body, img.body);
}

TEST_F(CatalogTest, MediaPathsWithDotDotAre400) {
  for (const char* t : {"/media/../media-signing.key?expires=1&signature=x",
                        "/media/products/../../cloudretail.db?expires=1&signature=x",
                        "/media/products/%2e%2e/%2e%2e/media-signing.key?expires=1&signature=x",
                        "/media/products%5c..%5cx.png?expires=1&signature=x"}) {
    auto r = call(client(), Method::kGet, t);
    EXPECT_EQ(r.status, 400) << t << " " << r.body;
    EXPECT_EQ(call(client(), Method::kPut, t, "x").status, 400) << t;
  }
}

TEST_F(CatalogTest, InventoryReadsAndAtomicMoves) {
  auto r = call(client(), Method::kGet, "/inventory/UNKNOWN-1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"productId":"UNKNOWN-1","availableQty":0,"reservedQty":0})");
  r = call(client(), Method::kGet, "/inventory/P003");
  EXPECT_EQ(r.json.at("availableQty").as_int64(), 100);
  EXPECT_EQ(r.json.at("reservedQty").as_int64(), 0);
  EXPECT_EQ(r.json.at("updatedAt").as_string().size(), 24u);

  // Internal routes: no token 401; the service token opens them.
  EXPECT_EQ(call(client(), Method::kPost, "/inventory/P003/reserve", R"({"qty":1})").status, 401);
  r = call(client(), Method::kPost, "/inventory/P003/reserve", R"({"qty":5})", service_token());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("message").as_string(), "Reserved");
  EXPECT_EQ(r.json.at("inventory").at("availableQty").as_int64(), 95);
  EXPECT_EQ(r.json.at("inventory").at("reservedQty").as_int64(), 5);
  EXPECT_EQ(r.json.at("inventory").at("productId").as_string(), "P003");

  r = call(client(), Method::kPost, "/inventory/P003/reserve", R"({"qty":96})", service_token());
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(msg(r), "Out of stock");
  EXPECT_EQ(r.json.at("availableQty").as_int64(), 95);
  r = call(client(), Method::kPost, "/inventory/P003/release", R"({"qty":6})", service_token());
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json.at("reservedQty").as_int64(), 5);
  r = call(client(), Method::kPost, "/inventory/P003/release", R"({"qty":5})", service_token());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json.at("message").as_string(), "Released");
  EXPECT_EQ(r.json.at("inventory").at("availableQty").as_int64(), 100);

  for (const char* body : {R"({"qty":0})", R"({"qty":1000001})", R"({"qty":1.5})", R"({"qty":"5"})", "{}",
                           R"({"qty":1,"reservationId":7})"}) {
    r = call(client(), Method::kPost, "/inventory/P003/reserve", body, service_token());
    EXPECT_EQ(r.status, 400) << body << " " << r.body;
  }
  r = call(client(), Method::kPost, "/inventory/P003/reserve", "{not json", service_token());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(msg(r), "Invalid JSON body");
  EXPECT_EQ(call(client(), Method::kGet, "/inventory/P003").json.at("reservedQty").as_int64(), 0);

  // The service token never opens admin routes.
  auto put = call(client(), Method::kPut, "/inventory/P003", R"({"availableQty":1})", service_token());
  EXPECT_TRUE(put.status == 401 || put.status == 403) << put.status;
  EXPECT_EQ(call(client(), Method::kPost, "/products", R"({"productId":"X"})", service_token()).status / 100, 4);
}

TEST_F(CatalogTest, ReservationIdsAreIdempotentOverHttp) {
  auto reserve = [&](const char* body) {
    return call(client(), Method::kPost, "/inventory/P004/reserve", body, service_token());
  };
  EXPECT_EQ(reserve(R"({"qty":3,"reservationId":"O-abc"})").json.at("inventory").at("reservedQty").as_int64(), 3);
  EXPECT_EQ(reserve(R"({"qty":3,"reservationId":"O-abc"})").json.at("inventory").at("reservedQty").as_int64(), 3);
  auto rel = [&] {
    return call(client(), Method::kPost, "/inventory/P004/release", R"({"qty":3,"reservationId":"O-abc"})",
                service_token());
  };
  EXPECT_EQ(rel().json.at("inventory").at("reservedQty").as_int64(), 0);
  auto again = rel();
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.json.at("inventory").at("availableQty").as_int64(), 100);
}

TEST_F(CatalogTest, ConcurrentReservationsOverHttpStayExact) {
  constexpr int kThreads = 8, kCalls = 40;
  std::atomic<int64_t> net{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      http::HttpClient c(server().base_url());
      int64_t mine = 0;
      for (int i = 0; i < kCalls; ++i) {
        bool release = mine > 0 && (i + t) % 3 == 0;
        auto r = call(c, Method::kPost, std::string("/inventory/P005/") + (release ? "release" : "reserve"),
                      R"({"qty":1})", service_token());
        if (r.status == 200) {
          mine += release ? -1 : 1;
          net += release ? -1 : 1;
          if (r.json.at("inventory").at("availableQty").as_int64() < 0) ++failures;
        } else if (r.status != 409) {
          ++failures;
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto level = call(client(), Method::kGet, "/inventory/P005");
  EXPECT_EQ(level.json.at("reservedQty").as_int64(), net.load());
  EXPECT_EQ(level.json.at("availableQty").as_int64() + level.json.at("reservedQty").as_int64(), 100);
}

TEST(CatalogExpiry, ExpiredMediaUrlIs403) {
  TestServer server({.env = {{"SIGNED_URL_EXPIRES", "1"}, {"LOG_LEVEL", "warn"}}, .data_dir = seeded_dir()});
  auto p = call(server.client(), Method::kGet, "/products/P001");
  ASSERT_EQ(p.status, 200);
  std::string target = target_of(std::string(p.json.at("imageUrl").as_string()));
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto r = call(server.client(), Method::kGet, target);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(msg(r), "Invalid or expired signature");
}

TEST(CatalogBasePath, MediaUrlsCarryTheBasePathAndPublicBaseUrl) {
  TestServer server({.env = {{"API_BASE_PATH", "/dev"}, {"LOG_LEVEL", "warn"}}, .data_dir = seeded_dir()});
  auto p = call(server.client(), Method::kGet, "/dev/products/P001");
  ASSERT_EQ(p.status, 200);
  std::string url(p.json.at("imageUrl").as_string());
  EXPECT_EQ(url.rfind(server.base_url() + "/dev/media/products/P001.png?", 0), 0u) << url;
  EXPECT_EQ(call(server.client(), Method::kGet, target_of(url)).status, 200);
}
