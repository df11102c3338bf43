#pragma once
/// The only code that runs SQL for the catalog. Table `products` (product_id
/// primary key), index (category, product_id) for the filtered listing. Archived
/// products (archived_at set) keep their row and leave every read.
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "product/product_service.hpp"

namespace cloudretail::product {

class ProductRepository {
 public:
  explicit ProductRepository(db::Database& db) : db_(db) {}

  static std::vector<db::Migration> migrations();

  /// False when the product id exists already (nothing written).
  bool insert(const Product& p);
  std::optional<Product> find(const std::string& product_id);
  /// Up to `limit` products with product_id > after (and the category, when given), by product_id.
  std::vector<Product> list(const std::string& after, const std::optional<std::string>& category, int limit);
  /// The updated product, or nullopt when it does not exist (or is archived).
  std::optional<Product> set_image_key(const std::string& product_id, const std::string& image_key);
  /// Applies the fields present in `patch` to an active product; nullopt when there is none.
  std::optional<Product> update(const std::string& product_id, const ProductPatch& patch, int64_t now_ms);
  /// Active -> archived; false when unknown or archived already.
  bool archive(const std::string& product_id, int64_t now_ms);
  /// Active products per category, ordered by category.
  std::vector<CategoryCount> categories();

 private:
  db::Database& db_;
};

}  // namespace cloudretail::product
