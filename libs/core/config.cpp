#include "core/config.hpp"

#include <charconv>
#include <cstdlib>

namespace cloudretail {

namespace {

struct EnvReader {
  const std::function<const char*(const char*)>& getenv_fn;

  bool has(const char* name) const {
    const char* v = getenv_fn(name);
    return v != nullptr && *v != '\0';
  }
  void str(const char* name, std::string& out) const {
    if (has(name)) out = getenv_fn(name);
  }
  void integer(const char* name, int& out, int min, int max) const {
    if (!has(name)) return;
    std::string_view v = getenv_fn(name);
    int parsed = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), parsed);
    if (ec != std::errc() || end != v.data() + v.size() || parsed < min || parsed > max)
      throw ConfigError(std::string(name) + " must be an integer from " + std::to_string(min) + " to " +
                        std::to_string(max) + ", got '" + std::string(v) + "'");
    out = parsed;
  }
  void boolean(const char* name, bool& out) const {
    if (!has(name)) return;
    std::string v = getenv_fn(name);
    if (v == "1" || v == "true" || v == "yes")
      out = true;
    else if (v == "0" || v == "false" || v == "no")
      out = false;
    else
      throw ConfigError(std::string(name) + " must be true or false, got '" + v + "'");
  }
  void url(const char* name, std::string& out) const {
    if (!has(name)) return;
    std::string v = getenv_fn(name);
    if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
      throw ConfigError(std::string(name) + " must be an http:// or https:// URL, got '" + v + "'");
    while (!v.empty() && v.back() == '/') v.pop_back();
    out = v;
  }
};

}  // namespace

const std::set<std::string>& known_services() {
  static const std::set<std::string> names{"auth",    "product",      "cart",   "inventory", "order",
                                           "payment", "notification", "health", "dbtest",    "web"};
  return names;
}

Config Config::from_env() {
  return from_env([](const char* n) -> const char* { return std::getenv(n); });
}

Config Config::from_env(const std::function<const char*(const char*)>& getenv_fn) {
  Config c;
  EnvReader env{getenv_fn};
  env.str("HOST", c.host);
  env.integer("PORT", c.port, 0, 65535);
  env.integer("IO_THREADS", c.io_threads, 0, 64);
  env.integer("MAX_CONNECTIONS", c.max_connections, 1, 1000000);
  env.integer("HTTP_IDLE_TIMEOUT_MS", c.http_idle_timeout_ms, 100, 3'600'000);
  env.str("API_BASE_PATH", c.api_base_path);
  if (!c.api_base_path.empty()) {
    if (c.api_base_path.front() != '/')
      throw ConfigError("API_BASE_PATH must start with '/', got '" + c.api_base_path + "'");
    while (c.api_base_path.size() > 1 && c.api_base_path.back() == '/') c.api_base_path.pop_back();
    if (c.api_base_path == "/") c.api_base_path.clear();
  }
  env.str("CORS_ALLOW_ORIGIN", c.cors_allow_origin);
  env.url("PUBLIC_BASE_URL", c.public_base_url);

  env.str("DATA_DIR", c.data_dir);
  env.str("DATABASE_URL", c.database_url);
  if (!c.database_url.empty() && c.database_url.rfind("postgresql://", 0) != 0 &&
      c.database_url.rfind("postgres://", 0) != 0 && c.database_url.rfind("sqlite:", 0) != 0)
    throw ConfigError("DATABASE_URL must start with postgresql:// or sqlite:, got a different scheme");
  env.integer("DB_POOL_SIZE", c.db_pool_size, 1, 256);
  env.str("SQLITE_SYNCHRONOUS", c.sqlite_synchronous);
  if (c.sqlite_synchronous != "NORMAL" && c.sqlite_synchronous != "FULL")
    throw ConfigError("SQLITE_SYNCHRONOUS must be NORMAL or FULL, got '" + c.sqlite_synchronous + "'");

  env.str("SERVICE_TOKEN", c.service_token);
  if (!c.service_token.empty() && c.service_token.size() < 16)
    throw ConfigError("SERVICE_TOKEN must be at least 16 characters");
  env.str("JWT_PRIVATE_KEY_FILE", c.jwt_private_key_file);
  env.str("JWT_ISSUER", c.jwt_issuer);
  env.str("BOOTSTRAP_ADMIN_EMAIL", c.bootstrap_admin_email);
  env.str("BOOTSTRAP_ADMIN_PASSWORD", c.bootstrap_admin_password);
  if (c.bootstrap_admin_email.empty() != c.bootstrap_admin_password.empty())
    throw ConfigError("BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together");

  env.str("OBJECT_STORE", c.object_store);
  if (c.object_store != "local" && c.object_store != "s3")
    throw ConfigError("OBJECT_STORE must be local or s3, got '" + c.object_store + "'");
  env.integer("SIGNED_URL_EXPIRES", c.signed_url_expires, 1, 604800);
  env.str("S3_BUCKET", c.s3_bucket);
  env.str("AWS_REGION", c.aws_region);
  env.url("S3_ENDPOINT", c.s3_endpoint);
  env.str("AWS_ACCESS_KEY_ID", c.aws_access_key_id);
  env.str("AWS_SECRET_ACCESS_KEY", c.aws_secret_access_key);
  if (c.object_store == "s3" && (c.s3_bucket.empty() || c.aws_access_key_id.empty() || c.aws_secret_access_key.empty()))
    throw ConfigError("OBJECT_STORE=s3 needs S3_BUCKET, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");

  env.str("SMTP_URL", c.smtp_url);
  if (!c.smtp_url.empty() && c.smtp_url.rfind("smtp://", 0) != 0 && c.smtp_url.rfind("smtps://", 0) != 0)
    throw ConfigError("SMTP_URL must start with smtp:// or smtps://");
  env.str("SMTP_USER", c.smtp_user);
  env.str("SMTP_PASSWORD", c.smtp_password);
  env.boolean("SMTP_STARTTLS", c.smtp_starttls);
  env.str("MAIL_FROM", c.mail_from);
  env.str("SES_FROM_EMAIL", c.mail_from);  // the original's name wins when both are set
  env.str("APP_NAME", c.app_name);
  env.integer("NOTIFY_RETRY_BASE_MS", c.notify_retry_base_ms, 1, 3'600'000);
  env.integer("NOTIFY_RETRY_MAX_MS", c.notify_retry_max_ms, 1, 86'400'000);
  env.integer("NOTIFY_MAX_ATTEMPTS", c.notify_max_attempts, 1, 1000);
  env.integer("NOTIFY_POLL_MS", c.notify_poll_ms, 10, 60'000);
  env.integer("NOTIFY_CLAIM_MS", c.notify_claim_ms, 1000, 3'600'000);

  env.integer("ORDER_PENDING_TTL_SECONDS", c.order_pending_ttl_seconds, 1, 30 * 86400);
  env.integer("INVENTORY_AUDIT_INTERVAL_SECONDS", c.inventory_audit_interval_seconds, 0, 86400);
  env.integer("CHECKOUT_RECOVERY_GRACE_MS", c.checkout_recovery_grace_ms, 0, 86'400'000);
  env.integer("AUTH_REQUESTS_PER_ADDRESS", c.auth_requests_per_address, 1, 1'000'000);
  env.integer("AUTH_THROTTLE_MAX_KEYS", c.auth_throttle_max_keys, 100, 10'000'000);

  env.url("AUTH_API_BASE", c.auth_api_base);
  env.url("PRODUCT_API_BASE", c.product_api_base);
  env.url("CART_API_BASE", c.cart_api_base);
  env.url("INVENTORY_API_BASE", c.inventory_api_base);
  env.url("ORDER_API_BASE", c.order_api_base);
  env.url("PAYMENT_API_BASE", c.payment_api_base);
  env.url("NOTIFICATION_API_BASE", c.notification_api_base);

  env.str("LOG_LEVEL", c.log_level);
  return c;
}

std::string Config::sqlite_path() const {
  if (database_url.rfind("sqlite:", 0) == 0) {
    std::string p = database_url.substr(7);
    if (p.rfind("//", 0) == 0) p = p.substr(2);
    return p;
  }
  return data_dir + "/cloudretail.db";
}

}  // namespace cloudretail
