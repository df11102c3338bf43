#pragma once
/// Money is an int64 count of minor units (cents) beside a currency code. Never a
/// double after parsing: 2 x 29.99 + 49.99 must be 109.97 exactly.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace cloudretail {

/// Parses a JSON number with at most two decimals into minor units.
/// Returns nullopt for non-numbers, more than two decimals, or values beyond 1e13.
std::optional<int64_t> money_from_json(const boost::json::value& v);

/// Writes minor units as the shortest decimal with at most two places:
/// 10997 -> "109.97", 1050 -> "10.5", 3000 -> "30", -5 -> "-0.05".
std::string format_money(int64_t minor);

/// True for three upper-case ASCII letters (ISO 4217 shape).
bool is_currency_code(std::string_view s);

}  // namespace cloudretail
