#pragma once
/// AWS Signature Version 4 query-string pre-signing for S3 (the URL an AWS SDK's
/// presigner yields for the same inputs), and an S3 store built on it.
#include <cstdint>
#include <string>

#include "objects/object_store.hpp"

namespace cloudretail::objects {

struct PresignRequest {
  std::string method = "GET";  // GET or PUT
  std::string scheme = "https";
  std::string host;  // examplebucket.s3.us-east-1.amazonaws.com
  std::string path;  // un-encoded path, e.g. /test.txt or /bucket/test.txt
  std::string region = "us-east-1";
  std::string access_key_id;
  std::string secret_access_key;
  int64_t now_seconds = 0;  // signing time (a parameter so tests can fix it)
  int expires_seconds = 300;
};

/// The full pre-signed URL; `signature_out`, when given, receives the hex signature.
std::string presign_v4(const PresignRequest& request, std::string* signature_out = nullptr);

/// 20130524T000000Z for a Unix time.
std::string amz_date(int64_t epoch_seconds);

class S3ObjectStore final : public ObjectStore {
 public:
  /// endpoint "" = virtual-host style https://BUCKET.s3.REGION.amazonaws.com/KEY;
  /// otherwise path style ENDPOINT/BUCKET/KEY (MinIO, LocalStack).
  S3ObjectStore(std::string bucket, std::string region, std::string endpoint, std::string access_key_id,
                std::string secret_access_key, const Clock& clock);

  std::string presign_get(const std::string& key, int expires_seconds) override;
  std::string presign_put(const std::string& key, const std::string& content_type, int expires_seconds) override;
  /// Uploads through a pre-signed PUT URL (libcurl).
  Status put(const std::string& key, std::string_view data, const std::string& content_type) override;

 private:
  PresignRequest base_request(const std::string& method, const std::string& key, int expires_seconds) const;

  std::string bucket_, region_, endpoint_scheme_, endpoint_host_, access_key_id_, secret_access_key_;
  const Clock& clock_;
};

}  // namespace cloudretail::objects
