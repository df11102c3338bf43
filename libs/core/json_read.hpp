#pragma once
/// Helpers for reading request bodies: parse once, then pull typed fields.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace cloudretail {

/// Parses a request body that must be a JSON object; else 400 "Invalid JSON body".
/// An empty body parses as an empty object.
Result<boost::json::object> parse_json_object(std::string_view body);

/// Field readers: nullopt when absent or of another type.
std::optional<std::string> json_string(const boost::json::object& o, std::string_view key);
std::optional<int64_t> json_int(const boost::json::object& o, std::string_view key);

}  // namespace cloudretail
