#include "order/order_http_client.hpp"

#include "order/order_codec.hpp"

namespace cloudretail::order {

using http::encode_segment;
using http::Peer;

Result<OrderInfo> HttpOrderClient::get(const std::string& order_id) {
  auto reply = peer_.call(http::Method::kGet, "/internal/orders/" + encode_segment(order_id), {}, true);
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  auto order = read_order(reply->body);
  if (!order) return unavailable(peer_.unavailable_message());
  return std::move(*order);
}

Result<PaymentApplied> HttpOrderClient::apply_payment(const std::string& order_id, bool success) {
  auto reply = peer_.call(http::Method::kPost, "/internal/orders/" + encode_segment(order_id) + "/payment",
                          write_payment_request(success));
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return Peer::error_from(*reply);
  auto applied = read_payment_applied(reply->body);
  if (!applied) return unavailable(peer_.unavailable_message());
  return std::move(*applied);
}

}  // namespace cloudretail::order
