#include <spdlog/spdlog.h>

#include <chrono>

#include "core/run_every.hpp"
#include "idempotency/sql_key_store.hpp"
#include "ops_metrics.hpp"
#include "order/order_internal_routes.hpp"
#include "order/order_repository.hpp"
#include "order/order_routes.hpp"
#include "order/order_service.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

std::shared_ptr<order::OrderClient> wire_order(App& app, cart::CartClient& carts, product::ProductClient& products,
                                               inventory::InventoryClient& inventory,
                                               notification::NotificationClient* notifications,
                                               payment::PaymentClient* payments) {
  for (auto& m : order::OrderRepository::migrations(app.db->dialect())) app.migrations.push_back(m);
  auto& parts = app.order.emplace();
  parts.repository = std::make_unique<order::OrderRepository>(*app.db);
  parts.idempotency = std::make_unique<idempotency::SqlKeyStore>(*app.db, "idempotency_keys", app.clock);
  order::OrderSettings settings{app.config.order_pending_ttl_seconds, app.config.checkout_recovery_grace_ms};
  // Peers in this process use our database: a checkout commits once.
  if (app.config.runs("cart") && app.config.runs("inventory")) settings.shared_database = app.db.get();
  order::OrderCounters counters{
      &app.metrics.counter("cloudretail_orders_created_total", "Orders created by checkout"),
      &app.metrics.counter("cloudretail_stock_outs_total", "Requests refused for lack of stock")};
  parts.service = std::make_unique<order::OrderService>(*parts.repository, carts, products, inventory, app.clock,
                                                        settings, counters, notifications, payments);
  order::OrderService* service = parts.service.get();
  idempotency::SqlKeyStore* keys = parts.idempotency.get();
  auto client = std::make_shared<order::LocalOrderClient>(*service);
  order::register_routes(app.router, *service, *keys);
  order::register_internal_routes(app.router, *client);
  publish_order_metrics(app, *service, *parts.repository);

  // Crash recovery once at start, then expiry and recovery every 500 ms; expired
  // idempotency keys go every 10 minutes.
  app.startup_tasks.push_back([service] {
    try {
      service->sweep();
    } catch (const std::exception& e) {
      spdlog::warn("order recovery at start: {}", e.what());
    }
  });
  app.background_tasks.push_back([service](std::stop_token stop) {
    run_every(
        std::chrono::milliseconds(500), stop, [&] { service->sweep(); }, "order sweeper");
  });
  app.background_tasks.push_back([keys](std::stop_token stop) {
    run_every(
        std::chrono::minutes(10), stop, [&] { keys->purge_expired(); }, "order idempotency purge");
  });
  return client;
}

}  // namespace cloudretail::app
