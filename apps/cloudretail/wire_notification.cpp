#include <spdlog/spdlog.h>

#include <chrono>

#include "core/run_every.hpp"
#include "notification/notification_http_client.hpp"
#include "notification/notification_repository.hpp"
#include "notification/notification_routes.hpp"
#include "notification/notification_service.hpp"
#include "notification/transport.hpp"
#include "ops_metrics.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

void wire_notification(App& app) {
  if (!app.config.runs("notification")) {
    // Split deployment: emails go to the notification service at NOTIFICATION_API_BASE.
    if (!app.config.notification_api_base.empty())
      app.notification_client =
          app.make<notification::HttpNotificationClient>(app.config.notification_api_base, app.config.service_token);
    return;
  }
  namespace n = notification;
  const Config& c = app.config;
  for (auto& m : n::NotificationRepository::migrations()) app.migrations.push_back(m);

  std::shared_ptr<n::Transport> transport;
  if (c.smtp_url.empty()) {
    transport = app.make<n::OutboxTransport>(c.data_dir + "/outbox");
  } else {
    transport = app.make<n::SmtpTransport>(n::SmtpSettings{c.smtp_url, c.smtp_user, c.smtp_password, c.smtp_starttls});
  }

  n::NotificationSettings settings;
  settings.app_name = c.app_name;
  settings.mail_from = c.mail_from;
  settings.retry_base_ms = c.notify_retry_base_ms;
  settings.retry_max_ms = c.notify_retry_max_ms;
  settings.max_attempts = c.notify_max_attempts;
  settings.poll_ms = c.notify_poll_ms;

  n::NotificationCounters counters;
  counters.sent = &app.metrics.counter("cloudretail_emails_sent_total", "Emails delivered");
  counters.retried = &app.metrics.counter("cloudretail_emails_retried_total", "Email delivery attempts that failed and were rescheduled");
  counters.failed = &app.metrics.counter("cloudretail_emails_failed_total", "Emails given up after the last attempt");

  auto repo = app.make<n::NotificationRepository>(*app.db);
  n::NotificationService* service = nullptr;
  try {
    service = app.make<n::NotificationService>(*repo, *transport, app.clock, settings, counters).get();
  } catch (const std::invalid_argument& e) {
    throw ConfigError(e.what());
  }
  app.metrics.gauge("cloudretail_emails_queued", "Emails stored and waiting for delivery", [repo]() -> int64_t {
    try {
      return repo->count_with_status(notification::EmailStatus::kQueued);
    } catch (const std::exception&) {
      return -1;  // database down: the scrape still answers
    }
  });
  publish_email_metrics(app, repo);
  n::register_routes(app.router, *service);
  app.notification_client = app.make<n::LocalNotificationClient>(*service);
  // The retry worker: every NOTIFY_POLL_MS, the messages whose backoff has run out.
  app.background_tasks.push_back([service, transport](std::stop_token stop) {
    spdlog::info("email worker started ({})", transport->describe());
    run_every(std::chrono::milliseconds(service->settings().poll_ms), stop, [&] { service->process_due(stop); },
              "email worker pass failed");
  });
  spdlog::info("notifications via {}", transport->describe());
}

}  // namespace cloudretail::app
