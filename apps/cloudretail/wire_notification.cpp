#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string>

#include "notification/notification_repository.hpp"
#include "notification/notification_routes.hpp"
#include "notification/notification_service.hpp"
#include "notification/transport.hpp"
#include "remote/remote_clients.hpp"
#include "ops_metrics.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

namespace {

// Queue tuning from the environment (tests shorten the backoff); a bad value
// stops start-up naming the variable, like Config does.
int64_t env_int(const char* name, int64_t fallback, int64_t min, int64_t max) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  try {
    size_t used = 0;
    long long n = std::stoll(v, &used);
    if (used == std::string(v).size() && n >= min && n <= max) return n;
  } catch (const std::exception&) {
  }
  throw ConfigError(std::string(name) + " must be an integer between " + std::to_string(min) + " and " +
                    std::to_string(max));
}

}  // namespace

void wire_notification(App& app) {
  if (!app.config.runs("notification")) {
    // Split deployment: emails go to the notification service at NOTIFICATION_API_BASE.
    if (!app.config.notification_api_base.empty())
      app.notification_client =
          app.make<remote::HttpNotificationClient>(app.config.notification_api_base, app.config.service_token);
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
  settings.retry_base_ms = env_int("NOTIFY_RETRY_BASE_MS", settings.retry_base_ms, 1, 3'600'000);
  settings.retry_max_ms = env_int("NOTIFY_RETRY_MAX_MS", settings.retry_max_ms, 1, 86'400'000);
  settings.max_attempts = env_int("NOTIFY_MAX_ATTEMPTS", settings.max_attempts, 1, 1000);
  settings.poll_ms = env_int("NOTIFY_POLL_MS", settings.poll_ms, 10, 60'000);

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
      return repo->count_with_status("queued");
    } catch (const std::exception&) {
      return -1;  // database down: the scrape still answers
    }
  });
  publish_email_metrics(app, repo);
  n::register_routes(app.router, *service);
  app.notification_client = app.make<n::LocalNotificationClient>(*service);
  app.background_tasks.push_back([service](std::stop_token stop) { service->run_worker(stop); });
  spdlog::info("notifications via {}", transport->describe());
}

}  // namespace cloudretail::app
