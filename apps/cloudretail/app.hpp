#pragma once
/// The composition root's state: configuration, the database, the router and
/// every service object, built by the wire_* functions (one per service, in
/// wiring.hpp) and owned here. Nothing outside apps/ sees this type.
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "authn/authenticator.hpp"
#include "cart/cart_client.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "inventory/inventory_client.hpp"
#include "notification/notification_client.hpp"
#include "ops/data_lock.hpp"
#include "order/order_client.hpp"
#include "payment/payment_client.hpp"
#include "product/product_client.hpp"

namespace cloudretail::app {

struct App {
  Config config;
  /// Shared hold on the SQLite database (none on PostgreSQL), see ops/data_lock.hpp.
  std::optional<ops::DataLock> data_lock;
  std::unique_ptr<db::Database> db;
  SystemClock clock;
  http::Router router;
  http::Metrics metrics;

  std::vector<db::Migration> migrations;
  /// Run once the schema is in place (bootstrap admin, crash recovery).
  std::vector<std::function<void()>> startup_tasks;
  /// Long-running loops (email delivery, order expiry), stopped on shutdown.
  std::vector<std::function<void(std::stop_token)>> background_tasks;
  /// `cloudretail seed` steps.
  std::vector<std::function<void()>> seed_tasks;
  /// `cloudretail admin create`; returns an error message or "".
  std::function<std::string(const std::string& email, const std::string& password)> create_admin;

  /// Set by wire_auth: verifies bearer tokens (local key or the auth service's JWKS).
  std::shared_ptr<const authn::TokenVerifier> token_verifier;

  /// Peers, set by their wire_* function: in-process when the service runs here,
  /// HTTP clients to <NAME>_API_BASE otherwise. Later wire_* functions use them.
  std::shared_ptr<notification::NotificationClient> notification_client;
  std::shared_ptr<inventory::InventoryClient> inventory_client;
  std::shared_ptr<product::ProductClient> product_client;
  std::shared_ptr<cart::CartClient> cart_client;
  std::shared_ptr<order::OrderClient> order_client;
  std::shared_ptr<payment::PaymentClient> payment_client;  // refunds, for orders

  /// Service objects and clients, kept alive for the process lifetime.
  std::vector<std::shared_ptr<void>> owned;
  template <typename T, typename... Args>
  std::shared_ptr<T> make(Args&&... args) {
    auto p = std::make_shared<T>(std::forward<Args>(args)...);
    owned.push_back(p);
    return p;
  }
};

}  // namespace cloudretail::app
