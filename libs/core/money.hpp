#pragma once
/// Money is an int64 count of minor units (cents) beside a currency code. Never a
/// double after parsing: 2 x 29.99 + 49.99 must be 109.97 exactly.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace cloudretail {

/// Reads a JSON number with at most two decimals as minor units, exactly: a double
/// counts only when it is the nearest double to a whole number of cents, so with
/// values from parse_json_exact (core/json_read.hpp) `29.999`, `10000.555`,
/// `29.990001` and `1e-3` are all refused, never rounded. Also nullopt for
/// non-numbers and beyond 1e13 minor units.
std::optional<int64_t> money_from_json(const boost::json::value& v);

/// The same rule for one double: the cents it is exactly the double of, if any.
std::optional<int64_t> money_from_double(double d);

/// Writes minor units as the shortest decimal with at most two places:
/// 10997 -> "109.97", 1050 -> "10.5", 3000 -> "30", -5 -> "-0.05".
std::string format_money(int64_t minor);

/// True for three upper-case ASCII letters (ISO 4217 shape).
bool is_currency_code(std::string_view s);

}  // namespace cloudretail
