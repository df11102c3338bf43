// product_rank (services/product/search_rank.hpp), SQLite's search ranking, against
// FTS5's own bm25: the same score while every phrase's rows are counted, and while a
// common phrase's count is extrapolated from rowids that are dense, as inserts make them.
#include <gtest/gtest.h>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "fresh_database.hpp"
#include "product/sql_product_repository.hpp"

using namespace cloudretail;
using cloudretail::testing::FreshDatabase;

namespace {

// 1,500 products named "Widget i" (a phrase past the counted 1,000), every 100th also
// "rare" in its name, every 3rd "a rarely used widget" in its description.
std::unique_ptr<db::Database> open_widgets(const FreshDatabase& fresh) {
  auto db = fresh.open(1);
  db::apply_migrations(*db, product::SqlProductRepository::migrations(db->dialect()));
  db->acquire()->execute(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)"
      " INSERT INTO products (product_id, name, category, price_minor, currency, created_at, description, updated_at)"
      " SELECT printf('p%05d', i), 'Widget ' || i || CASE WHEN i % 100 = 0 THEN ' rare' ELSE '' END,"
      " CASE WHEN i % 2 = 1 THEN 'tools' ELSE 'garden' END, 100, 'USD', 0,"
      " CASE WHEN i % 3 = 0 THEN 'a rarely used widget' ELSE '' END, 0 FROM n");
  return db;
}

// Rows the match finds, and those whose score (as the repository rounds it) differs
// from bm25's. (An auxiliary function cannot be used inside an aggregate's subquery.)
std::pair<int64_t, int64_t> matched_and_differing(db::Database& db, const std::string& match) {
  auto rows = db.acquire()->query(
      "SELECT CAST(product_rank(products_fts, 10.0, 2.0, 5.0) * 1000000 AS INTEGER),"
      " CAST(-bm25(products_fts, 10.0, 2.0, 5.0) * 1000000 AS INTEGER) FROM products_fts WHERE products_fts MATCH ?",
      match);
  int64_t differing = 0;
  for (const auto& row : rows.rows) differing += row.int64(0) != row.int64(1);
  return {static_cast<int64_t>(rows.rows.size()), differing};
}

}  // namespace

TEST(ProductRank, IsBm25WhileEveryPhraseIsCounted) {
  FreshDatabase fresh;
  auto db = open_widgets(fresh);
  const auto [matched, differing] = matched_and_differing(*db, "(\"rare\" OR \"rare\"*)");
  EXPECT_EQ(matched, 15 + 500 - 5);  // names, descriptions, both
  EXPECT_EQ(differing, 0);
}

TEST(ProductRank, IsBm25WhenACommonPhraseIsCountedFromDenseRowids) {
  FreshDatabase fresh;
  auto db = open_widgets(fresh);
  const auto [matched, differing] =
      matched_and_differing(*db, "(\"widget\" OR \"widget\"*) AND (\"tools\" OR \"tools\"*)");
  EXPECT_EQ(matched, 750);
  EXPECT_EQ(differing, 0);
}
