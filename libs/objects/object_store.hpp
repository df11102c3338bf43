#pragma once
/// Where product images live. Callers hand out pre-signed URLs and never stream
/// image bytes through the catalog: a browser fetches (GET) or uploads (PUT)
/// straight to the store with the URL. Implementations: LocalObjectStore (files
/// under DATA_DIR/media, served by the media routes) and S3ObjectStore.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace cloudretail::objects {

/// True for a relative key of safe segments: no leading '/', no backslash, no empty,
/// "." or ".." segment, no control characters, at most 512 bytes.
bool is_safe_key(std::string_view key);

/// image/jpeg, image/png, image/webp, ... from the key's extension;
/// application/octet-stream otherwise.
std::string content_type_for_key(std::string_view key);

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  /// A URL that lets anyone GET the object until now + expires_seconds.
  virtual std::string presign_get(const std::string& key, int expires_seconds) = 0;
  /// A URL that lets anyone PUT the object until now + expires_seconds.
  virtual std::string presign_put(const std::string& key, const std::string& content_type, int expires_seconds) = 0;
  /// Stores bytes directly (used by `cloudretail seed`).
  virtual Status put(const std::string& key, std::string_view data, const std::string& content_type) = 0;
};

/// The settings objects need, taken from Config by the composition root.
struct StoreOptions {
  std::string kind = "local";  // local | s3
  std::string data_dir;        // local: files under data_dir/media, secret in data_dir
  std::string base_url;        // local: URL prefix of the media routes ("" = relative)
  std::string bucket, region = "us-east-1", endpoint, access_key_id, secret_access_key;  // s3
};

/// Builds the configured store. Throws std::runtime_error on a bad configuration
/// (start-up failure: one clear line).
std::shared_ptr<ObjectStore> make_object_store(const StoreOptions& options, const Clock& clock);

}  // namespace cloudretail::objects
