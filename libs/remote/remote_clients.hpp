#pragma once
/// HTTP implementations of the peer clients, used by `serve --services ...` when
/// a peer runs in another process. Each talks to the peer's public or internal
/// routes with the service token.
#include <memory>
#include <string>

#include "cart/cart_client.hpp"
#include "inventory/inventory_client.hpp"
#include "notification/notification_client.hpp"
#include "order/order_client.hpp"
#include "payment/payment_client.hpp"
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
  Result<inventory::StockLevel> ship(const std::string& product_id, int64_t qty,
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

class HttpCartClient final : public cart::CartClient {
 public:
  HttpCartClient(std::string base_url, std::string service_token)
      : peer_(std::move(base_url), std::move(service_token), "Cart service error") {}
  Result<cart::CartSnapshot> get(const std::string& user_id) override;
  Result<bool> clear_if_version(const std::string& user_id, int64_t version, const std::string& taken_by) override;
  Result<bool> restore(const std::string& user_id, const std::string& taken_by,
                       const std::vector<cart::CartLine>& items) override;

 private:
  Peer peer_;
};

class HttpOrderClient final : public order::OrderClient {
 public:
  HttpOrderClient(std::string base_url, std::string service_token)
      : peer_(std::move(base_url), std::move(service_token), "Order service error") {}
  Result<order::OrderInfo> get(const std::string& order_id) override;
  Result<order::PaymentApplied> apply_payment(const std::string& order_id, bool success) override;

 private:
  Peer peer_;
};

class HttpPaymentClient final : public payment::PaymentClient {
 public:
  HttpPaymentClient(std::string base_url, std::string service_token)
      : peer_(std::move(base_url), std::move(service_token), "Payment service error") {}
  Result<payment::RefundRecord> record_refund(const std::string& order_id, const std::string& user_id,
                                              int64_t amount_minor, const std::string& currency) override;

 private:
  Peer peer_;
};

}  // namespace cloudretail::remote
