#pragma once
/// What other services may ask of the catalog. Implementations: in-process
/// (LocalProductClient) and HTTP (split deployment).
/// Errors: kNotFound "Product not found"; kUnavailable "Product service error".
#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace cloudretail::product {

struct ProductSummary {
  std::string product_id;
  std::string name;
  std::string category;
  int64_t price_minor = 0;  // catalog price in minor units
  std::string currency;
};

class ProductClient {
 public:
  virtual ~ProductClient() = default;
  virtual Result<ProductSummary> get(const std::string& product_id) = 0;
};

}  // namespace cloudretail::product
