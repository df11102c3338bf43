#pragma once
/// Where the catalog is stored. Implementations: SqlProductRepository (the
/// database) and CachedProductRepository (a read cache in front of another).
/// Archived products keep their row and leave every read.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "product/product.hpp"

namespace cloudretail::product {

class ProductRepository {
 public:
  virtual ~ProductRepository() = default;

  /// False when the product id exists already (nothing written).
  virtual bool insert(const Product& p) = 0;
  /// The active product, or nullopt when unknown or archived.
  virtual std::optional<Product> find(const std::string& product_id) = 0;
  /// Up to `limit` products with product_id > after (and the category, when given), by product_id.
  virtual std::vector<Product> list(const std::string& after, const std::optional<std::string>& category,
                                    int limit) = 0;
  /// The updated product, or nullopt when it does not exist (or is archived).
  virtual std::optional<Product> set_image_key(const std::string& product_id, const std::string& image_key) = 0;
  /// Applies the fields present in `patch` to an active product; nullopt when there is none.
  virtual std::optional<Product> update(const std::string& product_id, const ProductPatch& patch, int64_t now_ms) = 0;
  /// Active -> archived; false when unknown or archived already.
  virtual bool archive(const std::string& product_id, int64_t now_ms) = 0;
  /// Active products holding every word (itself or a word it starts) in name,
  /// description or category; by relevance, then productId; after the cursor.
  /// `words` are lower-case letters and digits only (ProductService::search checks).
  virtual SearchRows search(const std::vector<std::string>& words, const std::optional<std::string>& category,
                            const std::optional<SearchCursor>& after, int limit) = 0;
  /// Active products per category, ordered by category.
  virtual std::vector<CategoryCount> categories() = 0;
};

}  // namespace cloudretail::product
