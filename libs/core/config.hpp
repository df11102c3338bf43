#pragma once
/// Every setting CloudRetail reads from the environment (names from the contract),
/// parsed and checked once at start. A bad value throws ConfigError naming the
/// variable; main prints that one line and exits non-zero.
#include <cstdint>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>

namespace cloudretail {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Config {
  // Listener
  std::string host = "127.0.0.1";
  int port = 8080;            // 0 = any free port (tests)
  int io_threads = 0;         // 0 = one per core
  std::string api_base_path;  // "" or "/dev"
  std::string cors_allow_origin = "*";
  std::string public_base_url;       // default http://HOST:PORT + API_BASE_PATH
  int max_connections = 10000;       // beyond this, new connections are closed at once
  int http_idle_timeout_ms = 30000;  // keep-alive idle and whole-request read

  // Storage
  std::string data_dir = "./data";
  std::string database_url;  // "" = SQLite file in data_dir
  int db_pool_size = 8;
  std::string sqlite_synchronous = "FULL";  // FULL survives a power cut; NORMAL only kill -9

  // Security
  std::string service_token;  // "" = internal routes need an admin token
  std::string jwt_private_key_file;
  std::string jwt_issuer = "cloudretail";
  std::string bootstrap_admin_email;
  std::string bootstrap_admin_password;
  // Abuse limits: register, resend-code and forgot-password each accept this many
  // requests per client address per 10 minutes (a shop behind one NAT may raise it).
  int auth_requests_per_address = 30;
  int auth_throttle_max_keys = 100'000;  // in-memory throttle entries per auth process

  // Objects
  std::string object_store = "local";  // local | s3
  int signed_url_expires = 300;
  std::string s3_bucket, aws_region = "us-east-1", s3_endpoint, aws_access_key_id, aws_secret_access_key;

  // Email
  std::string smtp_url, smtp_user, smtp_password;
  bool smtp_starttls = false;
  std::string mail_from = "noreply@cloudretail.local";
  std::string app_name = "CloudRetail";
  // The email queue's retry worker (tests shorten the backoff).
  int notify_retry_base_ms = 1000;  // first retry delay, doubled per attempt
  int notify_retry_max_ms = 60000;  // backoff cap
  int notify_max_attempts = 8;      // then the message is failed
  int notify_poll_ms = 250;         // worker wake-up interval
  // How long one delivery attempt owns a queued email; a row claimed by a process that
  // died waits this long. Must exceed the SMTP timeouts, or a slow send could go twice.
  int notify_claim_ms = 120000;

  // Orders
  int order_pending_ttl_seconds = 900;
  int inventory_audit_interval_seconds = 60;  // the audit behind /metrics; 0 = off
  // How long a checkout may stay CREATING before recovery takes its process for dead.
  int checkout_recovery_grace_ms = 10000;

  // Split deployment: which services run here, and where the others are.
  std::set<std::string> services;  // empty = all nine
  std::string auth_api_base, product_api_base, cart_api_base, inventory_api_base, order_api_base, payment_api_base,
      notification_api_base;

  std::string log_level = "info";

  /// Reads the environment through `getenv` (injectable for tests).
  static Config from_env(const std::function<const char*(const char*)>& getenv_fn);
  static Config from_env();

  bool runs(const std::string& service) const { return services.empty() || services.count(service); }
  std::string sqlite_path() const;
};

/// The nine service names accepted by --services.
const std::set<std::string>& known_services();

}  // namespace cloudretail
