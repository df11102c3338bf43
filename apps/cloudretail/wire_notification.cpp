#include <spdlog/spdlog.h>

#include <chrono>

#include "core/run_every.hpp"
#include "notification/notification_repository.hpp"
#include "notification/notification_routes.hpp"
#include "notification/notification_service.hpp"
#include "notification/transport.hpp"
#include "ops_metrics.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

std::shared_ptr<notification::LocalNotificationClient> wire_notification(App& app) {
  namespace n = notification;
  const Config& c = app.config;
  for (auto& m : n::NotificationRepository::migrations(app.db->dialect())) app.migrations.push_back(m);
  auto& parts = app.notification.emplace();

  if (c.smtp_url.empty())
    parts.transport = std::make_unique<n::OutboxTransport>(c.data_dir + "/outbox");
  else
    parts.transport =
        std::make_unique<n::SmtpTransport>(n::SmtpSettings{c.smtp_url, c.smtp_user, c.smtp_password, c.smtp_starttls});
  n::Transport* transport = parts.transport.get();

  n::NotificationSettings settings;
  settings.app_name = c.app_name;
  settings.mail_from = c.mail_from;
  settings.retry_base_ms = c.notify_retry_base_ms;
  settings.retry_max_ms = c.notify_retry_max_ms;
  settings.max_attempts = c.notify_max_attempts;
  settings.poll_ms = c.notify_poll_ms;
  settings.claim_ms = c.notify_claim_ms;

  n::NotificationCounters counters;
  counters.sent = &app.metrics.counter("cloudretail_emails_sent_total", "Emails delivered");
  counters.retried = &app.metrics.counter("cloudretail_emails_retried_total",
                                          "Email delivery attempts that failed and were rescheduled");
  counters.failed = &app.metrics.counter("cloudretail_emails_failed_total", "Emails given up after the last attempt");

  parts.repository = std::make_unique<n::NotificationRepository>(*app.db);
  n::NotificationRepository* repo = parts.repository.get();
  try {
    parts.service = std::make_unique<n::NotificationService>(*repo, *transport, app.clock, settings, counters);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(e.what());
  }
  n::NotificationService* service = parts.service.get();
  app.metrics.gauge("cloudretail_emails_queued", "Emails stored and waiting for delivery", [repo]() -> int64_t {
    try {
      return repo->count_with_status(notification::EmailStatus::kQueued);
    } catch (const std::exception&) {
      return -1;  // database down: the scrape still answers
    }
  });
  publish_email_metrics(app, *repo);
  n::register_routes(app.router, *service);
  // The retry worker: every NOTIFY_POLL_MS, the messages whose backoff has run out.
  app.background_tasks.push_back([service, transport](std::stop_token stop) {
    spdlog::info("email worker started ({})", transport->describe());
    run_every(
        std::chrono::milliseconds(service->settings().poll_ms), stop, [&] { service->process_due(stop); },
        "email worker pass failed");
  });
  spdlog::info("notifications via {}", transport->describe());
  return std::make_shared<n::LocalNotificationClient>(*service);
}

}  // namespace cloudretail::app
