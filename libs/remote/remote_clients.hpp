#pragma once
/// HTTP implementations of the peer clients, used by `serve --services ...` when
/// a peer runs in another process. Each talks to the peer's public or internal
/// routes with the service token.
#include <memory>
#include <string>

#include "inventory/inventory_client.hpp"
#include "notification/notification_client.hpp"
#include "product/product_client.hpp"
#include "remote/remote_call.hpp"

namespace cloudretail::remote {

class HttpInventoryClient final : public inventory::InventoryClient {
 public:
  HttpInventoryClient(std::string base_url, std::string service_token)
      : peer_(std::move(base_url), std::move(service_token), "Inventory service error") {}
  Result<inventory::StockLevel> get(const std::string& product_id) override;
  Result<inventory::StockLevel> reserve(const std::string& product_id, int64_t qty,
                                        const std::string& reservation_id) override;
  Result<inventory::StockLevel> release(const std::string& product_id, int64_t qty,
                                        const std::string& reservation_id) override;
  Result<inventory::StockPage> list(const std::string& after, int limit) override;

 private:
  Result<inventory::StockLevel> move(const char* op, const std::string& product_id, int64_t qty,
                                     const std::string& reservation_id);
  Peer peer_;
};

class HttpProductClient final : public product::ProductClient {
 public:
  HttpProductClient(std::string base_url, std::string service_token)
      : peer_(std::move(base_url), std::move(service_token), "Product service error") {}
  Result<product::ProductSummary> get(const std::string& product_id) override;

 private:
  Peer peer_;
};

class HttpNotificationClient final : public notification::NotificationClient {
 public:
  HttpNotificationClient(std::string base_url, std::string service_token)
      : peer_(std::move(base_url), std::move(service_token), "Notification service error") {}
  Result<notification::NotificationOutcome> send(const notification::EmailRequest& request) override;

 private:
  Peer peer_;
};

}  // namespace cloudretail::remote
