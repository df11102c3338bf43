// A JSON body to every route that takes one: the first byte picks the route, the
// rest is the body, sent as the admin (so guards let it through to the handler's
// own parsing and validation). Any 5xx but 503 is a finding: bad input gets a 4xx.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "app_fixture.hpp"

namespace {

struct Target {
  const char* method;
  const char* path;
};

// Every route with a request body (CONTRACT.md), path parameters filled in.
const std::vector<Target> kTargets = {
    {"POST", "/auth/register"},
    {"POST", "/auth/confirm"},
    {"POST", "/auth/resend-code"},
    {"POST", "/auth/login"},
    {"POST", "/auth/refresh"},
    {"POST", "/auth/logout"},
    {"POST", "/auth/forgot-password"},
    {"POST", "/auth/reset-password"},
    {"POST", "/auth/change-password"},
    {"POST", "/products"},
    {"PATCH", "/products/P-fuzz"},
    {"POST", "/products/P-fuzz/image-upload-url"},
    {"PUT", "/inventory/P-fuzz"},
    {"POST", "/inventory/P-fuzz/reserve"},
    {"POST", "/inventory/P-fuzz/release"},
    {"POST", "/cart/items"},
    {"PUT", "/cart/items/P-fuzz"},
    {"POST", "/orders/checkout"},
    {"POST", "/orders/O-00000000-0000-4000-8000-000000000000/cancel"},
    {"POST", "/orders/O-00000000-0000-4000-8000-000000000000/ship"},
    {"POST", "/orders/O-00000000-0000-4000-8000-000000000000/refund"},
    {"POST", "/payments"},
    {"POST", "/notifications/user-registered"},
    {"POST", "/notifications/order-confirmed"},
    {"POST", "/notifications/payment-failed"},
    {"POST", "/notifications/verification-code"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  auto& app = cloudretail::fuzz::AppFixture::get();
  const Target& t = kTargets[data[0] % kTargets.size()];
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string request =
      std::string(t.method) + " " + t.path + " HTTP/1.1\r\nHost: f\r\nAuthorization: Bearer " + app.admin_token() +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  cloudretail::fuzz::AppFixture::require_no_500(request, app.answer(request));
  return 0;
}
