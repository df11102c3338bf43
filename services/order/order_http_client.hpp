#pragma once
/// The OrderClient over HTTP, for a payment service in another process (split
/// deployment): the order's internal routes, with the service token.
#include <string>

#include "http/peer_call.hpp"
#include "order/order_client.hpp"

namespace cloudretail::order {

class HttpOrderClient final : public OrderClient {
 public:
  HttpOrderClient(std::string base_url, std::string service_token)
      : peer_(std::move(base_url), std::move(service_token), "Order service error") {}
  Result<OrderInfo> get(const std::string& order_id) override;
  Result<PaymentApplied> apply_payment(const std::string& order_id, bool success) override;

 private:
  http::Peer peer_;
};

}  // namespace cloudretail::order
