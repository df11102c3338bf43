// Running a shop, catalog side, over real HTTP: PATCH (a new price is what checkout
// charges; an add with the old price is refused), DELETE (archived: gone from list,
// get, cart adds and checkout, the cart keeps its line), /categories, and the
// shared list rule on every list route.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "shop_fixture.hpp"

using namespace cloudretail;
using namespace cloudretail::testing;
using namespace cloudretail::testing::shop;

namespace {

class ShopCatalogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = start_shop().release();
    admin_ = new std::string(login_admin(*server_).access_token);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete admin_;
  }
  static Reply admin(Method m, const std::string& target, const std::string& body = "") {
    return as(*server_, *admin_, m, target, body);
  }
  static Reply pub(const std::string& target) { return call(server_->client(), Method::kGet, target); }
  static TestServer* server_;
  static std::string* admin_;
};
TestServer* ShopCatalogTest::server_ = nullptr;
std::string* ShopCatalogTest::admin_ = nullptr;

std::set<std::string> all_listed_ids(TestServer& s) {
  std::set<std::string> ids;
  std::string target = "/products?limit=100";
  for (;;) {
    auto r = call(s.client(), Method::kGet, target);
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto& p : r.json.at("items").as_array()) ids.insert(str(p, "productId"));
    if (!r.json.as_object().contains("nextToken")) break;
    target = "/products?limit=100&nextToken=" + str(r.json, "nextToken");
  }
  return ids;
}

}  // namespace

TEST_F(ShopCatalogTest, PatchUpdatesFieldsAndKeepsIdAndCurrency) {
  auto r = admin(Method::kPatch, "/products/P012",
                 R"({"name":"Big Mug","description":"Holds 500 ml.\nDishwasher safe.","category":"Kitchen"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(msg(r), "Product updated");
  const auto& p = r.json.at("product");
  EXPECT_EQ(str(p, "productId"), "P012");
  EXPECT_EQ(str(p, "name"), "Big Mug");
  EXPECT_EQ(str(p, "description"), "Holds 500 ml.\nDishwasher safe.");
  EXPECT_EQ(str(p, "category"), "Kitchen");
  EXPECT_EQ(str(p, "currency"), "USD");
  EXPECT_NE(r.body.find(R"("price":12.99)"), std::string::npos) << r.body;  // untouched
  EXPECT_TRUE(p.as_object().contains("updatedAt"));
  // Read back at once (the read cache was dropped by the write).
  auto got = pub("/products/P012");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(str(got.json, "name"), "Big Mug");
  EXPECT_EQ(str(got.json, "description"), "Holds 500 ml.\nDishwasher safe.");
}

TEST_F(ShopCatalogTest, PatchRefusesBadFieldsUnknownAndNonAdmins) {
  struct Case {
    const char* body;
    const char* message;
  };
  for (const Case& c :
       {Case{R"({"price":0})", "price must be a positive number with at most 2 decimals"},
        Case{R"({"price":29.999})", "price must be a positive number with at most 2 decimals"},
        Case{R"({"price":"10"})", "price must be a positive number with at most 2 decimals"},
        Case{R"({"name":""})", "name must be 1-200 characters"}, Case{R"({"name":5})", "name must be 1-200 characters"},
        Case{R"({"category":"  "})", "category must be 1-100 characters"},
        Case{R"({"imageKey":"../x.png"})", "imageKey must be a relative key without '..', '\\' or empty segments"},
        Case{R"({"productId":"P999"})", "productId cannot change"},
        Case{R"({"currency":"EUR"})", "currency cannot change"},
        Case{R"({})", "Give at least one of name, description, price, category, imageKey"}}) {
    auto r = admin(Method::kPatch, "/products/P013", c.body);
    EXPECT_EQ(r.status, 400) << c.body << " " << r.body;
    EXPECT_EQ(msg(r), c.message) << c.body;
  }
  auto long_description = std::string(R"({"description":")") + std::string(2001, 'x') + "\"}";
  EXPECT_EQ(admin(Method::kPatch, "/products/P013", long_description).status, 400);
  auto max_description = std::string(R"({"description":")") + std::string(2000, 'x') + "\"}";
  EXPECT_EQ(admin(Method::kPatch, "/products/P013", max_description).status, 200);
  EXPECT_EQ(admin(Method::kPatch, "/products/P013", "{bad").status, 400);
  auto unknown = admin(Method::kPatch, "/products/NOPE", R"({"name":"x"})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(msg(unknown), "Product not found");
  EXPECT_EQ(call(server_->client(), Method::kPatch, "/products/P013", R"({"name":"x"})").status, 401);
  EXPECT_EQ(call(server_->client(), Method::kDelete, "/products/P013").status, 401);
  Tokens user = register_and_login(*server_, "patcher@example.com", "Passw0rd!x");
  EXPECT_EQ(as(*server_, user.access_token, Method::kPatch, "/products/P013", R"({"name":"x"})").status, 403);
  EXPECT_EQ(as(*server_, user.access_token, Method::kDelete, "/products/P013").status, 403);
}

TEST_F(ShopCatalogTest, CreateTakesADescription) {
  auto r = admin(
      Method::kPost, "/products",
      R"({"productId":"DESC-1","name":"Lamp","category":"Home","price":10,"currency":"USD","description":"Warm light"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json.at("product"), "description"), "Warm light");
  r = admin(Method::kPost, "/products",
            R"({"productId":"DESC-2","name":"Lamp","category":"Home","price":10,"currency":"USD","description":7})");
  EXPECT_EQ(r.status, 400);
}

TEST_F(ShopCatalogTest, NewPriceIsChargedAtCheckoutAndAnAddWithTheOldPriceIsRefused) {
  Tokens user = register_and_login(*server_, "price@example.com", "Passw0rd!x");
  auto r =
      as(*server_, user.access_token, Method::kPost, "/cart/items", R"({"productId":"P003","qty":2,"price":34.99})");
  ASSERT_EQ(r.status, 200) << r.body;

  r = admin(Method::kPatch, "/products/P003", R"({"price":36.5})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("price":36.5,)"), std::string::npos) << r.body;

  // The cart client still sends the old price: refused, naming the current one.
  r = as(*server_, user.access_token, Method::kPost, "/cart/items", R"({"productId":"P003","qty":1,"price":34.99})");
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(msg(r), "Price changed");
  EXPECT_EQ(str(r.json, "productId"), "P003");
  EXPECT_NE(r.body.find(R"("price":36.5})"), std::string::npos) << r.body;

  // The cart shows, and checkout charges, the catalog price.
  r = as(*server_, user.access_token, Method::kGet, "/cart");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("price":36.5,)"), std::string::npos) << r.body;
  r = as(*server_, user.access_token, Method::kPost, "/orders/checkout");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.body.find(R"("totalAmount":73,)"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("price":36.5})"), std::string::npos) << r.body;
}

TEST_F(ShopCatalogTest, ArchivedProductLeavesListGetCartAndCheckoutButTheCartKeepsItsLine) {
  Tokens user = register_and_login(*server_, "archive@example.com", "Passw0rd!x");
  auto r = as(*server_, user.access_token, Method::kPost, "/cart/items", R"({"productId":"P016","qty":1})");
  ASSERT_EQ(r.status, 200) << r.body;
  r = as(*server_, user.access_token, Method::kPost, "/cart/items", R"({"productId":"P017","qty":1})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto stock_before = pub("/inventory/P017").body;

  r = admin(Method::kDelete, "/products/P016");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(msg(r), "Product archived");

  EXPECT_EQ(pub("/products/P016").status, 404);
  EXPECT_EQ(msg(pub("/products/P016")), "Product not found");
  EXPECT_EQ(all_listed_ids(*server_).count("P016"), 0u);
  EXPECT_EQ(all_listed_ids(*server_).count("P017"), 1u);
  auto kitchen = pub("/products?category=Kitchen");
  EXPECT_EQ(kitchen.body.find("P016"), std::string::npos) << kitchen.body;

  // Not addable any more.
  Tokens other = register_and_login(*server_, "archive2@example.com", "Passw0rd!x");
  r = as(*server_, other.access_token, Method::kPost, "/cart/items", R"({"productId":"P016","qty":1})");
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(msg(r), "Product not found");

  // Checkout of a cart that holds it: 409 naming it, nothing reserved, cart intact.
  r = as(*server_, user.access_token, Method::kPost, "/orders/checkout");
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(msg(r), "Product not available");
  EXPECT_EQ(str(r.json, "productId"), "P016");
  EXPECT_EQ(pub("/inventory/P017").body, stock_before);
  r = as(*server_, user.access_token, Method::kGet, "/cart");
  ASSERT_EQ(r.status, 200);
  const auto& items = r.json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u) << r.body;
  for (const auto& line : items) EXPECT_EQ(line.at("available").as_bool(), str(line, "productId") != "P016") << r.body;
  auto orders = as(*server_, user.access_token, Method::kGet, "/orders");
  EXPECT_EQ(orders.json.at("count").as_int64(), 0);

  // Once removed, checkout goes through with the rest.
  r = as(*server_, user.access_token, Method::kDelete, "/cart/items/P016");
  ASSERT_EQ(r.status, 200) << r.body;
  r = as(*server_, user.access_token, Method::kPost, "/orders/checkout");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json.at("order").at("items").as_array().size(), 1u);

  // Archiving twice, or changing an archived product: 404. Its id stays taken.
  EXPECT_EQ(admin(Method::kDelete, "/products/P016").status, 404);
  EXPECT_EQ(admin(Method::kPatch, "/products/P016", R"({"price":1})").status, 404);
  EXPECT_EQ(admin(Method::kPost, "/products/P016/image-upload-url", R"({"contentType":"image/png"})").status, 404);
  r = admin(Method::kPost, "/products",
            R"({"productId":"P016","name":"Again","category":"Kitchen","price":1,"currency":"USD"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(wait_audit_ok(*server_, *admin_).json.at("ok").as_bool());
}

TEST_F(ShopCatalogTest, CategoriesCountActiveProductsInNameOrder) {
  auto r = admin(Method::kPost, "/products",
                 R"({"productId":"CAT-1","name":"Ball","category":"Toys","price":3,"currency":"USD"})");
  ASSERT_EQ(r.status, 201) << r.body;
  r = admin(Method::kPost, "/products",
            R"({"productId":"CAT-2","name":"Kite","category":"Toys","price":4,"currency":"USD"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto cats = pub("/categories");
  ASSERT_EQ(cats.status, 200) << cats.body;
  const auto& items = cats.json.at("items").as_array();
  EXPECT_EQ(cats.json.at("count").as_int64(), static_cast<int64_t>(items.size()));
  std::vector<std::string> names;
  std::map<std::string, int64_t> counts;
  for (const auto& c : items) {
    names.push_back(str(c, "category"));
    counts[str(c, "category")] = c.at("count").as_int64();
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end())) << cats.body;
  EXPECT_EQ(counts["Toys"], 2);
  // Counts agree with the listing, category by category.
  for (const auto& [name, count] : counts) {
    auto page = pub("/products?limit=100&category=" + name);
    EXPECT_EQ(page.json.at("count").as_int64(), count) << name;
  }
  ASSERT_EQ(admin(Method::kDelete, "/products/CAT-1").status, 200);
  cats = pub("/categories");
  EXPECT_NE(cats.body.find(R"({"category":"Toys","count":1})"), std::string::npos) << cats.body;
  ASSERT_EQ(admin(Method::kDelete, "/products/CAT-2").status, 200);
  cats = pub("/categories");
  EXPECT_EQ(cats.body.find("Toys"), std::string::npos) << cats.body;
}

TEST_F(ShopCatalogTest, EveryListRouteSharesTheLimitRule) {
  Tokens user = register_and_login(*server_, "lists@example.com", "Passw0rd!x");
  struct Route {
    std::string target;
    Headers headers;
  };
  for (const auto& route : {Route{"/products", {}}, Route{"/orders", bearer(user.access_token)},
                            Route{"/admin/orders", bearer(*admin_)}, Route{"/inventory", service_token()}}) {
    for (const char* q : {"limit=0", "limit=101", "limit=abc", "limit=-1", "limit=5x", "limit=1000"}) {
      auto r = call(server_->client(), Method::kGet, route.target + "?" + q, "", route.headers);
      EXPECT_EQ(r.status, 400) << route.target << "?" << q << " " << r.body;
      EXPECT_EQ(msg(r), "limit must be an integer between 1 and 100") << route.target;
      EXPECT_EQ(str(r.json, "error"), "InvalidParameterException") << route.target;
    }
    auto bad = call(server_->client(), Method::kGet, route.target + "?nextToken=%21%21", "", route.headers);
    EXPECT_EQ(bad.status, 400) << route.target << " " << bad.body;
    EXPECT_EQ(call(server_->client(), Method::kGet, route.target + "?limit=100", "", route.headers).status, 200)
        << route.target;
  }
  // Default 50 and a cursor only when more remain: /inventory holds the 21 seeded rows.
  auto inv = call(server_->client(), Method::kGet, "/inventory?limit=20", "", service_token());
  ASSERT_EQ(inv.status, 200);
  EXPECT_EQ(inv.json.at("count").as_int64(), 20);
  ASSERT_TRUE(inv.json.as_object().contains("nextToken"));
  auto rest = call(server_->client(), Method::kGet, "/inventory?limit=20&nextToken=" + str(inv.json, "nextToken"), "",
                   service_token());
  ASSERT_EQ(rest.status, 200);
  EXPECT_GE(rest.json.at("count").as_int64(), 1);
  EXPECT_FALSE(rest.json.as_object().contains("nextToken") && rest.json.at("count").as_int64() < 20);
}

// ---- search -----------------------------------------------------------------

namespace {

/// Every page of a search, following nextToken; the ids in answer order.
std::vector<std::string> search_all(TestServer& s, const std::string& query, int limit) {
  std::vector<std::string> ids;
  std::string token;
  for (int pages = 0; pages < 200; ++pages) {
    std::string target = "/products?" + query + "&limit=" + std::to_string(limit);
    if (!token.empty()) target += "&nextToken=" + token;
    auto r = call(s.client(), Method::kGet, target);
    EXPECT_EQ(r.status, 200) << target << " " << r.body;
    if (r.status != 200) break;
    const auto& items = r.json.at("items").as_array();
    EXPECT_EQ(r.json.at("count").as_int64(), static_cast<int64_t>(items.size()));
    for (const auto& p : items) ids.push_back(str(p, "productId"));
    if (!r.json.as_object().contains("nextToken")) break;
    EXPECT_EQ(static_cast<int>(items.size()), limit) << "a cursor only when more remain";
    token = str(r.json, "nextToken");
  }
  return ids;
}

}  // namespace

TEST_F(ShopCatalogTest, SearchRanksExactWordsFirstAndPagesEachOfAThousandProductsOnce) {
  // 1,000 products: "Gadget model N", half of them in category Gizmos.
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t)
    workers.emplace_back([&, t] {
      http::HttpClient client(server_->base_url());
      for (int i = t; i < 1000; i += 4) {
        char id[16];
        std::snprintf(id, sizeof id, "G%04d", i);
        std::string body = std::string(R"({"productId":")") + id + R"(","name":"Gadget model )" + std::to_string(i) +
                           R"(","category":")" + (i % 2 ? "Gizmos" : "Gadgets") +
                           R"(","price":5,"currency":"USD","description":"Batch b)" + std::to_string(i % 7) + "\"}";
        auto r = call(client, Method::kPost, "/products", body, bearer(*admin_));
        if (r.status != 201) ++failures;
      }
    });
  for (auto& w : workers) w.join();
  ASSERT_EQ(failures.load(), 0);

  // Every item exactly once across pages, at several page sizes.
  for (int limit : {100, 99, 37}) {
    auto ids = search_all(*server_, "q=gadget", limit);
    std::set<std::string> unique(ids.begin(), ids.end());
    EXPECT_EQ(ids.size(), 1000u) << limit;
    EXPECT_EQ(unique.size(), 1000u) << limit;
  }
  // Combinable with category; case-insensitive; every word must match.
  EXPECT_EQ(search_all(*server_, "q=GADGET&category=Gizmos", 100).size(), 500u);
  EXPECT_EQ(search_all(*server_, "q=gadget%20B3", 50).size(), 143u);  // i % 7 == 3
  EXPECT_TRUE(search_all(*server_, "q=adget", 50).empty()) << "prefixes of words only";
  EXPECT_TRUE(search_all(*server_, "q=gadget%20nosuchword", 50).empty());

  // "12" exact before the words it starts (120..129), which follow.
  auto twelve = search_all(*server_, "q=gadget%2012", 5);
  ASSERT_EQ(twelve.size(), 11u);
  EXPECT_EQ(twelve.front(), "G0012");
  std::set<std::string> rest(twelve.begin() + 1, twelve.end());
  for (int i = 120; i <= 129; ++i) EXPECT_EQ(rest.count("G0" + std::to_string(i)), 1u) << i;
}

TEST_F(ShopCatalogTest, SearchFollowsWritesAtOnceAndRanksTheExactWordFirst) {
  auto make = [](const char* id, const char* name, const char* description) {
    return std::string(R"({"productId":")") + id + R"(","name":")" + name +
           R"(","category":"Lighting","price":9,"currency":"USD","description":")" + description + "\"}";
  };
  ASSERT_EQ(admin(Method::kPost, "/products", make("LMP-1", "Lampshade cover", "Linen")).status, 201);
  ASSERT_EQ(admin(Method::kPost, "/products", make("LMP-2", "Reading lamp", "Warm")).status, 201);
  ASSERT_EQ(admin(Method::kPost, "/products", make("LMP-3", "Floor light", "Waterproof outdoor")).status, 201);

  auto ids = search_all(*server_, "q=lamp&category=Lighting", 10);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0], "LMP-2") << "the exact word before a longer word it starts";
  EXPECT_EQ(ids[1], "LMP-1");
  // Description and category are searched too.
  EXPECT_EQ(search_all(*server_, "q=waterpr", 10), std::vector<std::string>{"LMP-3"});
  EXPECT_EQ(search_all(*server_, "q=lighting", 10).size(), 3u);

  // An update is searchable by its new words (and not the old) in the next request.
  ASSERT_EQ(admin(Method::kPatch, "/products/LMP-3", R"({"name":"Garden spotlight"})").status, 200);
  EXPECT_EQ(search_all(*server_, "q=spotlight", 10), std::vector<std::string>{"LMP-3"});
  EXPECT_TRUE(search_all(*server_, "q=floor%20light", 10).empty());
  // Archived: gone from search.
  ASSERT_EQ(admin(Method::kDelete, "/products/LMP-2").status, 200);
  EXPECT_EQ(search_all(*server_, "q=lamp&category=Lighting", 10), std::vector<std::string>{"LMP-1"});

  // Bad searches are 400 InvalidParameterException; a list cursor is not a search cursor.
  for (const char* q : {"q=%21%21%21", "q=a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k", "q=lamp&nextToken=UDAwMQ"}) {
    auto r = pub(std::string("/products?") + q);
    EXPECT_EQ(r.status, 400) << q << " " << r.body;
    EXPECT_EQ(str(r.json, "error"), "InvalidParameterException") << q;
  }
  EXPECT_EQ(pub("/products?q=lamp&limit=101").status, 400);
}
