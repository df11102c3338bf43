#pragma once
/// A read cache in front of another ProductRepository: products by id, list pages
/// and the category counts, each kept at most `ttl_ms`, so GET /products and
/// GET /products/{id} (and peers' product lookups) rarely reach the database.
///
/// Writes go through this object to the inner repository and then drop what they
/// may have changed (the product, every page, the counts), so this process sees its
/// own writes at once. A generation counter keeps a read that raced a write from
/// storing what it saw. Another process writing the same database (replicas on
/// PostgreSQL, `cloudretail seed` beside a server) is seen within `ttl_ms`.
/// Bounded: a full map is emptied and refilled. Thread-safe.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "product/product_repository.hpp"

namespace cloudretail::product {

struct ProductCacheLimits {
  int64_t ttl_ms = 1000;
  size_t max_products = 4096;
  size_t max_pages = 256;  // each at most kMaxPageSize + 1 rows
};

class CachedProductRepository final : public ProductRepository {
 public:
  CachedProductRepository(ProductRepository& inner, const Clock& clock, ProductCacheLimits limits = {})
      : inner_(inner), clock_(clock), limits_(limits) {}

  /// What find() would answer, only when the cache holds it fresh; never blocks on
  /// the database (for the I/O thread). nullopt: not cached, ask find().
  std::optional<Product> peek(const std::string& product_id) const;
  /// What list() would answer, only when the cache holds that page fresh.
  std::optional<std::vector<Product>> peek_list(const std::string& after, const std::optional<std::string>& category,
                                                int limit) const;

  // Reads: from the cache when fresh, else from the inner repository (then cached).
  std::optional<Product> find(const std::string& product_id) override;
  std::vector<Product> list(const std::string& after, const std::optional<std::string>& category, int limit) override;
  std::vector<CategoryCount> categories() override;
  /// Not cached: searches are many and varied; each is one indexed query.
  SearchRows search(const std::vector<std::string>& words, const std::optional<std::string>& category,
                    const std::optional<SearchCursor>& after, int limit) override {
    return inner_.search(words, category, after, limit);
  }

  // Writes: to the inner repository, then the cache drops what they touched
  // (also when the write finds nothing or throws: dropping is always safe).
  bool insert(const Product& p) override;
  std::optional<Product> set_image_key(const std::string& product_id, const std::string& image_key) override;
  std::optional<Product> update(const std::string& product_id, const ProductPatch& patch, int64_t now_ms) override;
  bool archive(const std::string& product_id, int64_t now_ms) override;

 private:
  using PageKey = std::tuple<std::string, std::optional<std::string>, int>;  // after, category, limit
  template <class T>
  struct Entry {
    int64_t stored_at_ms;
    T value;
  };

  bool fresh(int64_t stored_at_ms) const { return clock_.now_ms() - stored_at_ms < limits_.ttl_ms; }
  /// Runs `write`, then drops the product, every page and the counts.
  template <class Write>
  auto write_through(const std::string& product_id, Write write);
  void invalidate(const std::string& product_id);

  ProductRepository& inner_;
  const Clock& clock_;
  const ProductCacheLimits limits_;

  mutable std::shared_mutex mutex_;
  uint64_t generation_ = 0;  // moves on every write: a read begun before it stores nothing
  std::unordered_map<std::string, Entry<Product>> products_;
  std::map<PageKey, Entry<std::vector<Product>>> pages_;
  std::optional<Entry<std::vector<CategoryCount>>> categories_;
};

}  // namespace cloudretail::product
