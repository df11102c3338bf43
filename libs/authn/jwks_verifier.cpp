#include "authn/jwks_verifier.hpp"

#include <boost/json.hpp>
#include <map>
#include <mutex>

#include "authn/jwt_verifier.hpp"
#include "http/client.hpp"

namespace cloudretail::authn {

namespace {

class JwksKeySource {
 public:
  JwksKeySource(std::string base, const Clock& clock) : client_(std::move(base)), clock_(clock) {}

  std::optional<EcPublicKey> lookup(std::string_view kid) {
    std::lock_guard lock(mutex_);
    if (auto k = find(kid)) return k;
    const int64_t now = clock_.now_ms();
    // Bounded refetching: an unknown kid (or an unreachable auth service) costs at
    // most one fetch per interval, not one per request.
    if (attempted_ && now - last_fetch_ms_ < (fetched_once_ ? kRefetchMs : kRetryMs)) return std::nullopt;
    attempted_ = true;
    fetch(now);
    return find(kid);
  }

 private:
  static constexpr int64_t kRefetchMs = 30'000;
  static constexpr int64_t kRetryMs = 1'000;  // until the first successful fetch

  std::optional<EcPublicKey> find(std::string_view kid) const {
    if (kid.empty()) {
      if (keys_.size() == 1) return keys_.begin()->second;
      return std::nullopt;
    }
    auto it = keys_.find(std::string(kid));
    if (it == keys_.end()) return std::nullopt;
    return it->second;
  }

  void fetch(int64_t now) {
    last_fetch_ms_ = now;
    http::ClientRequest req;
    req.target = "/.well-known/jwks.json";
    req.timeout = std::chrono::milliseconds(2000);
    req.idempotent = true;
    auto res = client_.send(req);
    if (!res || res->status != 200) return;
    auto fresh = parse_jwks(res->body);
    if (!fresh.empty()) {
      keys_ = std::move(fresh);
      fetched_once_ = true;
    }
  }

  http::HttpClient client_;
  const Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, EcPublicKey> keys_;
  int64_t last_fetch_ms_ = 0;
  bool fetched_once_ = false;
  bool attempted_ = false;
};

}  // namespace

std::map<std::string, EcPublicKey> parse_jwks(std::string_view document) {
  std::map<std::string, EcPublicKey> keys;
  boost::system::error_code ec;
  auto doc = boost::json::parse(document, ec);
  if (ec || !doc.is_object()) return keys;
  auto* list = doc.as_object().if_contains("keys");
  if (!list || !list->is_array()) return keys;
  for (const auto& k : list->as_array()) {
    if (!k.is_object()) continue;
    const auto& o = k.as_object();
    auto str = [&o](const char* name) -> std::string {
      auto* v = o.if_contains(name);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    if (str("kty") != "EC" || str("crv") != "P-256") continue;
    if (auto alg = str("alg"); !alg.empty() && alg != "ES256") continue;
    auto key = public_key_from_jwk(str("x"), str("y"));
    if (!key) continue;
    std::string kid = str("kid").empty() ? key->kid : str("kid");
    keys.emplace(kid, std::move(key.value()));
  }
  return keys;
}

std::shared_ptr<const TokenVerifier> make_jwks_verifier(std::string auth_api_base, std::string issuer,
                                                        const Clock& clock) {
  auto source = std::make_shared<JwksKeySource>(std::move(auth_api_base), clock);
  return std::make_shared<JwtVerifier>([source](std::string_view kid) { return source->lookup(kid); },
                                       std::move(issuer), clock);
}

}  // namespace cloudretail::authn
