#pragma once
/// The PaymentClient over HTTP, for an order service in another process (split
/// deployment): POST /internal/payments/refunds with the service token.
#include <string>

#include "http/peer_call.hpp"
#include "payment/payment_client.hpp"

namespace cloudretail::payment {

class HttpPaymentClient final : public PaymentClient {
 public:
  HttpPaymentClient(std::string base_url, std::string service_token)
      : peer_(std::move(base_url), std::move(service_token), "Payment service error") {}
  Result<RefundRecord> record_refund(const std::string& order_id, const std::string& user_id, int64_t amount_minor,
                                     const std::string& currency) override;

 private:
  http::Peer peer_;
};

}  // namespace cloudretail::payment
