#include <spdlog/spdlog.h>

#include <chrono>

#include "core/run_every.hpp"
#include "idempotency/sql_key_store.hpp"
#include "order/order_http_client.hpp"
#include "order/order_repository.hpp"
#include "order/order_routes.hpp"
#include "order/order_service.hpp"
#include "order/order_internal_routes.hpp"
#include "ops_metrics.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

void wire_order(App& app) {
  if (!app.config.runs("order")) {
    // Split deployment: payments reach orders at ORDER_API_BASE.
    if (!app.config.order_api_base.empty())
      app.order_client = app.make<order::HttpOrderClient>(app.config.order_api_base, app.config.service_token);
    return;
  }
  if (!app.cart_client || !app.product_client || !app.inventory_client) {
    spdlog::warn("order: cart, product or inventory client missing; order routes not added");
    return;
  }
  for (auto& m : order::OrderRepository::migrations()) app.migrations.push_back(m);
  auto repo = app.make<order::OrderRepository>(*app.db);
  auto idempotency = app.make<idempotency::SqlKeyStore>(*app.db, "idempotency_keys", app.clock);
  order::OrderSettings settings{app.config.order_pending_ttl_seconds, app.config.checkout_recovery_grace_ms};
  // Peers in this process use our database: a checkout commits once.
  if (app.config.runs("cart") && app.config.runs("inventory")) settings.shared_database = app.db.get();
  order::OrderCounters counters{
      &app.metrics.counter("cloudretail_orders_created_total", "Orders created by checkout"),
      &app.metrics.counter("cloudretail_stock_outs_total", "Requests refused for lack of stock")};
  auto service = app.make<order::OrderService>(*repo, *app.cart_client, *app.product_client, *app.inventory_client,
                                               app.clock, settings, counters, app.notification_client.get(),
                                               app.payment_client.get());
  app.order_client = app.make<order::LocalOrderClient>(*service);
  order::register_routes(app.router, *service, *idempotency);
  order::register_internal_routes(app.router, *app.order_client);
  publish_order_metrics(app, service, repo);

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
    run_every(std::chrono::milliseconds(500), stop, [&] { service->sweep(); }, "order sweeper");
  });
  app.background_tasks.push_back([idempotency](std::stop_token stop) {
    run_every(std::chrono::minutes(10), stop, [&] { idempotency->purge_expired(); }, "order idempotency purge");
  });
}

}  // namespace cloudretail::app
