#include "inventory/inventory_http_client.hpp"

#include "core/crypto.hpp"
#include "inventory/inventory_codec.hpp"

namespace cloudretail::inventory {

using http::encode_segment;
using http::Peer;

Result<StockLevel> HttpInventoryClient::get(const std::string& product_id) {
  auto reply = peer_.call(http::Method::kGet, "/inventory/" + encode_segment(product_id), {}, true);
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  return read_stock_level(reply->body);
}

Result<StockLevel> HttpInventoryClient::move(const char* op, const std::string& product_id, int64_t qty,
                                             const std::string& reservation_id) {
  // Retrying is safe only with a reservation id (the peer makes it idempotent).
  auto reply = peer_.call(http::Method::kPost, "/inventory/" + encode_segment(product_id) + "/" + op,
                          write_stock_move(qty, reservation_id), !reservation_id.empty());
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  auto inv = reply->body.find("inventory");
  if (inv == reply->body.end() || !inv->value().is_object()) return unavailable(peer_.unavailable_message());
  return read_stock_level(inv->value().get_object());
}

Result<StockLevel> HttpInventoryClient::reserve(const std::string& product_id, int64_t qty,
                                                const std::string& reservation_id) {
  return move("reserve", product_id, qty, reservation_id);
}

Result<StockLevel> HttpInventoryClient::release(const std::string& product_id, int64_t qty,
                                                const std::string& reservation_id) {
  return move("release", product_id, qty, reservation_id);
}

Result<StockLevel> HttpInventoryClient::ship(const std::string& product_id, int64_t qty,
                                             const std::string& reservation_id) {
  return move("ship", product_id, qty, reservation_id);
}

Result<StockPage> HttpInventoryClient::list(const std::string& after, int limit) {
  std::string target = "/inventory?limit=" + std::to_string(limit);
  if (!after.empty()) target += "&nextToken=" + crypto::base64url_encode(after);
  auto reply = peer_.call(http::Method::kGet, target, {}, true);
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  auto page = read_stock_page(reply->body);
  if (!page) return unavailable(peer_.unavailable_message());
  return std::move(*page);
}

}  // namespace cloudretail::inventory
