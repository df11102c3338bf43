#include "authn/jwt_verifier.hpp"

#include <jwt.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "core/crypto.hpp"

namespace cloudretail::authn {

namespace json = boost::json;

namespace {

constexpr size_t kMaxTokenSize = 8 * 1024;

Error bad_token() { return unauthorized("Invalid or expired token", "NotAuthorizedException"); }

std::optional<json::object> parse_object(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

const json::string* string_field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? &it->value().as_string() : nullptr;
}

std::optional<int64_t> int_field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  if (it->value().is_int64()) return it->value().as_int64();
  if (it->value().is_uint64() && it->value().as_uint64() <= static_cast<uint64_t>(INT64_MAX))
    return static_cast<int64_t>(it->value().as_uint64());
  return std::nullopt;
}

}  // namespace

std::optional<JwtParts> split_jwt(std::string_view token) {
  auto d1 = token.find('.');
  if (d1 == std::string_view::npos) return std::nullopt;
  auto d2 = token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos) return std::nullopt;
  JwtParts parts;
  if (!crypto::base64url_decode(token.substr(0, d1), parts.header_json) ||
      !crypto::base64url_decode(token.substr(d1 + 1, d2 - d1 - 1), parts.payload_json))
    return std::nullopt;
  return parts;
}

JwtVerifier::JwtVerifier(KeyLookup keys, std::string issuer, const Clock& clock, size_t cache_capacity)
    : keys_(std::move(keys)), issuer_(std::move(issuer)), clock_(clock), cache_capacity_(cache_capacity) {}

std::shared_ptr<JwtVerifier> JwtVerifier::with_key(EcPublicKey key, std::string issuer, const Clock& clock) {
  auto lookup = [key = std::move(key)](std::string_view kid) -> std::optional<EcPublicKey> {
    // A token without kid is tried against our only key; a foreign kid is refused.
    if (kid.empty() || kid == key.kid) return key;
    return std::nullopt;
  };
  return std::make_shared<JwtVerifier>(std::move(lookup), std::move(issuer), clock);
}

Result<http::Principal> JwtVerifier::verify_access_token(std::string_view token) const {
  if (token.empty() || token.size() > kMaxTokenSize) return bad_token();
  const int64_t now = clock_.now_seconds();
  std::string digest = crypto::sha256(token);
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(digest);
    if (it != cache_.end()) {
      if (it->second.exp > now) return it->second.principal;
      cache_.erase(it);
      return bad_token();
    }
  }
  int64_t exp = 0;
  auto principal = verify_uncached(token, exp);
  if (!principal) return principal;
  std::lock_guard lock(mutex_);
  // Bounded: when full, start over rather than track recency (cheap, and a miss
  // only costs one verification).
  if (cache_.size() >= cache_capacity_) cache_.clear();
  cache_.emplace(std::move(digest), Cached{*principal, exp});
  return principal;
}

Result<http::Principal> JwtVerifier::verify_uncached(std::string_view token, int64_t& exp) const {
  auto parts = split_jwt(token);
  if (!parts) return bad_token();
  auto header = parse_object(parts->header_json);
  if (!header) return bad_token();
  // Pin the algorithm before libjwt chooses one from the header.
  auto* alg = string_field(*header, "alg");
  if (!alg || *alg != "ES256") return bad_token();
  std::string kid;
  if (auto it = header->find("kid"); it != header->end()) {
    if (!it->value().is_string()) return bad_token();
    kid = std::string(it->value().as_string());
  }
  auto key = keys_(kid);
  if (!key) return bad_token();

  jwt_t* raw = nullptr;
  std::string token_str(token);
  int rc = jwt_decode(&raw, token_str.c_str(), reinterpret_cast<const unsigned char*>(key->pem.data()),
                      static_cast<int>(key->pem.size()));
  std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt(raw, &jwt_free);
  if (rc != 0 || !jwt || jwt_get_alg(jwt.get()) != JWT_ALG_ES256) return bad_token();

  auto claims = parse_object(parts->payload_json);
  if (!claims) return bad_token();
  auto* use = string_field(*claims, "token_use");
  auto* iss = string_field(*claims, "iss");
  auto* sub = string_field(*claims, "sub");
  auto exp_claim = int_field(*claims, "exp");
  if (!use || *use != "access" || !iss || *iss != issuer_ || !sub || sub->empty() || !exp_claim) return bad_token();
  if (*exp_claim <= clock_.now_seconds()) return bad_token();
  exp = *exp_claim;

  http::Principal p;
  p.user_id = std::string(*sub);
  // Optional: tokens issued before the claim existed simply carry no address.
  if (auto it = claims->find("email"); it != claims->end()) {
    if (!it->value().is_string()) return bad_token();
    p.email = std::string(it->value().as_string());
  }
  if (auto it = claims->find("groups"); it != claims->end()) {
    if (!it->value().is_array()) return bad_token();
    for (const auto& g : it->value().as_array()) {
      if (!g.is_string()) return bad_token();
      p.groups.emplace_back(g.as_string());
      if (g.as_string() == "admin") p.is_admin = true;
    }
  }
  return p;
}

}  // namespace cloudretail::authn
