// Signed media URLs. The local store's verification of (method, key, expires,
// signature) from a request, its reads of arbitrary keys, and both presigners
// (local HMAC and S3 SigV4) on arbitrary keys. Properties: only the store's own
// signature verifies; no key reads a file outside the media directory; every
// pre-signed URL is a valid absolute URI.
#include <fuzzer/FuzzedDataProvider.h>
#include <stdlib.h>

#include <boost/url/parse.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/clock.hpp"
#include "objects/local_object_store.hpp"
#include "objects/s3_presign.hpp"

using namespace cloudretail;
namespace fs = std::filesystem;

namespace {

void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "%s: %s\n", what, detail.c_str());
  std::abort();
}

struct Store {
  SystemClock clock;
  fs::path dir;
  std::unique_ptr<objects::LocalObjectStore> store;
  Store() {
    char tmpl[] = "/dev/shm/cloudretail-fuzz-media-XXXXXX";
    if (!mkdtemp(tmpl)) std::abort();
    dir = tmpl;
    fs::create_directories(dir / "media" / "products");
    std::ofstream(dir / "outside.txt") << "OUTSIDE";  // must never be readable through a key
    std::ofstream(dir / "media" / "products" / "p.jpg") << "IMAGE";
    store = std::make_unique<objects::LocalObjectStore>(dir / "media", "http://127.0.0.1:8080/dev",
                                                        "0123456789abcdef0123456789abcdef", clock);
  }
};

void check_uri(const std::string& url) {
  if (!boost::urls::parse_absolute_uri(url)) finding("a pre-signed URL that is not a URI", url);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Store s;
  FuzzedDataProvider in(data, size);
  std::string method = in.ConsumeBool() ? "GET" : in.ConsumeRandomLengthString(8);
  std::string key = in.ConsumeRandomLengthString(200);
  std::string expires = in.ConsumeRandomLengthString(24);
  std::string signature = in.ConsumeRandomLengthString(80);

  // Verification of what a request carries: only the real signature passes.
  if (s.store->verify(method, key, expires, signature) &&
      signature != s.store->sign(method, key, std::atoll(expires.c_str())))
    finding("verified a signature the store did not make", signature);
  auto content = s.store->read(key);
  if (content && *content == "OUTSIDE") finding("read a file outside the media directory", key);

  // Presigning arbitrary keys gives URIs (the product service only signs safe keys,
  // but the URL must never be malformed whatever it is handed).
  if (!key.empty()) {
    check_uri(s.store->presign_get(key, 300));
    check_uri(s.store->presign_put(key, "image/png", 300));
  }
  objects::PresignRequest r;
  r.method = in.ConsumeBool() ? "GET" : "PUT";
  r.host = "bucket.s3.us-east-1.amazonaws.com";
  r.path = "/" + key;
  r.access_key_id = "AKIDEXAMPLE";
  r.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  r.now_seconds = in.ConsumeIntegralInRange<int64_t>(0, 4102444800);
  r.expires_seconds = in.ConsumeIntegralInRange<int>(1, 604800);
  check_uri(objects::presign_v4(r));
  return 0;
}
