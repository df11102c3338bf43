#pragma once
/// The InventoryClient over HTTP, for a peer in another process (split deployment):
/// the inventory's public and internal routes, with the service token.
#include <string>

#include "http/peer_call.hpp"
#include "inventory/inventory_client.hpp"

namespace cloudretail::inventory {

class HttpInventoryClient final : public InventoryClient {
 public:
  HttpInventoryClient(std::string base_url, std::string service_token)
      : peer_(std::move(base_url), std::move(service_token), "Inventory service error") {}
  Result<StockLevel> get(const std::string& product_id) override;
  Result<StockLevel> reserve(const std::string& product_id, int64_t qty, const std::string& reservation_id) override;
  Result<StockLevel> release(const std::string& product_id, int64_t qty, const std::string& reservation_id) override;
  Result<StockLevel> ship(const std::string& product_id, int64_t qty, const std::string& reservation_id) override;
  Result<StockPage> list(const std::string& after, int limit) override;

 private:
  Result<StockLevel> move(const char* op, const std::string& product_id, int64_t qty,
                          const std::string& reservation_id);
  http::Peer peer_;
};

}  // namespace cloudretail::inventory
