#pragma once
/// Who may call what: the one table, read by the router when a service registers
/// a route. A route missing from the table is refused at start (deny by default).
#include <optional>
#include <string_view>

#include "http/request.hpp"

namespace cloudretail::http {

enum class Guard {
  kPublic,    // anyone
  kUser,      // a valid access token; ownership is checked by the handler
  kAdmin,     // an access token in group `admin`
  kInternal,  // an admin token, or X-Service-Token equal to SERVICE_TOKEN
};

std::string_view guard_name(Guard g);

/// The guard for a route pattern such as "/products/{id}"; nullopt when the table
/// has no row for it.
std::optional<Guard> guard_for(Method method, std::string_view pattern);

}  // namespace cloudretail::http
