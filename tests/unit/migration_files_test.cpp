// Every service's migrations/*.sql, as compiled into the binary: numbered 1..N,
// applied on a fresh database of each backend (SQLite: label unit; PostgreSQL: label
// pg), and giving the schema the code made before the SQL moved into files, with the
// same (service, version) rows in schema_migrations, so existing databases neither
// re-run nor miss one. The old schema is frozen in schema_before_sql_files/.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "auth/auth_repository.hpp"
#include "cart/cart_repository.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "dbtest/dbtest_repository.hpp"
#include "inventory/inventory_repository.hpp"
#include "notification/notification_repository.hpp"
#include "order/order_repository.hpp"
#include "payment/payment_repository.hpp"
#include "pg_cluster.hpp"
#include "product/sql_product_repository.hpp"

using namespace cloudretail;
namespace fs = std::filesystem;

namespace {

/// Every service's list, as the composition root gathers them.
std::vector<db::Migration> all_migrations(db::Dialect d) {
  std::vector<db::Migration> all;
  for (auto list : {auth::AuthRepository::migrations(d), notification::NotificationRepository::migrations(d),
                    product::SqlProductRepository::migrations(d), inventory::InventoryRepository::migrations(d),
                    cart::CartRepository::migrations(d), order::OrderRepository::migrations(d),
                    payment::PaymentRepository::migrations(d), dbtest::DbTestRepository::migrations(d)})
    all.insert(all.end(), list.begin(), list.end());
  return all;
}

/// The statements' text with layout taken out: the files lay out over several lines
/// what the C++ string literals had on one, and SQLite keeps the CREATE text as written.
std::string without_layout(const std::string& s) {
  auto tight = [](char c) { return c == '(' || c == ')' || c == ',' || c == ';'; };
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty() && !tight(c) && !tight(out.back())) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

/// What the schema is, one line per object, by the queries that made the frozen files.
std::vector<std::string> describe(db::Database& db) {
  std::vector<std::string> queries{"SELECT service || '|' || version FROM schema_migrations ORDER BY service, version"};
  if (db.dialect() == db::Dialect::kSqlite) {
    queries.push_back(
        "SELECT type || '|' || name || '|' || tbl_name || '|' || coalesce(sql, '') FROM sqlite_master"
        " WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
  } else {
    queries.push_back(
        "SELECT table_name || '|' || column_name || '|' || data_type || '|' || is_nullable || '|' ||"
        " coalesce(column_default, '') || '|' || coalesce(generation_expression, '')"
        " FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position");
    queries.push_back(
        "SELECT indexname || '|' || indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname");
    queries.push_back(
        "SELECT conrelid::regclass::text || '|' || conname || '|' || pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) ORDER BY 1");
  }
  std::vector<std::string> lines;
  auto conn = db.acquire();
  for (const auto& q : queries)
    for (const auto& row : conn->query(q).rows) lines.push_back(without_layout(row.text(0)));
  return lines;
}

/// The frozen description (comment lines dropped), layout taken out the same way.
std::vector<std::string> frozen(const std::string& backend) {
  std::ifstream in(fs::path(SCHEMA_BEFORE_SQL_FILES) / (backend + ".txt"));
  EXPECT_TRUE(in) << "no frozen schema for " << backend;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') lines.push_back(without_layout(line));
  return lines;
}

/// The "service|version" lines at the top of a description.
std::set<std::string> recorded_versions(const std::vector<std::string>& description) {
  std::set<std::string> out;
  for (const auto& line : description) {
    auto bar = line.find('|');
    if (bar == std::string::npos || line.find('|', bar + 1) != std::string::npos) break;
    out.insert(line);
  }
  return out;
}

std::string key(const db::Migration& m) { return m.service + "|" + std::to_string(m.version); }

enum class Backend { kSqlite, kPostgres };

void PrintTo(Backend b, std::ostream* os) { *os << (b == Backend::kSqlite ? "Sqlite" : "Postgres"); }

class MigrationFiles : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      auto url = cloudretail::testing::fresh_pg_database();
      if (!url) GTEST_SKIP() << "no test PostgreSQL (CLOUDRETAIL_TEST_PG_URL[_FILE] unset)";
      url_ = *url;
    } else {
      dir_ = fs::temp_directory_path() /
             ("cr-migfiles-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
      fs::create_directories(dir_);
    }
    db_ = db::open_database({url_, (dir_ / "t.db").string(), 2, "NORMAL"});
  }
  void TearDown() override {
    db_.reset();
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  std::string backend() const { return GetParam() == Backend::kSqlite ? "sqlite" : "postgres"; }

  std::string url_;
  fs::path dir_;
  std::unique_ptr<db::Database> db_;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace

TEST(MigrationFileList, EachServiceNumbersItsMigrationsOneToN) {
  for (auto dialect : {db::Dialect::kSqlite, db::Dialect::kPostgres}) {
    std::map<std::string, std::vector<int>> versions;
    for (const auto& m : all_migrations(dialect)) {
      versions[m.service].push_back(m.version);
      EXPECT_FALSE(m.sql.empty()) << key(m);
    }
    EXPECT_EQ(versions.size(), 8u);
    for (const auto& [service, list] : versions)
      for (size_t i = 0; i < list.size(); ++i) EXPECT_EQ(list[i], static_cast<int>(i) + 1) << service;
  }
}

TEST(MigrationFileList, OnlyTheSearchMigrationsDifferBetweenBackends) {
  auto sqlite = all_migrations(db::Dialect::kSqlite), postgres = all_migrations(db::Dialect::kPostgres);
  ASSERT_EQ(sqlite.size(), postgres.size());
  const std::set<std::string> search{"product|3", "product|4", "product|5"};  // FTS5 against tsvector
  for (size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(key(sqlite[i]), key(postgres[i]));
    EXPECT_EQ(sqlite[i].sql == postgres[i].sql, !search.count(key(sqlite[i]))) << key(sqlite[i]);
  }
}

TEST_P(MigrationFiles, EveryMigrationAppliesOnAFreshDatabaseOnce) {
  auto all = all_migrations(db_->dialect());
  EXPECT_EQ(db::apply_migrations(*db_, all), static_cast<int>(all.size()));
  EXPECT_EQ(db::apply_migrations(*db_, all), 0);
}

// An existing database recorded these versions: each is still in the list, under the
// same service and number, so none runs again; and the released ones give the same
// tables, columns, indexes, constraints and triggers as the code before did.
TEST_P(MigrationFiles, ReleasedVersionsKeepTheirIdentityAndSchema) {
  const auto before = frozen(backend());
  const auto released = recorded_versions(before);
  ASSERT_EQ(released.size(), 18u);
  std::vector<db::Migration> same;
  for (const auto& m : all_migrations(db_->dialect()))
    if (released.count(key(m))) same.push_back(m);
  EXPECT_EQ(same.size(), released.size()) << "a released (service, version) is gone or renumbered";
  db::apply_migrations(*db_, same);
  EXPECT_EQ(describe(*db_), before);
}

// A database made by the released versions, with products in it, upgrades to the
// current list: its search index (rebuilt by product 4 on SQLite; new prefix keys from
// product 5 on PostgreSQL) still finds the active products by word prefixes, ranks the
// exact word first, leaves archived ones out, and follows writes made after the
// upgrade (on SQLite the triggers name the rebuilt table).
TEST_P(MigrationFiles, AnUpgradedDatabaseSearchesItsProductsByPrefix) {
  const auto released = recorded_versions(frozen(backend()));
  std::vector<db::Migration> old;
  for (const auto& m : all_migrations(db_->dialect()))
    if (released.count(key(m))) old.push_back(m);
  db::apply_migrations(*db_, old);
  product::SqlProductRepository repo(*db_);
  auto make = [](std::string id, std::string name, std::string description) {
    return product::Product{std::move(id), std::move(name),        "Peripherals", 999, "USD", std::nullopt,
                            1000,          std::move(description), std::nullopt};
  };
  ASSERT_TRUE(repo.insert(make("M1", "Mousepad deluxe", "Stitched edges")));
  ASSERT_TRUE(repo.insert(make("M2", "Wireless mouse", "Quiet buttons")));
  ASSERT_TRUE(repo.insert(make("M3", "Mouse trap", "Archived before the upgrade")));
  ASSERT_TRUE(repo.archive("M3", 2000));

  const auto all = all_migrations(db_->dialect());
  EXPECT_EQ(db::apply_migrations(*db_, all), static_cast<int>(all.size() - old.size()));
  if (db_->dialect() == db::Dialect::kSqlite) {
    auto conn = db_->acquire();
    EXPECT_EQ(conn->query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'products_fts'"
                          " AND sql LIKE '%prefix=''2 3 4 5 6 7 8''%'")
                  .first()
                  .int64(0),
              1)
        << "the FTS5 table with the prefix indexes of product 4";
  }

  auto ids = [&](std::vector<std::string> words) {
    std::vector<std::string> out;
    for (const auto& hit : repo.search(words, std::nullopt, std::nullopt, 10)) out.push_back(hit.product.product_id);
    return out;
  };
  EXPECT_EQ(ids({"mouse"}), (std::vector<std::string>{"M2", "M1"})) << "the exact word first";
  EXPECT_EQ(ids({"mousep"}), std::vector<std::string>{"M1"});  // a prefix longer than 3
  EXPECT_EQ(ids({"wirel", "quie"}), std::vector<std::string>{"M2"});
  EXPECT_EQ(ids({"stitched"}), std::vector<std::string>{"M1"});
  EXPECT_TRUE(ids({"trap"}).empty()) << "archived before the upgrade";
  EXPECT_TRUE(ids({"ouse"}).empty()) << "prefixes of words only";

  // Writes after the upgrade reach the index.
  ASSERT_TRUE(repo.insert(make("M4", "Trackball", "Ergonomic")));
  EXPECT_EQ(ids({"trackb"}), std::vector<std::string>{"M4"});
  // Words longer than the longest indexed prefix (8) and words with non-ASCII letters.
  EXPECT_EQ(ids({"ergonomic"}), std::vector<std::string>{"M4"});
  EXPECT_TRUE(ids({"ergonomix"}).empty()) << "the first 8 characters match, the word does not";
  ASSERT_TRUE(repo.insert(make("M5", "Crème brûlée torch", "")));
  EXPECT_EQ(ids({"crè", "brûlée"}), std::vector<std::string>{"M5"});
  product::ProductPatch rename;
  rename.name = "Gaming mousepad";
  ASSERT_TRUE(repo.update("M4", rename, 3000));
  EXPECT_TRUE(ids({"trackb"}).empty());
  EXPECT_EQ(ids({"gaming", "mousep"}), std::vector<std::string>{"M4"});
  ASSERT_TRUE(repo.archive("M1", 4000));
  EXPECT_EQ(ids({"mousepad"}), std::vector<std::string>{"M4"});
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationFiles, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         backend_name);
