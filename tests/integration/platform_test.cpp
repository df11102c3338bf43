// The platform over real HTTP: the binary is started on a free port with a
// temporary DATA_DIR for each test.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <future>
#include <sstream>
#include <thread>

#include "auth_helpers.hpp"
#include "pg_cluster.hpp"
#include "test_server.hpp"

using namespace cloudretail;
using namespace cloudretail::testing;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using Method = http::Method;

namespace {

/// One raw TCP connection, for what the pooled client hides (keep-alive, idle close).
struct RawConnection {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  explicit RawConnection(uint16_t port) {
    stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }
  bhttp::response<bhttp::string_body> get(const std::string& target) {
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.keep_alive(true);
    bhttp::write(stream, req);
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res);
    return res;
  }
};

}  // namespace

TEST(Platform, HealthEchoesRequestIdInHeaderAndBody) {
  TestServer server;
  auto r = call(server.client(), Method::kGet, "/health", "", {{"X-Request-Id", "abc-123-xyz"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json.at("status").as_string(), "ok");
  EXPECT_EQ(r.json.at("service").as_string(), "health-service");
  EXPECT_EQ(r.json.at("requestId").as_string(), "abc-123-xyz");
  EXPECT_EQ(r.header("X-Request-Id"), "abc-123-xyz");
  EXPECT_EQ(r.json.at("timestamp").as_string().size(), 24u);

  // Without one, the server makes one up, and body and header agree.
  r = call(server.client(), Method::kGet, "/health");
  ASSERT_FALSE(r.header("X-Request-Id").empty());
  EXPECT_EQ(r.json.at("requestId").as_string(), r.header("X-Request-Id"));
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "*");
}

TEST(Platform, AccessLogIsOneJsonObjectPerRequest) {
  TestServer server;
  ASSERT_EQ(call(server.client(), Method::kGet, "/health", "", {{"X-Request-Id", "log-me-42"}}).status, 200);
  boost::json::value entry;
  for (int i = 0; i < 50 && entry.is_null(); ++i) {
    std::istringstream lines(server.output());
    for (std::string line; std::getline(lines, line);) {
      if (line.find("log-me-42") == std::string::npos) continue;
      boost::system::error_code ec;
      entry = boost::json::parse(line, ec);  // the whole line, no prefix
      ASSERT_FALSE(ec) << line;
    }
    if (entry.is_null()) std::this_thread::sleep_for(std::chrono::milliseconds(100));  // flushed every second
  }
  ASSERT_TRUE(entry.is_object());
  EXPECT_EQ(entry.at("method").as_string(), "GET");
  EXPECT_EQ(entry.at("route").as_string(), "/health");
  EXPECT_EQ(entry.at("status").as_int64(), 200);
  EXPECT_TRUE(entry.at("us").is_int64());
  EXPECT_EQ(entry.at("ts").as_string().size(), 24u);
}

TEST(Platform, UnknownRouteIs404AndWrongMethodIs405) {
  TestServer server;
  auto r = call(server.client(), Method::kGet, "/no/such/thing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json.at("message").as_string(), "Not found");
  r = call(server.client(), Method::kDelete, "/health");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "GET, HEAD");
  EXPECT_TRUE(r.json.at("message").is_string());
}

TEST(Platform, CorsPreflightAndBasePath) {
  TestServer server({.env = {{"API_BASE_PATH", "/dev"}, {"CORS_ALLOW_ORIGIN", "https://shop.example"}}});
  auto r = call(server.client(), Method::kGet, "/dev/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(call(server.client(), Method::kGet, "/health").status, 404);
  r = call(server.client(), Method::kOptions, "/dev/health", "", {{"Origin", "https://shop.example"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_NE(r.header("Access-Control-Allow-Methods").find("GET"), std::string::npos);
  EXPECT_NE(r.header("Access-Control-Allow-Headers").find("Authorization"), std::string::npos);
}

TEST(Platform, BodyOverOneMebibyteIs413) {
  TestServer server;
  std::string big(2 * 1024 * 1024, 'x');
  auto r = call(server.client(), Method::kPost, "/health", big);
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(r.json.is_object());
  // The server is still fine afterwards.
  http::HttpClient fresh(server.base_url());
  EXPECT_EQ(call(fresh, Method::kGet, "/health").status, 200);
}

TEST(Platform, IdleConnectionIsClosedByTheServer) {
  TestServer server({.env = {{"HTTP_IDLE_TIMEOUT_MS", "300"}}});
  RawConnection conn(server.port());
  EXPECT_EQ(conn.get("/health").result_int(), 200u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  char byte;
  beast::error_code ec;
  conn.stream.socket().read_some(net::buffer(&byte, 1), ec);
  EXPECT_TRUE(ec == net::error::eof || ec == net::error::connection_reset) << ec.message();
}

TEST(Platform, TwoHundredKeepAliveRequestsOnOneConnectionAreCounted) {
  TestServer server;
  RawConnection conn(server.port());
  for (int i = 0; i < 200; ++i) {
    auto res = conn.get("/health");
    ASSERT_EQ(res.result_int(), 200u) << "request " << i;
    ASSERT_TRUE(res.keep_alive());
  }
  auto metrics = call(server.client(), Method::kGet, "/metrics", "", service_token());
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("cloudretail_http_requests_total{route=\"GET /health\",status=\"200\"} 200"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("cloudretail_http_request_duration_seconds_bucket{route=\"GET /health\""),
            std::string::npos);
  // Metrics are internal.
  EXPECT_EQ(call(server.client(), Method::kGet, "/metrics").status, 401);
}

TEST(Platform, ReadyIs503WhenTheDatabaseCannotBeOpened) {
  // On the pg run (CLOUDRETAIL_TEST_DATABASE=pg): a PostgreSQL nobody listens for.
  TestServer server(
      {.env = {{"DATABASE_URL", testing_on_postgres() ? "postgresql://postgres@127.0.0.1:1/none?connect_timeout=2"
                                                      : "sqlite:/dev/null/cloudretail/x.db"}}});
  EXPECT_EQ(call(server.client(), Method::kGet, "/health").status, 200);
  auto r = call(server.client(), Method::kGet, "/health/ready");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.json.at("database").as_string(), "down");
}

TEST(Platform, ReadyIs200WithADatabase) {
  TestServer server;
  EXPECT_EQ(call(server.client(), Method::kGet, "/health/ready").status, 200);
}

TEST(Platform, DbTestWritesDiagnosticsInPlace) {
  TestServer server({.env = admin_env()});
  auto admin = bearer(login_admin(server).access_token);
  for (int i = 0; i < 3; ++i) {
    auto r = call(server.client(), Method::kGet, "/db-test", "", admin);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json.at("message").as_string(), "DB write + read success");
    EXPECT_EQ(r.json.at("wrote").at("productId").as_string(), "P-DEMO-001");
    EXPECT_EQ(r.json.at("read"), r.json.at("wrote"));
    EXPECT_NE(r.body.find("\"price\":9.99"), std::string::npos);
  }
  if (!testing_on_postgres()) {  // the row count is read from the SQLite file
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((server.data_dir() + "/cloudretail.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM diagnostics", -1, &stmt, nullptr);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(stmt, 0), 1);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
  }
  EXPECT_EQ(call(server.client(), Method::kGet, "/db-test").status, 401);
  // Admin only: the service token never opens it, nor does a user's token.
  EXPECT_EQ(call(server.client(), Method::kGet, "/db-test", "", service_token()).status, 401);
  auto user = register_and_login(server, "dbtest-user@example.com", "Passw0rdX");
  EXPECT_EQ(call(server.client(), Method::kGet, "/db-test", "", bearer(user.access_token)).status, 403);
}

TEST(Platform, SigtermAnswersTheRequestInFlightThenExitsZero) {
  if (testing_on_postgres()) GTEST_SKIP() << "holds SQLite's write lock";
  TestServer server({.env = admin_env()});
  auto admin = bearer(login_admin(server).access_token);
  ASSERT_EQ(call(server.client(), Method::kGet, "/db-test", "", admin).status, 200);

  // Hold SQLite's write lock so /db-test's write waits inside the server.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((server.data_dir() + "/cloudretail.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  auto in_flight = std::async(std::launch::async, [&] {
    http::HttpClient client(server.base_url());
    return call(client, Method::kGet, "/db-test", "", admin);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  auto pid_status = std::async(std::launch::async, [&] { return server.stop(SIGTERM); });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(db);

  auto reply = in_flight.get();
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(pid_status.get(), 0);
}

TEST(Platform, BadConfigurationStopsWithOneLineNamingTheVariable) {
  std::string out;
  int code = run_command({"serve"}, {{"PORT", "eighty"}, {"DATA_DIR", make_temp_dir()}}, &out);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("PORT"), std::string::npos) << out;
}

TEST(Platform, AMissingPeerStopsTheStartWithOneLine) {
  // Orders call cart, product and inventory: none runs here and none has an address.
  std::string dir = make_temp_dir(), out;
  int code = run_command({"serve", "--services", "order"},
                         {{"PORT", "0"}, {"DATA_DIR", dir}, {"AUTH_API_BASE", "http://127.0.0.1:9"}}, &out);
  EXPECT_EQ(code, 2) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_NE(out.find("order needs cart (set CART_API_BASE)"), std::string::npos) << out;
  EXPECT_NE(out.find("order needs product (set PRODUCT_API_BASE)"), std::string::npos) << out;
  EXPECT_NE(out.find("order needs inventory (set INVENTORY_API_BASE)"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/cloudretail.db")) << "the check comes before the database";

  // A peer that runs in the same process needs no address.
  code = run_command({"serve", "--services", "payment,cart"},
                     {{"PORT", "0"}, {"DATA_DIR", dir}, {"AUTH_API_BASE", "http://127.0.0.1:9"}}, &out);
  EXPECT_EQ(code, 2) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_NE(out.find("payment needs order (set ORDER_API_BASE)"), std::string::npos) << out;
  EXPECT_NE(out.find("cart needs product (set PRODUCT_API_BASE)"), std::string::npos) << out;
  EXPECT_EQ(out.find("needs cart"), std::string::npos) << out;
  std::filesystem::remove_all(dir);
}

TEST(Platform, PeersWithAnAddressMayBeDownAtStart) {
  // Addresses nobody answers at: the process starts, and calls answer 503 until they do.
  TestServer server({.env = {{"AUTH_API_BASE", "http://127.0.0.1:9"},
                             {"CART_API_BASE", "http://127.0.0.1:9"},
                             {"PRODUCT_API_BASE", "http://127.0.0.1:9"},
                             {"INVENTORY_API_BASE", "http://127.0.0.1:9"}},
                     .args = {"serve", "--services", "order"}});
  EXPECT_EQ(call(server.client(), Method::kGet, "/health").status, 200);
}

TEST(Platform, MigrateCommandCreatesTheSchema) {
  std::string dir = make_temp_dir();
  std::string out;
  EXPECT_EQ(run_command({"migrate"}, {{"DATA_DIR", dir}}, &out), 0) << out;
  EXPECT_EQ(run_command({"migrate"}, {{"DATA_DIR", dir}}, &out), 0) << out;
}
