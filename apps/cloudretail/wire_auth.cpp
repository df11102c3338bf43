#include <spdlog/spdlog.h>

#include <chrono>

#include "auth/auth_repository.hpp"
#include "auth/auth_routes.hpp"
#include "auth/auth_service.hpp"
#include "auth/login_throttle.hpp"
#include "auth/password_hasher.hpp"
#include "auth/token_signer.hpp"
#include "authn/jwt_verifier.hpp"
#include "core/run_every.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

std::shared_ptr<const authn::TokenVerifier> wire_auth(App& app,
                                                      std::shared_ptr<notification::NotificationClient> notifications) {
  for (auto& m : auth::AuthRepository::migrations(app.db->dialect())) app.migrations.push_back(m);

  const Config& c = app.config;
  auto& parts = app.auth.emplace();
  parts.signer = std::make_unique<auth::TokenSigner>(
      auth::load_or_create_signing_key(c.jwt_private_key_file, c.data_dir), c.jwt_issuer, c.jwt_issuer + "-client");
  parts.repository = std::make_unique<auth::AuthRepository>(*app.db);
  // One Argon2id hash (19 MiB) at a time: measured peak RSS 58 MB with two at once
  // under 16 concurrent logins, too close to the 64 MB budget; one keeps it near 40 MB
  // at the cost of queueing logins (~100 ms each) behind one another. At most six wait
  // (of 8 worker threads), logins before sign-ups and round-robin across addresses
  // (password_hasher.hpp); beyond a lane's or an address's share: 429 at once.
  parts.hasher = std::make_unique<auth::PasswordHasher>(auth::HasherLimits{});
  parts.throttle = std::make_unique<auth::LoginThrottle>(app.clock, static_cast<size_t>(c.auth_throttle_max_keys));
  auth::AuthPolicies policies;
  policies.requests_per_address.limit = c.auth_requests_per_address;
  parts.service = std::make_unique<auth::AuthService>(*parts.repository, *parts.signer, *parts.hasher, *parts.throttle,
                                                      std::move(notifications), app.clock, policies);
  auth::AuthService* service = parts.service.get();
  auth::PasswordHasher* hasher = parts.hasher.get();
  auth::register_routes(app.router, *service, *parts.signer);

  if (!c.bootstrap_admin_email.empty() || !c.bootstrap_admin_password.empty()) {
    app.startup_tasks.push_back([service, email = c.bootstrap_admin_email, password = c.bootstrap_admin_password] {
      if (email.empty() || password.empty()) {
        spdlog::error("auth: BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together");
        return;
      }
      auto done = service->ensure_admin(email, password, /*promote_existing=*/false);
      if (!done) spdlog::error("auth: bootstrap admin not created: {}", done.error().message);
    });
  }
  app.create_admin = [service](const std::string& email, const std::string& password) -> std::string {
    auto done = service->ensure_admin(email, password, /*promote_existing=*/true);
    return done ? "" : done.error().message;
  };
  // The dummy hash that gives unknown accounts a wrong password's timing, made
  // off the request path so the first such login is not slower than the rest.
  app.background_tasks.push_back([hasher](std::stop_token) {
    try {
      hasher->verify_dummy("warm-up", auth::HashTicket{auth::HashTicket::Lane::kLogin, "", /*wait=*/true});
    } catch (const std::exception& e) {
      spdlog::warn("auth: password hasher warm-up failed: {}", e.what());
    }
  });
  // Expired refresh tokens and unconfirmed accounts past their last code's 24 h are
  // dropped every 10 minutes, so neither table grows without bound.
  app.background_tasks.push_back([service](std::stop_token stop) {
    run_every(
        std::chrono::minutes(10), stop, [&] { service->purge_expired(); },
        "auth: purge of expired tokens and sign-ups failed");
  });
  return authn::JwtVerifier::with_key(parts.signer->public_key(), c.jwt_issuer, app.clock);
}

}  // namespace cloudretail::app
