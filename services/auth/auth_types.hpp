#pragma once
/// The identity domain's plain types, shared by service, repository and signer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cloudretail::auth {

struct User {
  std::string id;             // uuid4, the token `sub` (userSub)
  std::string email;          // normalized: trimmed, lower case
  std::string password_hash;  // libsodium Argon2id string
  bool confirmed = false;
  std::vector<std::string> groups;
  std::optional<std::string> code_hash;  // sha256 of the pending verification code
  int64_t code_expires_at_ms = 0;
  int code_attempts = 0;
  std::optional<std::string> reset_code_hash;  // sha256 of the pending password-reset code
  int64_t reset_expires_at_ms = 0;
  int64_t created_at_ms = 0;

  bool is_admin() const {
    for (const auto& g : groups)
      if (g == "admin") return true;
    return false;
  }
};

struct Tokens {
  std::string access_token, id_token, refresh_token;
  int64_t expires_in = 3600;
};

}  // namespace cloudretail::auth
