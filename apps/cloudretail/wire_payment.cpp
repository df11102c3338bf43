#include <spdlog/spdlog.h>

#include <chrono>

#include "core/run_every.hpp"
#include "idempotency/sql_key_store.hpp"
#include "payment/payment_ledger.hpp"
#include "payment/payment_repository.hpp"
#include "payment/payment_routes.hpp"
#include "payment/payment_service.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

std::shared_ptr<payment::PaymentClient> wire_payment_ledger(App& app) {
  auto& parts = app.payment.emplace();
  parts.repository = std::make_unique<payment::PaymentRepository>(*app.db);
  return std::make_shared<payment::PaymentLedger>(*parts.repository, app.clock);
}

void wire_payment(App& app, order::OrderClient& orders, notification::NotificationClient* notifications,
                  notification::NotificationOutbox* outbox, payment::PaymentClient& ledger) {
  for (auto& m : payment::PaymentRepository::migrations(app.db->dialect())) app.migrations.push_back(m);
  auto& parts = *app.payment;  // the repository came with the ledger
  parts.idempotency = std::make_unique<idempotency::SqlKeyStore>(*app.db, "payment_idempotency_keys", app.clock);
  auto& payments = app.metrics.counter("cloudretail_payments_total", "Payments processed");
  parts.service =
      std::make_unique<payment::PaymentService>(*parts.repository, orders, notifications, app.clock, &payments);
  payment::PaymentService* service = parts.service.get();
  idempotency::SqlKeyStore* keys = parts.idempotency.get();
  // Orders and inventory in this process use our database: a payment commits once,
  // its email included when notifications run here too (every service here shares app.db).
  if (app.config.runs("order") && app.config.runs("inventory")) {
    service->share_transactions_with_peers(app.db.get());
    if (outbox) service->queue_emails_with_payments(outbox);
  }
  payment::register_routes(app.router, *service, *keys);
  payment::register_refund_route(app.router, ledger);

  // Every 5 s: payments a dead process left pending are settled, emails the
  // notification service could not take are retried. Old keys go every hour.
  app.background_tasks.push_back([service](std::stop_token stop) {
    run_every(
        std::chrono::seconds(5), stop,
        [&] {
          // A payment left pending this long belongs to a process that died.
          service->reconcile_pending(10'000);
          service->retry_failed_emails();
        },
        "payment email retry");
  });
  app.background_tasks.push_back([keys](std::stop_token stop) {
    run_every(
        std::chrono::hours(1), stop, [&] { keys->purge_expired(); }, "payment idempotency purge");
  });
}

}  // namespace cloudretail::app
