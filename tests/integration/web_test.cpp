// The web pages as the browser fetches them: redirects, deep links answering the
// page shell, versioned assets with cache headers, ETags and gzip, API_BASE_PATH,
// and `--services web`. (tests/browser drives the pages themselves in Chromium.)
#include <gtest/gtest.h>

#include <regex>

#include "test_server.hpp"
#include "web/web_assets.hpp"

using namespace cloudretail;
using namespace cloudretail::testing;
using Method = http::Method;

namespace {

/** The asset folder the shell names: "/shop/assets/<version>/". */
std::string asset_base(const std::string& shell) {
  std::smatch m;
  std::regex link(R"re(src="(assets/[0-9a-f]{12}/)js/app\.js")re");
  EXPECT_TRUE(std::regex_search(shell, m, link)) << shell;
  return "/shop/" + m[1].str();
}

}  // namespace

TEST(Web, RootRedirectsToTheShopAndDeepLinksAnswerThePageShell) {
  TestServer server;
  auto r = call(server.client(), Method::kGet, "/");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.header("Location"), "/shop/");
  r = call(server.client(), Method::kGet, "/shop");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.header("Location"), "/shop/");

  for (std::string path : {"/shop/", "/shop/products/P001", "/shop/admin/products/P001", "/shop/orders/O-1"}) {
    r = call(server.client(), Method::kGet, path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(r.body.find("<base href=\"/shop/\">"), std::string::npos);
    EXPECT_EQ(r.header("Cache-Control"), "no-cache");
    EXPECT_NE(r.header("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
    EXPECT_FALSE(r.header("ETag").empty());
  }
  // The catalog's first page also preloads its product request; other pages do not.
  auto catalog = call(server.client(), Method::kGet, "/shop/");
  EXPECT_NE(catalog.body.find(R"(<link rel="preload" as="fetch" crossorigin href="../products?limit=24">)"),
            std::string::npos);
  EXPECT_EQ(r.body.find("rel=\"preload\""), std::string::npos);
  EXPECT_EQ(call(server.client(), Method::kGet, "/shop/?category=x").body.find("rel=\"preload\""), std::string::npos);
  EXPECT_NE(catalog.header("ETag"), r.header("ETag"));
  // The shell revalidates with its ETag.
  auto etag = r.header("ETag");
  r = call(server.client(), Method::kGet, "/shop/cart", "", {{"If-None-Match", etag}});
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
  // The API keeps its own 404 beside the pages.
  EXPECT_EQ(call(server.client(), Method::kGet, "/nothing-here").status, 404);
}

TEST(Web, AssetsAreVersionedCachedForGoodAndGzippedWhenThatPays) {
  TestServer server;
  auto shell = call(server.client(), Method::kGet, "/shop/");
  std::string base = asset_base(shell.body);

  auto js = call(server.client(), Method::kGet, base + "js/app.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(js.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_NE(js.body.find("import "), std::string::npos);
  EXPECT_EQ(call(server.client(), Method::kGet, base + "js/app.js", "", {{"If-None-Match", js.header("ETag")}}).status,
            304);

  auto plain = call(server.client(), Method::kGet, base + "css/app.css");
  auto gz = call(server.client(), Method::kGet, base + "css/app.css", "", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
  EXPECT_EQ(gz.header("Vary"), "Accept-Encoding");
  ASSERT_GE(gz.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gz.body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz.body[1]), 0x8b);
  EXPECT_LT(gz.body.size() * 2, plain.body.size());
  EXPECT_TRUE(plain.header("Content-Encoding").empty());
  auto refused = call(server.client(), Method::kGet, base + "css/app.css", "", {{"Accept-Encoding", "gzip;q=0"}});
  EXPECT_TRUE(refused.header("Content-Encoding").empty());

  // Another build's version, or an unknown file: 404, never the shell.
  EXPECT_EQ(call(server.client(), Method::kGet, "/shop/assets/000000000000/js/app.js").status, 404);
  EXPECT_EQ(call(server.client(), Method::kGet, base + "js/nope.js").status, 404);
  EXPECT_EQ(call(server.client(), Method::kGet, base + "index.html").status, 404);
}

TEST(Web, PagesFollowApiBasePath) {
  TestServer server({.env = {{"API_BASE_PATH", "/dev"}}});
  auto r = call(server.client(), Method::kGet, "/dev/");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.header("Location"), "/dev/shop/");
  r = call(server.client(), Method::kGet, "/dev/shop/products/P001");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<base href=\"/dev/shop/\">"), std::string::npos);
}

TEST(Web, WebIsAServiceOfItsOwn) {
  TestServer server({.args = {"serve", "--services", "web"}});
  EXPECT_EQ(call(server.client(), Method::kGet, "/shop/products/P001").status, 200);
  EXPECT_EQ(call(server.client(), Method::kGet, "/health").status, 200);
  EXPECT_EQ(call(server.client(), Method::kGet, "/products").status, 404);

  TestServer api_only({.args = {"serve", "--services", "dbtest"}});
  EXPECT_EQ(call(api_only.client(), Method::kGet, "/shop/").status, 404);
}

TEST(Web, ScriptsAndStylesStayUnder150KB) {
  web::WebAssets assets("");
  EXPECT_GT(assets.script_and_style_bytes(), 10'000u);
  EXPECT_LT(assets.script_and_style_bytes(), 150u * 1024) << "the page weight budget of issue 17";
}
