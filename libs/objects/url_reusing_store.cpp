#include "objects/url_reusing_store.hpp"

namespace cloudretail::objects {

std::string UrlReusingStore::presign_get(const std::string& key, int expires_seconds) {
  const int64_t second = clock_.now_seconds();
  {
    std::lock_guard lock(mutex_);
    auto it = urls_.find(key);
    if (it != urls_.end() && it->second.second == second && it->second.expires_seconds == expires_seconds)
      return it->second.url;
  }
  std::string url = inner_.presign_get(key, expires_seconds);
  // Only when the clock has not moved on while signing: then the URL is the one of `second`.
  if (clock_.now_seconds() == second) {
    std::lock_guard lock(mutex_);
    if (urls_.size() >= max_urls_) urls_.clear();
    urls_.insert_or_assign(key, Signed{second, expires_seconds, url});
  }
  return url;
}

}  // namespace cloudretail::objects
