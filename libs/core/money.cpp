#include "core/money.hpp"

#include <cmath>

namespace cloudretail {

namespace {
constexpr double kMaxMinorUnits = 1e13;  // far beyond any price, well inside int64 and double precision
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
  double d = v.get_double();
  if (!std::isfinite(d)) return std::nullopt;
  double scaled = d * 100.0;
  if (std::abs(scaled) > kMaxMinorUnits) return std::nullopt;
  double rounded = std::round(scaled);
  // 29.99 * 100 is 2998.9999999999995: accept that, refuse 29.999 (2999.9).
  if (std::abs(scaled - rounded) > 1e-6 * std::max(1.0, std::abs(scaled))) return std::nullopt;
  return static_cast<int64_t>(rounded);
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
