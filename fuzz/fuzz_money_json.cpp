// The exact JSON reader and the money and id rules, checked for properties:
//  - parse_json_exact accepts exactly the documents Boost.JSON accepts;
//  - a bare number is money exactly when its text is a whole number of cents (in range);
//  - every accepted amount writes (format_money) and reads back as itself.
#include <boost/json.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/ids.hpp"
#include "core/json_read.hpp"
#include "core/money.hpp"

using namespace cloudretail;

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "property failed: %s\n", what);
    std::abort();
  }
}

void check_money(const boost::json::value& v) {
  auto minor = money_from_json(v);
  if (!minor) return;
  boost::system::error_code ec;
  auto again = parse_json_exact(format_money(*minor), ec);
  check(!ec && money_from_json(again) == minor, "format_money then parse gives the same amount");
}

void walk(const boost::json::value& v, int depth) {
  if (depth > 64) return;
  if (v.is_number()) check_money(v);
  if (v.is_array())
    for (const auto& e : v.get_array()) walk(e, depth + 1);
  if (v.is_object()) {
    const auto& o = v.get_object();
    for (const auto& kv : o) {
      walk(kv.value(), depth + 1);
      (void)json_int(o, kv.key());
      (void)json_string(o, kv.key());
      (void)is_valid_product_id(kv.key());
    }
  }
}

bool is_bare_number(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  boost::system::error_code exact_ec, boost_ec;
  auto v = parse_json_exact(text, exact_ec);
  (void)boost::json::parse(text, boost_ec);
  check(!exact_ec == !boost_ec, "the exact reader accepts what Boost.JSON accepts");
  (void)parse_json_object(text);
  (void)is_valid_product_id(text);
  (void)is_currency_code(text);
  if (exact_ec) return 0;
  walk(v, 0);
  if (is_bare_number(text) && v.is_double()) {
    bool whole = detail::decimal_text_is_whole_cents(text);
    auto minor = money_from_json(v);
    if (minor) check(whole, "only a whole number of cents is money");
    if (whole && std::abs(v.get_double()) < 1e10) check(minor.has_value(), "a whole number of cents in range is money");
  }
  return 0;
}
