#pragma once
/// An ObjectStore in front of another that reuses a pre-signed GET URL within the
/// clock second it was signed in. Both stores count a URL's expiry in whole
/// seconds from the clock, so within that second signing again would give the very
/// same bytes: reusing it changes nothing a client sees (the URL stays valid the
/// full expiry) and saves an HMAC per image per product answered. Bounded: a full
/// map is emptied and refilled. Thread-safe.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "objects/object_store.hpp"

namespace cloudretail::objects {

class UrlReusingStore final : public ObjectStore {
 public:
  UrlReusingStore(ObjectStore& inner, const Clock& clock, size_t max_urls = 4096)
      : inner_(inner), clock_(clock), max_urls_(max_urls) {}

  std::string presign_get(const std::string& key, int expires_seconds) override;
  std::string presign_put(const std::string& key, const std::string& content_type, int expires_seconds) override {
    return inner_.presign_put(key, content_type, expires_seconds);
  }
  Status put(const std::string& key, std::string_view data, const std::string& content_type) override {
    return inner_.put(key, data, content_type);
  }

 private:
  ObjectStore& inner_;
  const Clock& clock_;
  const size_t max_urls_;
  std::mutex mutex_;
  struct Signed {
    int64_t second;  // the clock second it was signed in
    int expires_seconds;
    std::string url;
  };
  std::unordered_map<std::string, Signed> urls_;  // by key
};

}  // namespace cloudretail::objects
