#pragma once
/// The composition root's state: configuration, the database, the router, the
/// peers (peers.hpp) and the parts of every service that runs here
/// (service_parts.hpp), built by wire_all (wiring.hpp) and owned here. Nothing
/// outside apps/ sees this type.
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "ops/data_lock.hpp"
#include "peers.hpp"
#include "service_parts.hpp"

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
  /// Long-running loops (run_every), stopped on shutdown.
  std::vector<std::function<void(std::stop_token)>> background_tasks;
  /// `cloudretail seed` steps.
  std::vector<std::function<void()>> seed_tasks;
  /// `cloudretail admin create`; returns an error message or "".
  std::function<std::string(const std::string& email, const std::string& password)> create_admin;

  /// What this process calls: in-process clients and HTTP clients alike.
  Peers peers;

  /// The services that run here (empty when one runs elsewhere). Background tasks
  /// are joined before the App goes, so nothing calls across while it is destroyed.
  std::optional<NotificationParts> notification;
  std::optional<AuthParts> auth;
  std::optional<InventoryParts> inventory;
  std::optional<ProductParts> product;
  std::optional<CartParts> cart;
  std::optional<OrderParts> order;
  std::optional<PaymentParts> payment;
  std::optional<DbTestParts> dbtest;
  std::unique_ptr<web::WebAssets> web_assets;
};

}  // namespace cloudretail::app
