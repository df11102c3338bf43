#pragma once
/// Objects as files under <data dir>/media, reached through URLs signed with
/// HMAC-SHA256 over (method, key, expiry) with a secret kept in the data
/// directory (created 0600 on first use). The media routes serve GET and accept
/// PUT only with a valid, unexpired signature.
#include <filesystem>
#include <optional>

#include "objects/object_store.hpp"

namespace cloudretail::objects {

class LocalObjectStore final : public ObjectStore {
 public:
  /// base_url: e.g. http://127.0.0.1:8080/dev; URLs are base_url + "/media/" + key.
  LocalObjectStore(std::filesystem::path media_dir, std::string base_url, std::string secret, const Clock& clock);

  /// Reads <data_dir>/media-signing.key, creating it (0600) when absent.
  static std::string load_or_create_secret(const std::filesystem::path& data_dir);

  std::string presign_get(const std::string& key, int expires_seconds) override;
  std::string presign_put(const std::string& key, const std::string& content_type, int expires_seconds) override;
  Status put(const std::string& key, std::string_view data, const std::string& content_type) override;

  /// 400 for an unsafe key; 403 for a missing, malformed, tampered or expired signature.
  Status verify(std::string_view method, const std::string& key, std::string_view expires,
                std::string_view signature) const;
  /// The object's bytes; 400 unsafe key, 404 absent.
  Result<std::string> read(const std::string& key) const;

  /// The signature for (method, key, expiry), lower-case hex.
  std::string sign(std::string_view method, std::string_view key, int64_t expires_at) const;

 private:
  std::string url(std::string_view method, const std::string& key, int expires_seconds) const;
  std::filesystem::path path_for(const std::string& key) const;

  std::filesystem::path media_dir_;
  std::string base_url_;
  std::string secret_;
  const Clock& clock_;
};

}  // namespace cloudretail::objects
