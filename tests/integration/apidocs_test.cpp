// GET /openapi.json and GET /docs: the document the binary serves, and its HTML
// reference, built from the same text.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "test_server.hpp"

using namespace cloudretail::testing;
using cloudretail::http::Method;

namespace {

TEST(ApiDocs, ServesTheOpenApiDocumentWithEveryOperationsAccess) {
  TestServer server;
  auto r = call(server.client(), Method::kGet, "/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
  ASSERT_TRUE(r.json.is_object()) << r.body.substr(0, 200);
  EXPECT_EQ(r.json.at("openapi").as_string(), "3.1.0");
  const auto& paths = r.json.at("paths").as_object();
  const auto& checkout = paths.at("/orders/checkout").at("post").as_object();
  EXPECT_EQ(checkout.at("x-access").as_string(), "user");
  EXPECT_EQ(paths.at("/products").at("post").at("x-access").as_string(), "admin");
  EXPECT_EQ(paths.at("/inventory/{id}/reserve").at("post").at("x-access").as_string(), "internal");
  EXPECT_EQ(r.json.at("servers").at(0).at("url").as_string(), "/");
  // Money examples keep their two decimals: the text is served as written.
  EXPECT_NE(r.body.find("\"totalAmount\": 109.97"), std::string::npos);
}

TEST(ApiDocs, ServerUrlFollowsTheApiBasePath) {
  TestServer server({.env = {{"API_BASE_PATH", "/dev"}}});
  auto r = call(server.client(), Method::kGet, "/dev/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json.at("servers").at(0).at("url").as_string(), "/dev");
}

TEST(ApiDocs, DocsPageListsEveryOperationWithoutScripts) {
  TestServer server;
  auto doc = call(server.client(), Method::kGet, "/openapi.json");
  auto r = call(server.client(), Method::kGet, "/docs");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(r.header("Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(r.body.find("<script"), std::string::npos);  // nothing to fetch from a CDN
  EXPECT_EQ(r.body.find("src=\"http"), std::string::npos);
  int operations = 0;
  for (const auto& [path, item] : doc.json.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      if (!op.is_object() || !op.as_object().contains("operationId")) continue;
      ++operations;
      std::string anchor = "id=\"op-" + std::string(op.at("operationId").as_string()) + "\"";
      EXPECT_NE(r.body.find(anchor), std::string::npos) << method << " " << path;
    }
  }
  EXPECT_GT(operations, 40);
  EXPECT_NE(r.body.find("<code>/orders/checkout</code>"), std::string::npos);
  EXPECT_NE(r.body.find("109.97"), std::string::npos);  // an example, printed as money
}

}  // namespace
