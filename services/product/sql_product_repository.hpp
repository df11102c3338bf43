#pragma once
/// The only code that runs SQL for the catalog. Table `products` (product_id
/// primary key), index (category, product_id) for the filtered listing, and a
/// search index kept in step with writes (see README).
#include <vector>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "product/product_repository.hpp"
#include "product/search_rank.hpp"

namespace cloudretail::product {

/// services/product/migrations/*.sql, compiled in by cloudretail_service_migrations
/// (libs/db/migrations.cmake).
std::span<const db::MigrationFile> migration_files();

class SqlProductRepository final : public ProductRepository {
 public:
  // Registered before main already; the call also keeps search_rank.cpp in the link.
  explicit SqlProductRepository(db::Database& db) : db_(db) { register_product_rank(); }

  /// The product tables for `dialect`: migrations/*.sql.
  static std::vector<db::Migration> migrations(db::Dialect dialect);

  bool insert(const Product& p) override;
  std::optional<Product> find(const std::string& product_id) override;
  std::vector<Product> list(const std::string& after, const std::optional<std::string>& category, int limit) override;
  std::optional<Product> set_image_key(const std::string& product_id, const std::string& image_key) override;
  std::optional<Product> update(const std::string& product_id, const ProductPatch& patch, int64_t now_ms) override;
  bool archive(const std::string& product_id, int64_t now_ms) override;
  SearchRows search(const std::vector<std::string>& words, const std::optional<std::string>& category,
                    const std::optional<SearchCursor>& after, int limit) override;
  std::vector<CategoryCount> categories() override;

 private:
  db::Database& db_;
};

}  // namespace cloudretail::product
