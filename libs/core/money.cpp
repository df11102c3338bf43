#include "core/money.hpp"

#include <cmath>

namespace cloudretail {

namespace {
constexpr double kMaxMinorUnits = 1e13;  // far beyond any price, well inside int64 and double precision
}

std::optional<int64_t> money_from_double(double d) {
  if (!std::isfinite(d) || std::abs(d) * 100 > kMaxMinorUnits) return std::nullopt;
  // k / 100.0 is correctly rounded, so it is exactly the double nearest to the
  // decimal k/100: the double a correct parser makes of "29.99" and of nothing else
  // with at most two decimals.
  auto k = static_cast<int64_t>(std::llround(d * 100.0));
  if (static_cast<double>(k) / 100.0 != d) return std::nullopt;
  return k;
}

std::optional<int64_t> money_from_json(const boost::json::value& v) {
  if (v.is_int64()) {
    auto n = v.get_int64();
    if (std::abs(static_cast<double>(n)) * 100 > kMaxMinorUnits) return std::nullopt;
    return n * 100;
  }
  if (v.is_uint64()) {
    auto n = v.get_uint64();
    if (static_cast<double>(n) * 100 > kMaxMinorUnits) return std::nullopt;
    return static_cast<int64_t>(n) * 100;
  }
  if (!v.is_double()) return std::nullopt;
  return money_from_double(v.get_double());
}

std::string format_money(int64_t minor) {
  std::string out;
  uint64_t abs = minor < 0 ? static_cast<uint64_t>(-(minor + 1)) + 1 : static_cast<uint64_t>(minor);
  if (minor < 0) out.push_back('-');
  out += std::to_string(abs / 100);
  unsigned cents = static_cast<unsigned>(abs % 100);
  if (cents != 0) {
    out.push_back('.');
    out.push_back(static_cast<char>('0' + cents / 10));
    if (cents % 10 != 0) out.push_back(static_cast<char>('0' + cents % 10));
  }
  return out;
}

bool is_currency_code(std::string_view s) {
  if (s.size() != 3) return false;
  for (char c : s)
    if (c < 'A' || c > 'Z') return false;
  return true;
}

}  // namespace cloudretail
