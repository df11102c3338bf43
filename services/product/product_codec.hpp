#pragma once
/// The part of the product JSON peers rely on, in one place: the routes write it
/// (first in every product object) and the HTTP client (product_http_client)
/// reads it back.
#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "core/json_writer.hpp"
#include "product/product_client.hpp"

namespace cloudretail::product {

/// "productId","name","category","price","currency" inside an object the caller
/// opened (views, so the routes write a product without copying it).
void write_summary_fields(JsonWriter& w, std::string_view product_id, std::string_view name, std::string_view category,
                          int64_t price_minor, std::string_view currency);
/// nullopt when the price is missing or not exact money.
std::optional<ProductSummary> read_summary(const boost::json::object& o);

}  // namespace cloudretail::product
