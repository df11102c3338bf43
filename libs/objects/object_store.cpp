#include "objects/object_store.hpp"

#include <stdexcept>

#include "objects/local_object_store.hpp"
#include "objects/s3_presign.hpp"

namespace cloudretail::objects {

bool is_safe_key(std::string_view key) {
  if (key.empty() || key.size() > 512 || key.front() == '/') return false;
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view seg = key.substr(start, end - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    for (unsigned char c : seg)
      if (c < 0x20 || c == 0x7f || c == '\\') return false;
    start = end + 1;
  }
  return true;
}

std::string content_type_for_key(std::string_view key) {
  auto dot = key.rfind('.');
  if (dot == std::string_view::npos || key.find('/', dot) != std::string_view::npos) return "application/octet-stream";
  std::string ext(key.substr(dot + 1));
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "png") return "image/png";
  if (ext == "webp") return "image/webp";
  if (ext == "gif") return "image/gif";
  return "application/octet-stream";
}

std::shared_ptr<ObjectStore> make_object_store(const StoreOptions& o, const Clock& clock) {
  if (o.kind == "local") {
    std::filesystem::path dir(o.data_dir.empty() ? "." : o.data_dir);
    return std::make_shared<LocalObjectStore>(dir / "media", o.base_url, LocalObjectStore::load_or_create_secret(dir),
                                              clock);
  }
  if (o.kind == "s3") {
    if (o.bucket.empty()) throw std::runtime_error("OBJECT_STORE=s3 needs S3_BUCKET");
    if (o.access_key_id.empty() || o.secret_access_key.empty())
      throw std::runtime_error("OBJECT_STORE=s3 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    return std::make_shared<S3ObjectStore>(o.bucket, o.region, o.endpoint, o.access_key_id, o.secret_access_key, clock);
  }
  throw std::runtime_error("OBJECT_STORE must be local or s3, got '" + o.kind + "'");
}

}  // namespace cloudretail::objects
