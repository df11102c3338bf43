#pragma once
/// The catalog's records, shared by the service, its repositories and the cache.
/// Plain data: no JSON, no SQL.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cloudretail::product {

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

struct SearchCursor {
  int64_t score = 0;
  std::string product_id;
};
struct SearchHit {
  Product product;
  int64_t score = 0;  // relevance, larger first
};
using SearchRows = std::vector<SearchHit>;

}  // namespace cloudretail::product
