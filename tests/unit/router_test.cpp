#include <gtest/gtest.h>

#include "http/router.hpp"
#include "http/server.hpp"

using namespace cloudretail;
using namespace cloudretail::http;

namespace {
Response ok(Request&) { return Response::message(200, "ok"); }
}  // namespace

TEST(Router, MatchesLiteralsParamsAndRest) {
  Router r;
  r.add(Method::kGet, "/products", ok);
  r.add(Method::kGet, "/products/{id}", ok);
  r.add(Method::kPost, "/inventory/{id}/reserve", ok);
  r.add(Method::kGet, "/media/{key+}", ok);

  std::vector<std::pair<std::string_view, std::string>> params;
  auto m = r.match(Method::kGet, "/products/P%20001", params);
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->pattern, "/products/{id}");
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0].second, "P 001");

  params.clear();
  m = r.match(Method::kGet, "/media/products/P001.jpg", params);
  ASSERT_TRUE(m.route);
  EXPECT_EQ(params[0].second, "products/P001.jpg");

  params.clear();
  m = r.match(Method::kPost, "/inventory/P1/reserve", params);
  ASSERT_TRUE(m.route);
  EXPECT_EQ(params[0].second, "P1");
}

TEST(Router, UnknownPathAndWrongMethod) {
  Router r;
  r.add(Method::kGet, "/products/{id}", ok);
  r.add(Method::kPost, "/products", ok);
  std::vector<std::pair<std::string_view, std::string>> params;
  auto m = r.match(Method::kGet, "/nothing", params);
  EXPECT_FALSE(m.route);
  EXPECT_FALSE(m.path_known);
  m = r.match(Method::kDelete, "/products/P1", params);
  EXPECT_FALSE(m.route);
  EXPECT_TRUE(m.path_known);
  EXPECT_EQ(m.allow, "GET, HEAD");
  m = r.match(Method::kGet, "/products/", params);
  EXPECT_FALSE(m.route);
}

TEST(Router, HeadIsAnsweredByTheGetRoute) {
  Router r;
  r.add(Method::kGet, "/products/{id}", ok);
  r.add(Method::kPost, "/products", ok);
  std::vector<std::pair<std::string_view, std::string>> params;
  auto m = r.match(Method::kHead, "/products/P1", params);
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->method, Method::kGet);
  EXPECT_EQ(params.at(0).second, "P1");
  params.clear();
  m = r.match(Method::kHead, "/products", params);  // POST only
  EXPECT_FALSE(m.route);
  EXPECT_TRUE(m.path_known);
  EXPECT_EQ(m.allow, "POST");
}

TEST(Router, RefusesRoutesMissingFromTheGuardTable) {
  Router r;
  EXPECT_THROW(r.add(Method::kGet, "/secret/door", ok), std::logic_error);
}

TEST(Router, GuardTableSaysWhoMayCall) {
  EXPECT_EQ(guard_for(Method::kPost, "/products"), Guard::kAdmin);
  EXPECT_EQ(guard_for(Method::kGet, "/products"), Guard::kPublic);
  EXPECT_EQ(guard_for(Method::kPost, "/inventory/{id}/reserve"), Guard::kInternal);
  EXPECT_EQ(guard_for(Method::kGet, "/cart"), Guard::kUser);
  EXPECT_EQ(guard_for(Method::kGet, "/db-test"), Guard::kAdmin);
  EXPECT_EQ(guard_for(Method::kPost, "/auth/login"), Guard::kPublic);
  EXPECT_EQ(guard_for(Method::kGet, "/.well-known/jwks.json"), Guard::kPublic);
}

TEST(Router, AHandlersErrorIsAnsweredAsItsJsonError) {
  Router r;
  Error busy = make_error(ErrorCode::kTooManyRequests, "Too many attempts", "TooManyAttempts");
  busy.retry_after = "7";
  r.add(
      Method::kGet, "/health", [&busy](Request&) -> Result<Response> { return busy; }, RouteOptions{.blocking = false});
  Metrics metrics;
  Server server(ServerOptions{}, r, metrics, nullptr);
  const std::string wire = server.answer_bytes("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  const Response expected = Response::from_error(busy);
  EXPECT_EQ(wire.rfind("HTTP/1.1 429", 0), 0u) << wire;
  EXPECT_NE(wire.find("Retry-After: 7\r\n"), std::string::npos) << wire;
  EXPECT_TRUE(wire.ends_with("\r\n\r\n" + expected.body)) << wire;
}
