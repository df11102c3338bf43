// `cloudretail backup` and `cloudretail restore`: a backup taken while buyers
// check out and pay restores into a new data directory that serves, passes the
// inventory audit and holds every order answered before the backup started;
// restore refuses while a server holds the database and refuses damaged files;
// on PostgreSQL both commands point to pg_dump / pg_restore.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "auth_helpers.hpp"
#include "pg_cluster.hpp"
#include "test_server.hpp"

using namespace cloudretail;
using namespace cloudretail::testing;
using Method = http::Method;
using Clock = std::chrono::steady_clock;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> shop_env(const std::string& dir) {
  auto env = admin_env();
  env["LOG_LEVEL"] = "warn";
  env["DATA_DIR"] = dir;
  env["CHECKOUT_RECOVERY_GRACE_MS"] = "300";  // a checkout caught mid-flight by the backup is undone quickly
  return env;
}

std::unique_ptr<TestServer> start_on(const std::string& dir) {
  ServerOptions options;
  options.env = shop_env(dir);
  options.data_dir = dir;
  return std::make_unique<TestServer>(options);
}

Reply as(http::HttpClient& c, const std::string& token, Method m, const std::string& target,
         const std::string& body = "") {
  return call(c, m, target, body, bearer(token));
}

/// An order as the buyer threads saw it answered.
struct Answered {
  std::string order_id, user;
  Clock::time_point ordered_at;
  std::optional<Clock::time_point> paid_at;  // a SUCCESS payment answered 201
};

}  // namespace

TEST(Backup, TakenDuringCheckoutsAndPaymentsRestoresIntoANewDataDirectory) {
  if (testing_on_postgres()) GTEST_SKIP() << "on PostgreSQL, backups are pg_dump's job (see the PostgreSQL test)";
  const std::string dir = make_temp_dir("cloudretail-backup-live-");
  std::string out;
  ASSERT_EQ(run_command({"seed"}, shop_env(dir), &out), 0) << out;
  auto server = start_on(dir);
  const std::string admin = login_admin(*server).access_token;

  std::mutex mutex;
  std::vector<Answered> answered;
  std::atomic<bool> stop{false};
  std::atomic<int> checkouts{0};
  std::vector<std::thread> buyers;
  for (int i = 0; i < 6; ++i)
    buyers.emplace_back([&, i] {
      http::HttpClient client(server->base_url());
      const std::string user = "backup-buyer-" + std::to_string(i);
      const std::string u = "?userId=" + user;
      const std::string product = "P00" + std::to_string(1 + i % 5);
      for (int n = 0; !stop.load(); ++n) {
        if (as(client, admin, Method::kPost, "/cart/items" + u, R"({"productId":")" + product + R"(","qty":1})")
                .status != 200)
          continue;
        auto r = as(client, admin, Method::kPost, "/orders/checkout" + u, "{}");
        if (r.status != 201) continue;
        Answered a{std::string(r.json.at("order").at("orderId").as_string()), user, Clock::now(), std::nullopt};
        ++checkouts;
        // Every third order fails its first payment and is retried: both paths write.
        if (n % 3 == 0)
          as(client, admin, Method::kPost, "/payments", R"({"orderId":")" + a.order_id + R"(","status":"FAILED"})");
        r = as(client, admin, Method::kPost, "/payments", R"({"orderId":")" + a.order_id + R"(","status":"SUCCESS"})");
        if (r.status == 201) a.paid_at = Clock::now();
        std::lock_guard lock(mutex);
        answered.push_back(std::move(a));
      }
    });

  auto deadline = Clock::now() + std::chrono::seconds(60);
  while (checkouts.load() < 20 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const std::string backup_file = make_temp_dir("cloudretail-backup-file-") + "/shop.db";
  const auto backup_started = Clock::now();
  const int checkouts_before = checkouts.load();
  ASSERT_EQ(run_command({"backup", "--to", backup_file}, shop_env(dir), &out), 0) << out;
  const int checkouts_during = checkouts.load() - checkouts_before;
  std::cout << "[ measured ] " << out << "[ measured ] " << checkouts_before << " checkouts before the backup, "
            << checkouts_during << " while it ran\n";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // writes go on after it, too
  stop = true;
  for (auto& t : buyers) t.join();
  EXPECT_TRUE(fs::exists(backup_file));
  EXPECT_FALSE(fs::exists(backup_file + "-wal")) << "the backup must be one self-contained file";

  // The running server holds the database: restoring over it is refused, and it keeps serving.
  ASSERT_NE(run_command({"restore", "--from", backup_file}, shop_env(dir), &out), 0);
  EXPECT_NE(out.find("refusing to restore"), std::string::npos) << out;
  EXPECT_EQ(call(server->client(), Method::kGet, "/health").status, 200);

  const std::string restored_dir = make_temp_dir("cloudretail-backup-restored-");
  ASSERT_EQ(run_command({"restore", "--from", backup_file}, shop_env(restored_dir), &out), 0) << out;
  EXPECT_NE(out.find("integrity_check ok"), std::string::npos) << out;
  auto restored = start_on(restored_dir);
  const std::string admin2 = login_admin(*restored).access_token;  // the admin came back with the database

  // Checkouts the backup caught mid-flight are undone by recovery; then the audit holds.
  Reply audit;
  for (auto until = Clock::now() + std::chrono::seconds(20); Clock::now() < until;) {
    audit = as(restored->client(), admin2, Method::kGet, "/admin/inventory-audit");
    if (audit.status == 200 && audit.json.at("ok").as_bool()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_TRUE(audit.json.at("ok").as_bool()) << audit.body;

  int checked = 0, paid = 0;
  for (const auto& a : answered) {
    if (a.ordered_at >= backup_started) continue;
    ++checked;
    auto r = as(restored->client(), admin2, Method::kGet, "/orders/" + a.order_id + "?userId=" + a.user);
    ASSERT_EQ(r.status, 200) << a.order_id << " was answered before the backup started but is not restored";
    if (a.paid_at && *a.paid_at < backup_started) {
      ++paid;
      EXPECT_EQ(r.json.at("status").as_string(), "CONFIRMED") << a.order_id << " was paid before the backup started";
    }
  }
  EXPECT_GE(checked, 20);
  std::cout << "[ measured ] " << checked << " orders answered before the backup are restored (" << paid
            << " of them paid and CONFIRMED)\n";
  fs::remove_all(fs::path(backup_file).parent_path());
  fs::remove_all(dir);
  fs::remove_all(restored_dir);
}

TEST(Backup, RestoreRefusesDamagedFilesAndKeepsTheDatabaseItReplaces) {
  if (testing_on_postgres()) GTEST_SKIP() << "SQLite files only";
  const std::string dir = make_temp_dir("cloudretail-backup-damaged-");
  std::string out;
  ASSERT_EQ(run_command({"seed"}, shop_env(dir), &out), 0) << out;
  const std::string good = dir + "/good.db";
  ASSERT_EQ(run_command({"backup", "--to", good}, shop_env(dir), &out), 0) << out;

  // Garbage, a truncated copy, and a valid SQLite file that is not a shop.
  const std::string garbage = dir + "/garbage.db", truncated = dir + "/truncated.db", foreign = dir + "/foreign.db";
  std::ofstream(garbage) << "this is not a database";
  fs::copy_file(good, truncated);
  fs::resize_file(truncated, fs::file_size(good) / 2);
  {
    std::string empty_dir = make_temp_dir("cloudretail-backup-foreign-");
    ASSERT_EQ(run_command({"backup", "--to", foreign}, shop_env(empty_dir), &out), 1) << "no database there: " << out;
    fs::remove_all(empty_dir);
  }
  std::ofstream(foreign) << "";  // an empty file opens as an empty SQLite database
  const std::string target = make_temp_dir("cloudretail-backup-target-");
  for (const auto& bad : {garbage, truncated, foreign, dir + "/missing.db"}) {
    EXPECT_EQ(run_command({"restore", "--from", bad}, shop_env(target), &out), 1) << bad << ": " << out;
    EXPECT_NE(out.find("restore failed"), std::string::npos) << out;
    EXPECT_FALSE(fs::exists(target + "/cloudretail.db")) << bad << " must not be put in place";
  }

  // Restoring over an existing database keeps the old one beside it.
  ASSERT_EQ(run_command({"migrate"}, shop_env(target), &out), 0) << out;
  ASSERT_EQ(run_command({"restore", "--from", good}, shop_env(target), &out), 0) << out;
  EXPECT_TRUE(fs::exists(target + "/cloudretail.db.pre-restore"));
  EXPECT_EQ(fs::file_size(target + "/cloudretail.db"), fs::file_size(good));
  fs::remove_all(dir);
  fs::remove_all(target);
}

TEST(Backup, OnPostgresqlBothCommandsPointToPgDumpAndPgRestore) {
  std::map<std::string, std::string> env{{"DATABASE_URL", "postgresql://shop:secret@db.invalid:5432/shop"},
                                         {"DATA_DIR", make_temp_dir("cloudretail-backup-pg-")}};
  std::string out;
  EXPECT_EQ(run_command({"backup", "--to", env["DATA_DIR"] + "/x.dump"}, env, &out), 1);
  EXPECT_NE(out.find("pg_dump"), std::string::npos) << out;
  EXPECT_EQ(out.find("secret"), std::string::npos) << "never print the URL's password: " << out;
  EXPECT_FALSE(fs::exists(env["DATA_DIR"] + "/x.dump"));
  EXPECT_EQ(run_command({"restore", "--from", env["DATA_DIR"] + "/x.dump"}, env, &out), 1);
  EXPECT_NE(out.find("pg_restore"), std::string::npos) << out;
  fs::remove_all(env["DATA_DIR"]);
}
