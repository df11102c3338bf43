#pragma once
/// One HTML escaper for every page and email the shop writes.
#include <string>
#include <string_view>

namespace cloudretail {

/// Escapes & < > " ' so the result is safe as HTML text and as a quoted attribute value.
std::string html_escape(std::string_view s);

}  // namespace cloudretail
