#include "objects/local_object_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/crypto.hpp"
#include "core/percent_encode.hpp"

namespace cloudretail::objects {

namespace fs = std::filesystem;

namespace {

std::string read_whole(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Error bad_key() { return bad_request("Invalid object key", "InvalidKey"); }
Error bad_signature() { return forbidden("Invalid or expired signature", "SignatureDoesNotMatch"); }

}  // namespace

LocalObjectStore::LocalObjectStore(fs::path media_dir, std::string base_url, std::string secret, const Clock& clock)
    : media_dir_(std::move(media_dir)), base_url_(std::move(base_url)), secret_(std::move(secret)), clock_(clock) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  std::error_code ec;
  fs::create_directories(media_dir_, ec);
  if (ec) throw std::runtime_error("cannot create media directory " + media_dir_.string() + ": " + ec.message());
}

std::string LocalObjectStore::load_or_create_secret(const fs::path& data_dir) {
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  fs::path path = data_dir / "media-signing.key";
  // O_EXCL: when several processes start at once, one creates and the others read.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    std::string secret = crypto::to_hex(crypto::random_bytes(32));
    std::string tmp = secret;
    const char* p = tmp.data();
    size_t left = tmp.size();
    while (left > 0) {
      ssize_t n = ::write(fd, p, left);
      if (n <= 0) {
        ::close(fd);
        throw std::runtime_error("cannot write " + path.string());
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    ::fsync(fd);
    ::close(fd);
    return secret;
  }
  if (errno != EEXIST) throw std::runtime_error("cannot create " + path.string());
  // Another process may be writing it right now: wait briefly for the full 64 characters.
  for (int i = 0; i < 50; ++i) {
    std::string secret = read_whole(path);
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    if (secret.size() >= 32) return secret;
    ::usleep(20000);
  }
  throw std::runtime_error("media signing key " + path.string() + " is empty or too short");
}

std::string LocalObjectStore::sign(std::string_view method, std::string_view key, int64_t expires_at) const {
  std::string data;
  data.reserve(method.size() + key.size() + 24);
  data.append(method).push_back('\n');
  data.append(key).push_back('\n');
  data.append(std::to_string(expires_at));
  return crypto::hmac_sha256_hex(secret_, data);
}

std::string LocalObjectStore::url(std::string_view method, const std::string& key, int expires_seconds) const {
  int64_t expires_at = clock_.now_seconds() + expires_seconds;
  return base_url_ + "/media/" + percent_encode(key, true) + "?expires=" + std::to_string(expires_at) +
         "&signature=" + sign(method, key, expires_at);
}

std::string LocalObjectStore::presign_get(const std::string& key, int expires_seconds) {
  return url("GET", key, expires_seconds);
}

std::string LocalObjectStore::presign_put(const std::string& key, const std::string&, int expires_seconds) {
  return url("PUT", key, expires_seconds);
}

Status LocalObjectStore::verify(std::string_view method, const std::string& key, std::string_view expires,
                                std::string_view signature) const {
  if (!is_safe_key(key)) return bad_key();
  int64_t expires_at = 0;
  auto [ptr, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), expires_at);
  if (expires.empty() || ec != std::errc() || ptr != expires.data() + expires.size()) return bad_signature();
  if (!crypto::constant_time_equal(sign(method, key, expires_at), signature)) return bad_signature();
  if (clock_.now_seconds() > expires_at) return bad_signature();
  return ok_status();
}

fs::path LocalObjectStore::path_for(const std::string& key) const {
  // is_safe_key already refused "..", absolute keys and backslashes, so the join
  // stays inside media_dir_; the prefix check below is a second fence.
  return (media_dir_ / key).lexically_normal();
}

Result<std::string> LocalObjectStore::read(const std::string& key) const {
  if (!is_safe_key(key)) return bad_key();
  fs::path p = path_for(key);
  auto rel = p.lexically_relative(media_dir_.lexically_normal());
  if (rel.empty() || *rel.begin() == "..") return bad_key();
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return not_found("Object not found", "NoSuchKey");
  return read_whole(p);
}

Status LocalObjectStore::put(const std::string& key, std::string_view data, const std::string&) {
  if (!is_safe_key(key)) return bad_key();
  fs::path p = path_for(key);
  auto rel = p.lexically_relative(media_dir_.lexically_normal());
  if (rel.empty() || *rel.begin() == "..") return bad_key();
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec) return internal_error();
  // Write then rename, so a reader never sees half an image.
  fs::path tmp = p;
  tmp += ".tmp-" + crypto::random_token(6);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) {
      fs::remove(tmp, ec);
      return internal_error();
    }
  }
  fs::rename(tmp, p, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return internal_error();
  }
  return ok_status();
}

}  // namespace cloudretail::objects
