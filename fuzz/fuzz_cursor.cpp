// The opaque nextToken of every paginated list, decoded by the real routes: a
// tampered cursor must be a 400, never a 500 or a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app_fixture.hpp"
#include "core/percent_encode.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& app = cloudretail::fuzz::AppFixture::get();
  std::string token = cloudretail::percent_encode(std::string_view(reinterpret_cast<const char*>(data), size));
  for (const char* list : {"/products", "/orders", "/admin/orders", "/inventory"}) {
    std::string request = std::string("GET ") + list + "?limit=2&nextToken=" + token +
                          " HTTP/1.1\r\nHost: f\r\nAuthorization: Bearer " + app.admin_token() + "\r\n\r\n";
    cloudretail::fuzz::AppFixture::require_no_500(request, app.answer(request));
  }
  return 0;
}
