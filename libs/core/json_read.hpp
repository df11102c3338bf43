#pragma once
/// Helpers for reading request bodies: parse once, then pull typed fields.
#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace cloudretail {

/// Parses JSON text like boost::json::parse, but reads every fractional number from
/// its text exactly: the double is the nearest one to the written decimal (Boost 1.81
/// may be an ulp off), and a number whose text is not a whole count of cents never
/// lands on the double of one (`29.9900000000000000001` is not 29.99). That is what
/// lets money_from_json refuse 29.999 or 10000.555 instead of rounding them.
boost::json::value parse_json_exact(std::string_view text, boost::system::error_code& ec);

/// Parses a request body that must be a JSON object; else 400 "Invalid JSON body".
/// An empty body parses as an empty object.
Result<boost::json::object> parse_json_object(std::string_view body);

/// Field readers: nullopt when absent or of another type.
std::optional<std::string> json_string(const boost::json::object& o, std::string_view key);
std::optional<int64_t> json_int(const boost::json::object& o, std::string_view key);

namespace detail {
/// True when the decimal text of a JSON number is a whole multiple of 0.01.
bool decimal_text_is_whole_cents(std::string_view text);
}  // namespace detail

}  // namespace cloudretail
