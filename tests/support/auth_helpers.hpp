#pragma once
/// Identity shorthands for integration tests: log in the bootstrap admin, or
/// register + confirm (reading the code from DATA_DIR/outbox/*.eml) + log in a user.
/// Servers must be started with admin_env() (or the same two variables).
#include <map>
#include <string>
#include <vector>

#include "test_server.hpp"

namespace cloudretail::testing {

inline constexpr const char* kAdminEmail = "admin@example.com";
inline constexpr const char* kAdminPassword = "Admin12345";

/// BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD for TestServer's env.
std::map<std::string, std::string> admin_env();

struct Tokens {
  std::string access_token, id_token, refresh_token;
  std::string user_id;  // the access token's sub
};

/// Logs in the bootstrap admin; throws std::runtime_error on failure.
Tokens login_admin(TestServer& server);
/// Logs in; throws on any status but 200.
Tokens login(TestServer& server, const std::string& email, const std::string& password);
/// Registers, confirms with the emailed code and logs in; throws on failure.
Tokens register_and_login(TestServer& server, const std::string& email, const std::string& password);

/// Verification codes emailed to `email` so far (oldest first), from the outbox files.
std::vector<std::string> emailed_codes(TestServer& server, const std::string& email);
/// Waits (up to 10 s) until more than `already_seen` codes were emailed; returns the newest.
std::string wait_for_code(TestServer& server, const std::string& email, size_t already_seen = 0);

/// One outbox message as a reader sees it (decoded by tests/support/parse_eml.py).
struct OutboxEmail {
  std::string file, to, subject, text, html;
};
/// Messages in `outbox_dir` addressed to `email` (case-insensitive), oldest first.
std::vector<OutboxEmail> outbox_emails(const std::string& outbox_dir, const std::string& email);
/// Waits (up to 10 s) for more than `already_seen` messages to `email` whose subject
/// contains `subject_part`; returns the 6-digit code on a line of its own in the newest
/// one's text part.
std::string wait_for_emailed_code(const std::string& outbox_dir, const std::string& email,
                                  const std::string& subject_part, size_t already_seen = 0);

/// The JSON payload of a JWT (no verification), for assertions on claims.
boost::json::object jwt_claims(const std::string& token);

}  // namespace cloudretail::testing
