#include "product/product_http_client.hpp"

#include "product/product_codec.hpp"

namespace cloudretail::product {

Result<ProductSummary> HttpProductClient::get(const std::string& product_id) {
  auto reply = peer_.call(http::Method::kGet, "/products/" + http::encode_segment(product_id), {}, true);
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return http::Peer::error_from(*reply);
  auto summary = read_summary(reply->body);
  if (!summary) return unavailable(peer_.unavailable_message());
  return std::move(*summary);
}

}  // namespace cloudretail::product
