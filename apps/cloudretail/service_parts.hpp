#pragma once
/// The objects each service is made of when it runs in this process, one typed
/// struct per service, owned by the App for the process lifetime. Routes and
/// background tasks refer to them; the App outlives both. What peers call a
/// service through (its client) lives in Peers, not here.
#include <memory>

#include "auth/auth_repository.hpp"
#include "auth/auth_service.hpp"
#include "auth/login_throttle.hpp"
#include "auth/password_hasher.hpp"
#include "auth/token_signer.hpp"
#include "cart/cart_repository.hpp"
#include "cart/cart_service.hpp"
#include "dbtest/dbtest_repository.hpp"
#include "dbtest/dbtest_service.hpp"
#include "idempotency/sql_key_store.hpp"
#include "inventory/inventory_repository.hpp"
#include "inventory/inventory_service.hpp"
#include "notification/notification_repository.hpp"
#include "notification/notification_service.hpp"
#include "notification/transport.hpp"
#include "objects/object_store.hpp"
#include "objects/url_reusing_store.hpp"
#include "order/order_repository.hpp"
#include "order/order_service.hpp"
#include "payment/payment_repository.hpp"
#include "payment/payment_service.hpp"
#include "product/cached_product_repository.hpp"
#include "product/product_service.hpp"
#include "product/sql_product_repository.hpp"
#include "web/web_assets.hpp"

namespace cloudretail::app {

struct NotificationParts {
  std::unique_ptr<notification::Transport> transport;
  std::unique_ptr<notification::NotificationRepository> repository;
  std::unique_ptr<notification::NotificationService> service;
};

struct AuthParts {
  std::unique_ptr<auth::TokenSigner> signer;
  std::unique_ptr<auth::AuthRepository> repository;
  std::unique_ptr<auth::PasswordHasher> hasher;
  std::unique_ptr<auth::LoginThrottle> throttle;
  std::unique_ptr<auth::AuthService> service;
};

struct InventoryParts {
  std::unique_ptr<inventory::InventoryRepository> repository;
  std::unique_ptr<inventory::InventoryService> service;
};

struct ProductParts {
  std::shared_ptr<objects::ObjectStore> store;  // shared: make_object_store's type
  std::unique_ptr<objects::UrlReusingStore> signer;
  std::unique_ptr<product::SqlProductRepository> sql;
  std::unique_ptr<product::CachedProductRepository> cache;  // over `sql`
  std::unique_ptr<product::ProductService> service;
};

struct CartParts {
  std::unique_ptr<cart::CartRepository> repository;
  std::unique_ptr<cart::CartService> service;
};

struct OrderParts {
  std::unique_ptr<order::OrderRepository> repository;
  std::unique_ptr<idempotency::SqlKeyStore> idempotency;
  std::unique_ptr<order::OrderService> service;
};

/// The repository is built with the refund ledger (Peers::payment), before orders;
/// the rest after them.
struct PaymentParts {
  std::unique_ptr<payment::PaymentRepository> repository;
  std::unique_ptr<idempotency::SqlKeyStore> idempotency;
  std::unique_ptr<payment::PaymentService> service;
};

struct DbTestParts {
  std::unique_ptr<dbtest::DbTestRepository> repository;
  std::unique_ptr<dbtest::DbTestService> service;
};

}  // namespace cloudretail::app
