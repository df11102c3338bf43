#include "product/product_codec.hpp"

#include "core/json_read.hpp"
#include "core/money.hpp"

namespace cloudretail::product {

void write_summary_fields(JsonWriter& w, std::string_view product_id, std::string_view name, std::string_view category,
                          int64_t price_minor, std::string_view currency) {
  w.field("productId", product_id)
      .field("name", name)
      .field("category", category)
      .money_field("price", price_minor)
      .field("currency", currency);
}

std::optional<ProductSummary> read_summary(const boost::json::object& o) {
  ProductSummary p;
  p.product_id = json_string(o, "productId").value_or("");
  p.name = json_string(o, "name").value_or("");
  p.category = json_string(o, "category").value_or("");
  p.currency = json_string(o, "currency").value_or("");
  auto price = o.find("price");
  auto minor = price != o.end() ? money_from_json(price->value()) : std::nullopt;
  if (!minor) return std::nullopt;
  p.price_minor = *minor;
  return p;
}

}  // namespace cloudretail::product
