// Bytes of one connection through the server's request path, in process: Beast's
// parser with the server's limits, the framing checks, request ids, routing, HEAD,
// guards and the real handlers. "@TOKEN@" in the input becomes a valid admin token,
// so the fuzzer reaches guarded routes too. Any 5xx but 501/503 is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app_fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& app = cloudretail::fuzz::AppFixture::get();
  std::string input(reinterpret_cast<const char*>(data), size);
  for (size_t at = input.find("@TOKEN@"); at != std::string::npos; at = input.find("@TOKEN@", at))
    input.replace(at, 7, app.admin_token());
  cloudretail::fuzz::AppFixture::require_no_500(input, app.answer(input));
  return 0;
}
