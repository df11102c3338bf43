#pragma once
/// The ProductClient over HTTP, for a peer in another process (split deployment):
/// GET /products/{id} with the service token.
#include <string>

#include "http/peer_call.hpp"
#include "product/product_client.hpp"

namespace cloudretail::product {

class HttpProductClient final : public ProductClient {
 public:
  HttpProductClient(std::string base_url, std::string service_token)
      : peer_(std::move(base_url), std::move(service_token), "Product service error") {}
  Result<ProductSummary> get(const std::string& product_id) override;

 private:
  http::Peer peer_;
};

}  // namespace cloudretail::product
