#include "cart/cart_http_client.hpp"

#include "cart/cart_codec.hpp"

namespace cloudretail::cart {

using http::encode_segment;
using http::Peer;

Result<CartSnapshot> HttpCartClient::get(const std::string& user_id) {
  auto reply = peer_.call(http::Method::kGet, "/internal/cart/" + encode_segment(user_id), {}, true);
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  auto snap = read_snapshot(reply->body, user_id);
  if (!snap) return unavailable(peer_.unavailable_message());
  return std::move(*snap);
}

Result<bool> HttpCartClient::clear_if_version(const std::string& user_id, int64_t version,
                                              const std::string& taken_by) {
  // Idempotent: a repeat finds the version moved on and answers false, as it should.
  auto reply = peer_.call(http::Method::kPost, "/internal/cart/" + encode_segment(user_id) + "/clear",
                          write_clear_request(version, taken_by));
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  return read_flag(reply->body, "cleared");
}

Result<bool> HttpCartClient::restore(const std::string& user_id, const std::string& taken_by,
                                     const std::vector<CartLine>& items) {
  auto reply = peer_.call(http::Method::kPost, "/internal/cart/" + encode_segment(user_id) + "/restore",
                          write_restore_request(taken_by, items));
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  return read_flag(reply->body, "restored");
}

}  // namespace cloudretail::cart
