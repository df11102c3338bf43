// GET /metrics as an operator graphs it: per-route latency histograms, orders by
// state, the email queue's age, the periodic inventory audit (which turns to 0 when
// reserved stock stops matching open orders); and every cloudretail_* metric the
// Grafana dashboard and the alert rules in deploy/ name exists on a live server.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "auth_helpers.hpp"
#include "pg_cluster.hpp"
#include "sqlite_file.hpp"
#include "test_server.hpp"

using namespace cloudretail;
using namespace cloudretail::testing;
using Method = http::Method;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::unique_ptr<TestServer> start_shop(std::map<std::string, std::string> extra = {}) {
  auto env = admin_env();
  env["LOG_LEVEL"] = "warn";
  env["SERVICE_TOKEN"] = kServiceToken;
  env["INVENTORY_AUDIT_INTERVAL_SECONDS"] = "1";
  for (auto& [k, v] : extra) env[k] = v;
  std::string dir = make_temp_dir("cloudretail-metrics-");
  env["DATA_DIR"] = dir;
  std::string out;
  EXPECT_EQ(run_command({"seed"}, env, &out), 0) << out;
  ServerOptions options;
  options.env = env;
  options.data_dir = dir;
  return std::make_unique<TestServer>(options);
}

std::string scrape(TestServer& s) {
  auto r = call(s.client(), Method::kGet, "/metrics", "", service_token());
  EXPECT_EQ(r.status, 200) << r.body;
  return r.body;
}

/// The value of the sample whose line starts with `series` (name plus labels).
std::optional<double> sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return std::nullopt;
}

/// Polls /metrics until `series` has `value` (background loops publish some).
bool wait_sample(TestServer& s, const std::string& series, double value, std::string* last) {
  for (int i = 0; i < 100; ++i) {
    *last = scrape(s);
    if (sample(*last, series) == value) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

/// Every metric name with a sample line in the exposition text.
std::set<std::string> exposed_names(const std::string& text) {
  std::set<std::string> names;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    names.insert(line.substr(0, line.find_first_of("{ ")));
  }
  return names;
}

/// Every cloudretail_* name a deploy/ file mentions.
std::set<std::string> named_in(const std::string& path) {
  std::set<std::string> names;
  std::string text = read_file(path);
  std::regex name(R"(cloudretail_[a-z0-9_]+)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), name); it != std::sregex_iterator(); ++it)
    names.insert(it->str());
  return names;
}

}  // namespace

TEST(OpsMetrics, LatencyHistogramsOrdersByStateEmailQueueAgeAndAudit) {
  auto server = start_shop();
  TestServer& s = *server;
  const std::string admin = login_admin(s).access_token;
  const std::string u = "?userId=metrics-buyer";
  ASSERT_EQ(call(s.client(), Method::kPost, "/cart/items" + u, R"({"productId":"P001","qty":1})", bearer(admin)).status,
            200);
  auto order = call(s.client(), Method::kPost, "/orders/checkout" + u, "{}", bearer(admin));
  ASSERT_EQ(order.status, 201) << order.body;
  std::string order_id(order.json.at("order").at("orderId").as_string());
  ASSERT_EQ(call(s.client(), Method::kPost, "/payments", R"({"orderId":")" + order_id + R"(","status":"SUCCESS"})",
                 bearer(admin))
                .status,
            201);
  ASSERT_EQ(call(s.client(), Method::kPost, "/cart/items" + u, R"({"productId":"P002","qty":1})", bearer(admin)).status,
            200);
  ASSERT_EQ(call(s.client(), Method::kPost, "/orders/checkout" + u, "{}", bearer(admin)).status, 201);

  std::string text;
  ASSERT_TRUE(wait_sample(s, "cloudretail_inventory_audit_ok", 1, &text)) << text;
  // A histogram per route: cumulative buckets ending in +Inf, with _sum and _count.
  const std::string route = "route=\"POST /orders/checkout\"";
  EXPECT_EQ(sample(text, "cloudretail_http_request_duration_seconds_count{" + route + "}"), 2) << text;
  EXPECT_EQ(sample(text, "cloudretail_http_request_duration_seconds_bucket{" + route + ",le=\"+Inf\"}"), 2);
  EXPECT_TRUE(sample(text, "cloudretail_http_request_duration_seconds_bucket{" + route + ",le=\"10\"}").has_value());
  EXPECT_GT(sample(text, "cloudretail_http_request_duration_seconds_sum{" + route + "}").value_or(0), 0);
  EXPECT_NE(text.find("# TYPE cloudretail_http_request_duration_seconds histogram"), std::string::npos);
  // Orders by state, public states present at 0.
  EXPECT_EQ(sample(text, "cloudretail_orders{state=\"CONFIRMED\"}"), 1) << text;
  EXPECT_EQ(sample(text, "cloudretail_orders{state=\"PENDING\"}"), 1);
  EXPECT_EQ(sample(text, "cloudretail_orders{state=\"REFUNDED\"}"), 0);
  EXPECT_TRUE(sample(text, "cloudretail_email_queue_oldest_age_seconds").has_value()) << text;
  EXPECT_EQ(sample(text, "cloudretail_inventory_audit_discrepancies"), 0);
  EXPECT_GE(sample(text, "cloudretail_inventory_audit_checked").value_or(0), 1);
  auto now_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_NEAR(sample(text, "cloudretail_inventory_audit_last_run_timestamp_seconds").value_or(0), now_s, 30);

  // The database's totals; group commit is SQLite's (PostgreSQL groups commits itself).
  auto batches = sample(text, "cloudretail_db_commit_batches_total");
  auto transactions = sample(text, "cloudretail_db_committed_transactions_total");
  ASSERT_TRUE(batches && transactions) << text;
  EXPECT_TRUE(sample(text, "cloudretail_db_pool_wait_seconds_total").has_value());
  EXPECT_TRUE(sample(text, "cloudretail_db_commit_seconds_total").has_value());
  if (!testing_on_postgres()) {
    EXPECT_GT(*batches, 0);
    EXPECT_GE(*transactions, *batches);
  }
  EXPECT_NE(text.find("# TYPE cloudretail_db_commit_batches_total counter"), std::string::npos);

  // Prometheus sends the service token as a bearer token (it cannot add X-Service-Token).
  auto as_bearer = call(s.client(), Method::kGet, "/metrics", "", bearer(kServiceToken));
  EXPECT_EQ(as_bearer.status, 200);
  EXPECT_EQ(call(s.client(), Method::kGet, "/metrics", "", bearer("not-the-service-token-at-all")).status, 401);
  EXPECT_EQ(call(s.client(), Method::kGet, "/db-test", "", bearer(kServiceToken)).status, 401)
      << "the service token never opens admin routes";
}

TEST(OpsMetrics, EmailQueueAgeGrowsWhileMailCannotBeDelivered) {
  // SMTP on a port nobody listens on: the welcome email stays queued and ages.
  auto server = start_shop({{"SMTP_URL", "smtp://127.0.0.1:9"}, {"NOTIFY_RETRY_BASE_MS", "60000"}});
  TestServer& s = *server;
  auto r = call(s.client(), Method::kPost, "/notifications/user-registered",
                R"({"email":"late@example.com","userId":"late-user"})", service_token());
  ASSERT_TRUE(r.status == 202 || r.status == 200) << r.body;
  std::string text;
  double age = 0;
  for (int i = 0; i < 60 && age < 1.0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    text = scrape(s);
    age = sample(text, "cloudretail_email_queue_oldest_age_seconds").value_or(0);
  }
  EXPECT_GE(age, 1.0) << text;
  EXPECT_GE(sample(text, "cloudretail_emails_queued").value_or(0), 1);
}

TEST(OpsMetrics, AuditGaugeTurnsToZeroWhenReservedStockLeaks) {
  if (testing_on_postgres()) GTEST_SKIP() << "the leak is made by writing the SQLite file";
  auto server = start_shop();
  TestServer& s = *server;
  std::string text;
  ASSERT_TRUE(wait_sample(s, "cloudretail_inventory_audit_ok", 1, &text)) << text;
  // Stock reserved for no order: what a lost release would leave behind.
  std::string message;
  ASSERT_EQ(sqlite_exec(s.data_dir() + "/cloudretail.db",
                        "UPDATE inventory SET reserved_qty = reserved_qty + 3 WHERE product_id = 'P003'", &message),
            SQLITE_OK)
      << message;
  EXPECT_TRUE(wait_sample(s, "cloudretail_inventory_audit_ok", 0, &text)) << text;
  EXPECT_EQ(sample(text, "cloudretail_inventory_audit_discrepancies"), 1);
}

TEST(OpsMetrics, DashboardAndAlertRulesNameOnlyMetricsALiveServerExposes) {
  auto server = start_shop();
  TestServer& s = *server;
  const std::string admin = login_admin(s).access_token;
  // One request of each kind, so the per-route series exist.
  call(s.client(), Method::kGet, "/products/P001");
  std::string text;
  ASSERT_TRUE(wait_sample(s, "cloudretail_inventory_audit_ok", 1, &text)) << text;
  auto exposed = exposed_names(text);
  for (auto [file, at_least] :
       {std::pair<const char*, size_t>{"deploy/grafana/cloudretail.json", 12}, {"deploy/prometheus/alerts.yml", 5}}) {
    auto named = named_in(std::string(CLOUDRETAIL_SOURCE_DIR) + "/" + file);
    EXPECT_GE(named.size(), at_least) << file;
    for (const auto& name : named)
      EXPECT_TRUE(exposed.count(name)) << file << " names " << name << ", which GET /metrics does not expose";
  }
}
