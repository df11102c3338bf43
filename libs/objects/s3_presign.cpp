#include "objects/s3_presign.hpp"

#include <curl/curl.h>

#include <cstring>
#include <ctime>
#include <stdexcept>

#include "core/chunked_reader.hpp"
#include "core/crypto.hpp"
#include "core/percent_encode.hpp"

namespace cloudretail::objects {

std::string amz_date(int64_t epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string presign_v4(const PresignRequest& r, std::string* signature_out) {
  const std::string date_time = amz_date(r.now_seconds);
  const std::string date = date_time.substr(0, 8);
  const std::string scope = date + "/" + r.region + "/s3/aws4_request";
  const std::string canonical_uri = percent_encode(r.path.empty() ? "/" : r.path, true);

  // Query parameters in byte order of their names, as SigV4 requires.
  std::string query = "X-Amz-Algorithm=AWS4-HMAC-SHA256";
  query += "&X-Amz-Credential=" + percent_encode(r.access_key_id + "/" + scope, false);
  query += "&X-Amz-Date=" + date_time;
  query += "&X-Amz-Expires=" + std::to_string(r.expires_seconds);
  query += "&X-Amz-SignedHeaders=host";

  const std::string canonical_request =
      r.method + "\n" + canonical_uri + "\n" + query + "\n" + "host:" + r.host + "\n\n" + "host\n" + "UNSIGNED-PAYLOAD";
  const std::string string_to_sign =
      "AWS4-HMAC-SHA256\n" + date_time + "\n" + scope + "\n" + crypto::sha256_hex(canonical_request);

  std::string key = crypto::hmac_sha256("AWS4" + r.secret_access_key, date);
  key = crypto::hmac_sha256(key, r.region);
  key = crypto::hmac_sha256(key, "s3");
  key = crypto::hmac_sha256(key, "aws4_request");
  const std::string signature = crypto::hmac_sha256_hex(key, string_to_sign);
  if (signature_out) *signature_out = signature;
  return r.scheme + "://" + r.host + canonical_uri + "?" + query + "&X-Amz-Signature=" + signature;
}

S3ObjectStore::S3ObjectStore(std::string bucket, std::string region, std::string endpoint, std::string access_key_id,
                             std::string secret_access_key, const Clock& clock)
    : bucket_(std::move(bucket)),
      region_(std::move(region)),
      access_key_id_(std::move(access_key_id)),
      secret_access_key_(std::move(secret_access_key)),
      clock_(clock) {
  if (!endpoint.empty()) {
    auto sep = endpoint.find("://");
    if (sep == std::string::npos) throw std::runtime_error("S3_ENDPOINT must be a URL such as http://127.0.0.1:9000");
    endpoint_scheme_ = endpoint.substr(0, sep);
    endpoint_host_ = endpoint.substr(sep + 3);
    auto slash = endpoint_host_.find('/');
    if (slash != std::string::npos) endpoint_host_.resize(slash);
    if (endpoint_host_.empty()) throw std::runtime_error("S3_ENDPOINT has no host");
  }
}

PresignRequest S3ObjectStore::base_request(const std::string& method, const std::string& key,
                                           int expires_seconds) const {
  PresignRequest r;
  r.method = method;
  r.region = region_;
  r.access_key_id = access_key_id_;
  r.secret_access_key = secret_access_key_;
  r.now_seconds = clock_.now_seconds();
  r.expires_seconds = expires_seconds;
  if (endpoint_host_.empty()) {
    r.host = bucket_ + ".s3." + region_ + ".amazonaws.com";
    r.path = "/" + key;
  } else {
    r.scheme = endpoint_scheme_;
    r.host = endpoint_host_;
    r.path = "/" + bucket_ + "/" + key;
  }
  return r;
}

std::string S3ObjectStore::presign_get(const std::string& key, int expires_seconds) {
  return presign_v4(base_request("GET", key, expires_seconds));
}

std::string S3ObjectStore::presign_put(const std::string& key, const std::string&, int expires_seconds) {
  return presign_v4(base_request("PUT", key, expires_seconds));
}

namespace {
size_t discard_cb(char*, size_t size, size_t nmemb, void*) { return size * nmemb; }
}  // namespace

Status S3ObjectStore::put(const std::string& key, std::string_view data, const std::string& content_type) {
  if (!is_safe_key(key)) return bad_request("Invalid object key", "InvalidKey");
  std::string url = presign_put(key, content_type, 300);
  CURL* curl = curl_easy_init();
  if (!curl) return internal_error();
  ChunkedReader up{data};
  curl_slist* headers = curl_slist_append(nullptr, ("Content-Type: " + content_type).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &ChunkedReader::read);
  curl_easy_setopt(curl, CURLOPT_READDATA, &up);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(data.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard_cb);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK || status < 200 || status >= 300) return unavailable("Object store error");
  return ok_status();
}

}  // namespace cloudretail::objects
