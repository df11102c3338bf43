#include <spdlog/spdlog.h>

#include <chrono>

#include "core/run_every.hpp"
#include "idempotency/sql_key_store.hpp"
#include "payment/payment_http_client.hpp"
#include "payment/payment_ledger.hpp"
#include "payment/payment_repository.hpp"
#include "payment/payment_routes.hpp"
#include "payment/payment_service.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

void wire_payment_ledger(App& app) {
  if (app.config.runs("payment")) {
    auto repo = app.make<payment::PaymentRepository>(*app.db);
    app.payment_client = app.make<payment::PaymentLedger>(*repo, app.clock);
  } else if (!app.config.payment_api_base.empty()) {
    // Split deployment: refunds are recorded by the payment process.
    app.payment_client = app.make<payment::HttpPaymentClient>(app.config.payment_api_base, app.config.service_token);
  }
}

void wire_payment(App& app) {
  if (!app.config.runs("payment")) return;
  if (!app.order_client) {
    spdlog::warn("payment: order client missing; payment routes not added");
    return;
  }
  for (auto& m : payment::PaymentRepository::migrations()) app.migrations.push_back(m);
  auto repo = app.make<payment::PaymentRepository>(*app.db);
  auto idempotency = app.make<idempotency::SqlKeyStore>(*app.db, "payment_idempotency_keys", app.clock);
  auto& payments = app.metrics.counter("cloudretail_payments_total", "Payments processed");
  auto service = app.make<payment::PaymentService>(*repo, *app.order_client, app.notification_client.get(), app.clock,
                                                   &payments);
  // Orders and inventory in this process use our database: a payment commits once.
  if (app.config.runs("order") && app.config.runs("inventory")) service->share_transactions_with_peers(app.db.get());
  payment::register_routes(app.router, *service, *idempotency);
  if (app.payment_client) payment::register_refund_route(app.router, *app.payment_client);

  // Every 5 s: payments a dead process left pending are settled, emails the
  // notification service could not take are retried. Old keys go every hour.
  app.background_tasks.push_back([service](std::stop_token stop) {
    run_every(std::chrono::seconds(5), stop, [&] {
      // A payment left pending this long belongs to a process that died.
      service->reconcile_pending(10'000);
      service->retry_failed_emails();
    }, "payment email retry");
  });
  app.background_tasks.push_back([idempotency](std::stop_token stop) {
    run_every(std::chrono::hours(1), stop, [&] { idempotency->purge_expired(); }, "payment idempotency purge");
  });
}

}  // namespace cloudretail::app
