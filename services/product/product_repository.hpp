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

struct SearchCursor {
  int64_t score = 0;
  std::string product_id;
};
struct SearchHit {
  Product product;
  int64_t score = 0;  // relevance, larger first
};
using SearchRows = std::vector<SearchHit>;

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
  /// Active products holding every word (itself or a word it starts) in name,
  /// description or category; by relevance, then productId; after the cursor.
  /// `words` are lower-case letters and digits only (ProductService::search checks).
  SearchRows search(const std::vector<std::string>& words, const std::optional<std::string>& category,
                    const std::optional<SearchCursor>& after, int limit);
  /// Active products per category, ordered by category.
  std::vector<CategoryCount> categories();

 private:
  db::Database& db_;
};

}  // namespace cloudretail::product
