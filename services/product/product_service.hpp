#pragma once
/// The catalog: products with an exact price (minor units) and an optional image
/// in the object store, handed out as pre-signed URLs. No JSON, no SQL here.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "objects/object_store.hpp"
#include "product/product.hpp"
#include "product/product_client.hpp"

namespace cloudretail::product {

class ProductRepository;

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

/// A checked GET /products request (not a search): where the page starts and its size.
struct PageRequest {
  std::string after;  // the productId the page starts after; "" for the first page
  std::optional<std::string> category;
  int limit = kDefaultPageSize;
  /// One row more than shown: whether it exists says whether more remain.
  int rows_to_read() const { return limit + 1; }
};

class ProductService {
 public:
  ProductService(ProductRepository& repo, objects::ObjectStore& store, const Clock& clock, int signed_url_expires)
      : repo_(repo), store_(store), clock_(clock), signed_url_expires_(signed_url_expires) {}

  /// Keyset pagination by productId: one index range scan per page at any catalog size.
  /// limit 1..100 (400 otherwise); next_token as returned by a previous page (400 when forged).
  Result<ProductPage> list(int limit, const std::string& next_token, const std::optional<std::string>& category);
  /// list() in two steps, for a caller that has the rows already (a cache on the I/O
  /// thread): the checks, without reading anything...
  Result<PageRequest> page_request(int limit, const std::string& next_token,
                                   const std::optional<std::string>& category) const;
  /// ...and the page from the rows read for it (at most request.rows_to_read()).
  ProductPage page(const PageRequest& request, std::vector<Product> rows);
  /// GET /products?q=: active products holding every word of `q` (itself or a word
  /// it starts, case-insensitive) in name, description or category, most relevant
  /// first (an exact word above a longer word it starts), then by productId; with
  /// `category`, only that category. 400 InvalidParameterException for a q without
  /// letters or digits, over 200 characters or 10 words, or a forged nextToken.
  Result<ProductPage> search(const std::string& q, int limit, const std::string& next_token,
                             const std::optional<std::string>& category);
  /// 404 "Product not found".
  Result<ProductView> get(const std::string& product_id);
  /// A product as answered: with a pre-signed image URL when it has an image.
  ProductView present(Product p);
  /// 400 on invalid fields, 409 "Product already exists".
  Result<ProductView> create(Product product);
  /// 400 on invalid fields (same rules as create) or an empty patch; 404 unknown or archived.
  /// Peers in this process see the change at once (a cached copy is dropped by the write).
  Result<ProductView> update(const std::string& product_id, const ProductPatch& patch);
  /// 404 unknown or archived already. The product leaves lists, get and peers' lookups.
  Status archive(const std::string& product_id);
  /// Active products per category, ordered by name.
  Result<std::vector<CategoryCount>> categories();
  /// 400 for a content type other than image/jpeg, image/png, image/webp; 404 unknown product.
  /// Sets the product's imageKey to products/{id}.{ext}.
  Result<ImageUpload> create_image_upload(const std::string& product_id, const std::string& content_type);
  /// For peers (cart, order): the catalog facts without an image URL.
  Result<ProductSummary> summary(const std::string& product_id);

  /// `cloudretail seed`: the demo catalog with generated PNG images; re-running
  /// it changes nothing that exists already (images are rewritten in place).
  void seed_demo_catalog();

  int signed_url_expires() const { return signed_url_expires_; }

 private:
  Result<std::string> parse_cursor(const std::string& next_token, const std::optional<std::string>& category) const;

  ProductRepository& repo_;
  objects::ObjectStore& store_;
  const Clock& clock_;
  int signed_url_expires_;
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
