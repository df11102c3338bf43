#pragma once
/// The CartClient over HTTP, for an order service in another process (split
/// deployment): the cart's internal routes, with the service token.
#include <string>
#include <vector>

#include "cart/cart_client.hpp"
#include "http/peer_call.hpp"

namespace cloudretail::cart {

class HttpCartClient final : public CartClient {
 public:
  HttpCartClient(std::string base_url, std::string service_token)
      : peer_(std::move(base_url), std::move(service_token), "Cart service error") {}
  Result<CartSnapshot> get(const std::string& user_id) override;
  Result<bool> clear_if_version(const std::string& user_id, int64_t version, const std::string& taken_by) override;
  Result<bool> restore(const std::string& user_id, const std::string& taken_by,
                       const std::vector<CartLine>& items) override;

 private:
  http::Peer peer_;
};

}  // namespace cloudretail::cart
