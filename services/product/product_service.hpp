#pragma once
/// The catalog: products with an exact price (minor units) and an optional image
/// in the object store, handed out as pre-signed URLs. No JSON, no SQL here.
#include "core/ids.hpp"
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "objects/object_store.hpp"
#include "product/product_client.hpp"

namespace cloudretail::product {

class ProductRepository;

struct Product {
  std::string product_id;
  std::string name;
  std::string category;
  int64_t price_minor = 0;
  std::string currency;
  std::optional<std::string> image_key;
  int64_t created_at_ms = 0;
  std::string description;               // 0-2,000 characters
  std::optional<int64_t> updated_at_ms;  // set by the first update or archive
};

/// PATCH /products/{id}: only the fields present change. `image_key` holding
/// nullopt inside means "remove the image key".
struct ProductPatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> category;
  std::optional<int64_t> price_minor;
  std::optional<std::optional<std::string>> image_key;
  bool empty() const { return !name && !description && !category && !price_minor && !image_key; }
};

struct CategoryCount {
  std::string category;
  int64_t count = 0;  // active products
};

/// A product as answered: with a fresh pre-signed image URL when it has an image.
struct ProductView {
  Product product;
  std::optional<std::string> image_url;
};

struct ProductPage {
  std::vector<ProductView> items;
  std::optional<std::string> next_token;  // opaque; present only when more remain
};

struct ImageUpload {
  std::string upload_url;
  std::string image_key;
  int expires_in = 0;
};

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 100;

using cloudretail::is_valid_product_id;  // libs/core/ids.hpp

class ProductService {
 public:
  ProductService(ProductRepository& repo, objects::ObjectStore& store, const Clock& clock, int signed_url_expires)
      : repo_(repo), store_(store), clock_(clock), signed_url_expires_(signed_url_expires) {}

  /// Keyset pagination by productId: one index range scan per page at any catalog size.
  /// limit 1..100 (400 otherwise); next_token as returned by a previous page (400 when forged).
  Result<ProductPage> list(int limit, const std::string& next_token, const std::optional<std::string>& category);
  /// GET /products?q=: active products holding every word of `q` (itself or a word
  /// it starts, case-insensitive) in name, description or category, most relevant
  /// first (an exact word above a longer word it starts), then by productId; with
  /// `category`, only that category. 400 InvalidParameterException for a q without
  /// letters or digits, over 200 characters or 10 words, or a forged nextToken.
  Result<ProductPage> search(const std::string& q, int limit, const std::string& next_token,
                             const std::optional<std::string>& category);
  /// 404 "Product not found".
  Result<ProductView> get(const std::string& product_id);
  /// 400 on invalid fields, 409 "Product already exists".
  Result<ProductView> create(Product product);
  /// 400 on invalid fields (same rules as create) or an empty patch; 404 unknown or archived.
  /// Peers in this process see the change at once (the cache entry is dropped).
  Result<ProductView> update(const std::string& product_id, const ProductPatch& patch);
  /// 404 unknown or archived already. The product leaves lists, get and peers' lookups.
  Status archive(const std::string& product_id);
  /// Active products per category, ordered by name (cached like pages).
  Result<std::vector<CategoryCount>> categories();
  /// 400 for a content type other than image/jpeg, image/png, image/webp; 404 unknown product.
  /// Sets the product's imageKey to products/{id}.{ext}.
  Result<ImageUpload> create_image_upload(const std::string& product_id, const std::string& content_type);
  /// For peers (cart, order): the catalog facts without an image URL.
  Result<ProductSummary> summary(const std::string& product_id);

  /// The read cache alone, for the I/O thread: an answer when get/list can be
  /// given without the database (a cached product or page, or a request refused
  /// before any lookup), nullopt when the caller must use get/list.
  std::optional<Result<ProductView>> try_get_cached(const std::string& product_id);
  std::optional<Result<ProductPage>> try_list_cached(int limit, const std::string& next_token,
                                                     const std::optional<std::string>& category);

  /// `cloudretail seed`: the demo catalog with generated PNG images; re-running
  /// it changes nothing that exists already (images are rewritten in place).
  void seed_demo_catalog();

  int signed_url_expires() const { return signed_url_expires_; }

 private:
  ProductView view(Product p);
  /// The product from the read cache, else from the repository (and then cached).
  std::optional<Product> find(const std::string& product_id);
  /// The pre-signed GET URL for a key. A URL's expiry is counted in whole seconds from
  /// the clock, so one signed in the current second is exactly what signing again
  /// would give: it is reused within that second only.
  std::string signed_get_url(const std::string& key);
  Result<std::string> parse_cursor(const std::string& next_token, const std::optional<std::string>& category);
  ProductPage make_page(std::vector<Product> rows, int limit);
  /// Catalog writes (create, image key) drop what the cache holds for them.
  void invalidate(const std::string& product_id);

  ProductRepository& repo_;
  objects::ObjectStore& store_;
  const Clock& clock_;
  int signed_url_expires_;

  // Read cache. Products change only through this service (create, update, archive,
  // image key), which invalidates in-process; `generation_` keeps a read that raced a write from storing
  // what it saw. Another process writing the same database (replicas on PostgreSQL,
  // `cloudretail seed` run beside a server) is seen within kCacheTtlMs. Bounded: at most kMaxCachedProducts products and kMaxCachedPages pages
  // (each at most kMaxPageSize + 1 rows); a full map is emptied and refilled.
  static constexpr int64_t kCacheTtlMs = 1000;
  static constexpr size_t kMaxCachedProducts = 4096;
  static constexpr size_t kMaxCachedPages = 256;
  static constexpr size_t kMaxCachedUrls = 4096;
  using PageKey = std::tuple<std::string, std::optional<std::string>, int>;  // after, category, limit + 1
  std::shared_mutex cache_mutex_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, std::pair<int64_t, Product>> products_;        // id -> (stored at, product)
  std::map<PageKey, std::pair<int64_t, std::vector<Product>>> pages_;           // -> (stored at, rows)
  std::optional<std::pair<int64_t, std::vector<CategoryCount>>> categories_;   // (stored at, counts)
  std::mutex url_mutex_;
  std::unordered_map<std::string, std::pair<int64_t, std::string>> urls_;  // key -> (second, url)
};

/// The in-process client other services use when the catalog runs in this process.
class LocalProductClient final : public ProductClient {
 public:
  explicit LocalProductClient(ProductService& service) : service_(service) {}
  Result<ProductSummary> get(const std::string& product_id) override { return service_.summary(product_id); }

 private:
  ProductService& service_;
};

}  // namespace cloudretail::product
