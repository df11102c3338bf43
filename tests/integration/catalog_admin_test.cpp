// Admin routes of the catalog and inventory over real HTTP, with the bootstrap
// admin's access token from POST /auth/login (the identity service).
#include <gtest/gtest.h>

#include "test_server.hpp"

using namespace cloudretail;
using namespace cloudretail::testing;
using Method = http::Method;

namespace {

constexpr const char* kEmail = "admin@example.com";
constexpr const char* kPassword = "Admin1234";

std::map<std::string, std::string> admin_env(std::map<std::string, std::string> extra = {}) {
  extra["BOOTSTRAP_ADMIN_EMAIL"] = kEmail;
  extra["BOOTSTRAP_ADMIN_PASSWORD"] = kPassword;
  extra.emplace("LOG_LEVEL", "warn");
  return extra;
}

std::string login(TestServer& server) {
  auto r = call(server.client(), Method::kPost, "/auth/login",
                std::string(R"({"email":")") + kEmail + R"(","password":")" + kPassword + R"("})");
  if (r.status != 200) throw std::runtime_error("admin login failed: " + std::to_string(r.status) + " " + r.body);
  return std::string(r.json.at("tokens").at("accessToken").as_string());
}

class CatalogAdminTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer({.env = admin_env()});
    token_ = new std::string(login(*server_));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete token_;
  }
  static Reply post(const std::string& target, const std::string& body) {
    return call(server_->client(), Method::kPost, target, body, bearer(*token_));
  }
  static TestServer* server_;
  static std::string* token_;
};
TestServer* CatalogAdminTest::server_ = nullptr;
std::string* CatalogAdminTest::token_ = nullptr;

}  // namespace

TEST_F(CatalogAdminTest, CreatesProductsWithExactMoney) {
  auto r =
      post("/products",
           R"({"productId":"A-100","name":"Wireless Mouse","category":"Electronics","price":29.99,"currency":"USD"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json.at("message").as_string(), "Product created");
  const auto& p = r.json.at("product").as_object();
  EXPECT_EQ(p.at("productId").as_string(), "A-100");
  EXPECT_EQ(p.at("category").as_string(), "Electronics");
  EXPECT_EQ(p.at("currency").as_string(), "USD");
  EXPECT_FALSE(p.contains("imageUrl"));
  EXPECT_EQ(p.at("createdAt").as_string().size(), 24u);
  EXPECT_NE(r.body.find("\"price\":29.99"), std::string::npos);

  r = post("/products", R"({"productId":"A-100","name":"Other","category":"X","price":1,"currency":"USD"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(msg(r), "Product already exists");

  r = post("/products", R"({"productId":"A-101","name":"Bundle","category":"Deals","price":109.97,"currency":"EUR",)"
                        R"("imageKey":"products/A-101.jpg"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.body.find("\"price\":109.97"), std::string::npos);
  std::string url(r.json.at("product").at("imageUrl").as_string());
  EXPECT_EQ(url.rfind(server_->base_url() + "/media/products/A-101.jpg?expires=", 0), 0u) << url;
  auto got = call(server_->client(), Method::kGet, "/products/A-101");
  EXPECT_NE(got.body.find("\"price\":109.97"), std::string::npos);
}

TEST_F(CatalogAdminTest, RefusesInvalidProductsWith400) {
  const std::string tail = R"(,"category":"C","currency":"USD")";
  struct Case {
    std::string body, fragment;
  } cases[] = {
      {R"({"productId":"","name":"n","price":1)" + tail + "}", "productId"},
      {R"({"productId":"has space","name":"n","price":1)" + tail + "}", "productId"},
      {R"({"productId":")" + std::string(65, 'a') + R"(","name":"n","price":1)" + tail + "}", "productId"},
      {R"({"name":"n","price":1)" + tail + "}", "productId"},
      {R"({"productId":"B1","name":"","price":1)" + tail + "}", "name"},
      {R"({"productId":"B1","name":")" + std::string(201, 'n') + R"(","price":1)" + tail + "}", "name"},
      {R"({"productId":"B1","name":"n","price":0)" + tail + "}", "price"},
      {R"({"productId":"B1","name":"n","price":-5)" + tail + "}", "price"},
      {R"({"productId":"B1","name":"n","price":1.999)" + tail + "}", "price"},
      {R"({"productId":"B1","name":"n","price":"29.99")" + tail + "}", "price"},
      {R"({"productId":"B1","name":"n","price":1,"category":"C","currency":"usd"})", "currency"},
      {R"({"productId":"B1","name":"n","price":1,"category":"C","currency":"US"})", "currency"},
      {R"({"productId":"B1","name":"n","price":1,"category":"C","currency":"USD","imageKey":"../x.jpg"})", "imageKey"},
      {R"({"productId":"B1","name":"n","price":1,"category":"C","currency":"USD","imageKey":"/etc/x"})", "imageKey"},
  };
  for (const auto& c : cases) {
    auto r = post("/products", c.body);
    EXPECT_EQ(r.status, 400) << c.body << " -> " << r.body;
    EXPECT_NE(msg(r).find(c.fragment), std::string::npos) << c.body << " -> " << r.body;
  }
  auto r = post("/products", "{\"productId\":");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(msg(r), "Invalid JSON body");
  EXPECT_EQ(call(server_->client(), Method::kGet, "/products/B1").status, 404);  // nothing created
}

TEST_F(CatalogAdminTest, UploadUrlAcceptsAnImageThatTheProductThenServes) {
  ASSERT_EQ(
      post("/products", R"({"productId":"U-1","name":"Lamp","category":"Home","price":5,"currency":"USD"})").status,
      201);
  auto bad = post("/products/U-1/image-upload-url", R"({"contentType":"image/gif"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(post("/products/U-1/image-upload-url", "{}").status, 400);
  auto missing = post("/products/NOPE/image-upload-url", R"({"contentType":"image/jpeg"})");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(msg(missing), "Product not found");

  auto r = post("/products/U-1/image-upload-url", R"({"contentType":"image/jpeg"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("imageKey").as_string(), "products/U-1.jpg");
  EXPECT_EQ(r.json.at("expiresIn").as_int64(), 300);
  std::string upload = target_of(std::string(r.json.at("uploadUrl").as_string()));
  // JPEG magic, then text; the length comes from the bytes, not a hand count.
  const std::string jpeg = std::string("\xff\xd8\xff\xe0") + " fake jpeg body";
  auto put = call(server_->client(), Method::kPut, upload, jpeg, {{"Content-Type", "image/jpeg"}});
  EXPECT_EQ(put.status, 200) << put.body;
  // The upload URL is for PUT only.
  EXPECT_EQ(call(server_->client(), Method::kGet, upload).status, 403);

  auto p = call(server_->client(), Method::kGet, "/products/U-1");
  EXPECT_EQ(p.json.at("imageKey").as_string(), "products/U-1.jpg");
  auto img = call(server_->client(), Method::kGet, target_of(std::string(p.json.at("imageUrl").as_string())));
  EXPECT_EQ(img.status, 200);
  EXPECT_EQ(img.header("Content-Type"), "image/jpeg");
  EXPECT_EQ(img.body, jpeg);
}

TEST_F(CatalogAdminTest, PutInventorySetsNonNegativeLevels) {
  auto r = call(server_->client(), Method::kPut, "/inventory/INV-1", R"({"availableQty":100,"reservedQty":0})",
                bearer(*token_));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("message").as_string(), "Inventory updated");
  EXPECT_EQ(r.json.at("inventory").at("productId").as_string(), "INV-1");
  EXPECT_EQ(r.json.at("inventory").at("availableQty").as_int64(), 100);
  EXPECT_EQ(r.json.at("inventory").at("reservedQty").as_int64(), 0);
  EXPECT_EQ(r.json.at("inventory").at("updatedAt").as_string().size(), 24u);
  for (const char* body : {R"({"availableQty":-1})", R"({"availableQty":1.5})", R"({"availableQty":"3"})", "{}",
                           R"({"availableQty":1,"reservedQty":-2})"}) {
    auto bad = call(server_->client(), Method::kPut, "/inventory/INV-1", body, bearer(*token_));
    EXPECT_EQ(bad.status, 400) << body << " " << bad.body;
  }
  EXPECT_EQ(call(server_->client(), Method::kGet, "/inventory/INV-1").json.at("availableQty").as_int64(), 100);
  // An admin token also opens the internal reserve route.
  auto res = call(server_->client(), Method::kPost, "/inventory/INV-1/reserve", R"({"qty":2})", bearer(*token_));
  EXPECT_EQ(res.status, 200);
}

TEST_F(CatalogAdminTest, AdminRoutesNeedAnAdminToken) {
  const std::string body = R"({"productId":"N-1","name":"n","category":"c","price":1,"currency":"USD"})";
  EXPECT_EQ(call(server_->client(), Method::kPost, "/products", body).status, 401);
  EXPECT_EQ(call(server_->client(), Method::kPost, "/products", body, bearer("not-a-token")).status, 401);
  auto svc = call(server_->client(), Method::kPost, "/products", body, service_token());
  EXPECT_TRUE(svc.status == 401 || svc.status == 403);
  EXPECT_EQ(call(server_->client(), Method::kGet, "/products/N-1").status, 404);
}
