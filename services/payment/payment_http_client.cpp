#include "payment/payment_http_client.hpp"

#include "payment/payment_codec.hpp"

namespace cloudretail::payment {

Result<RefundRecord> HttpPaymentClient::record_refund(const std::string& order_id, const std::string& user_id,
                                                      int64_t amount_minor, const std::string& currency) {
  // Safe to retry: the payment service keeps one refund per order.
  auto reply = peer_.call(http::Method::kPost, "/internal/payments/refunds",
                          write_refund_request({order_id, user_id, amount_minor, currency}), true);
  if (!reply) return std::move(reply).error();
  if (reply->status != 200) return http::Peer::error_from(*reply);
  auto refund = read_refund_record(reply->body);
  if (!refund) return unavailable(peer_.unavailable_message());
  return std::move(*refund);
}

}  // namespace cloudretail::payment
