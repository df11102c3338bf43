#include "ops_metrics.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>

#include "core/run_every.hpp"

namespace cloudretail::app {

namespace {

/// The latest audit's outcome, written by the audit loop and read by scrapes.
struct AuditState {
  std::atomic<int64_t> ok{-1};  // -1 until an audit has completed
  std::atomic<int64_t> discrepancies{0};
  std::atomic<int64_t> checked{0};
  std::atomic<int64_t> last_run_ms{0};
};

/// The states a user sees, published at 0 too so each graph has its series.
constexpr const char* kPublicStates[] = {"PENDING", "CONFIRMED", "PAYMENT_FAILED", "CANCELLED",
                                         "EXPIRED", "SHIPPED",   "REFUNDED"};

}  // namespace

void publish_order_metrics(App& app, order::OrderService& order_service, order::OrderRepository& order_repo) {
  // Owned by the App, which outlives its metrics' scrapes and its background tasks.
  order::OrderService* service = &order_service;
  order::OrderRepository* repo = &order_repo;
  app.metrics.gauge_family("cloudretail_orders",
                           "Orders by stored state (CREATING, RESERVING and ABORTED are internal)", [repo] {
                             std::vector<http::Metrics::Sample> samples;
                             std::map<std::string, int64_t> counts;
                             try {
                               counts = repo->count_by_status();
                             } catch (const std::exception&) {
                               return samples;  // database down: the scrape still answers
                             }
                             for (const char* state : kPublicStates) counts.emplace(state, 0);
                             for (const auto& [state, n] : counts)
                               samples.push_back({"state=\"" + state + "\"", static_cast<double>(n)});
                             return samples;
                           });

  const int interval = app.config.inventory_audit_interval_seconds;
  if (interval <= 0) return;
  auto state = std::make_shared<AuditState>();
  app.metrics.gauge(
      "cloudretail_inventory_audit_ok",
      "1 when the last inventory audit found reservedQty matching open orders, 0 when not, -1 before the first",
      [state] { return state->ok.load(); });
  app.metrics.gauge("cloudretail_inventory_audit_discrepancies",
                    "Products whose reservedQty the last audit found wrong",
                    [state] { return state->discrepancies.load(); });
  app.metrics.gauge("cloudretail_inventory_audit_checked", "Products the last audit checked",
                    [state] { return state->checked.load(); });
  app.metrics.gauge("cloudretail_inventory_audit_last_run_timestamp_seconds",
                    "Unix time the last audit completed (stale: inventory unreachable or the loop stuck)",
                    [state] { return state->last_run_ms.load() / 1000; });
  const Clock* clock = &app.clock;
  app.background_tasks.push_back([service, state, interval, clock](std::stop_token stop) {
    run_every(
        std::chrono::seconds(interval), stop,
        [&] {
          auto report = service->audit();
          if (!report) return;
          state->discrepancies = static_cast<int64_t>(report->discrepancies.size());
          state->checked = report->checked;
          state->ok = report->ok ? 1 : 0;
          state->last_run_ms = clock->now_ms();
          if (!report->ok)
            spdlog::warn("inventory audit: {} product(s) with reservedQty not matching open orders",
                         report->discrepancies.size());
        },
        "inventory audit");
  });
}

void publish_database_metrics(App& app) {
  const db::Database* db = app.db.get();
  using Read = double (*)(const db::DbStats&);
  auto publish = [&](const char* name, const char* help, bool counter, Read read) {
    auto fn = [db, read] { return std::vector<http::Metrics::Sample>{{"", read(db->stats())}}; };
    counter ? app.metrics.counter_family(name, help, fn) : app.metrics.gauge_family(name, help, fn);
  };
  publish("cloudretail_db_pool_waits_total", "Connection acquires that found every pooled connection busy", true,
          [](const db::DbStats& s) { return double(s.pool_waits); });
  publish("cloudretail_db_pool_wait_seconds_total", "Time acquires waited for a pooled connection", true,
          [](const db::DbStats& s) { return double(s.pool_wait_us) / 1e6; });
  publish("cloudretail_db_writer_waits_total", "SQLite write transactions that queued for the writer", true,
          [](const db::DbStats& s) { return double(s.writer_waits); });
  publish("cloudretail_db_commit_batches_total", "SQLite group commits (one fsync each under SQLITE_SYNCHRONOUS=FULL)",
          true, [](const db::DbStats& s) { return double(s.batches_committed); });
  publish("cloudretail_db_committed_transactions_total", "Write transactions acknowledged by those group commits", true,
          [](const db::DbStats& s) { return double(s.transactions_committed); });
  publish("cloudretail_db_commit_batches_failed_total", "Group commits that failed (every transaction in them failed)",
          true, [](const db::DbStats& s) { return double(s.batches_failed); });
  publish("cloudretail_db_commit_seconds_total", "Time inside group COMMIT, the WAL fsync included under FULL", true,
          [](const db::DbStats& s) { return double(s.commit_us) / 1e6; });
  publish("cloudretail_db_commit_batch_max_transactions", "The largest group commit so far (transactions)", false,
          [](const db::DbStats& s) { return double(s.max_batch_transactions); });
}

void publish_email_metrics(App& app, notification::NotificationRepository& email_repo) {
  notification::NotificationRepository* repo = &email_repo;
  const Clock* clock = &app.clock;
  app.metrics.gauge_family("cloudretail_email_queue_oldest_age_seconds",
                           "Age of the oldest email waiting for delivery (0: none waits)", [repo, clock] {
                             std::vector<http::Metrics::Sample> samples;
                             try {
                               auto oldest = repo->oldest_queued_created_at();
                               double age = oldest ? static_cast<double>(clock->now_ms() - *oldest) / 1000.0 : 0.0;
                               samples.push_back({"", std::max(0.0, age)});
                             } catch (const std::exception&) {
                             }
                             return samples;
                           });
}

}  // namespace cloudretail::app
