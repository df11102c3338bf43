#pragma once
/// One RFC 3986 percent-encoder for URL paths, path segments and query values
/// (peer calls, signed media URLs, S3 pre-signing, the fuzzers).
#include <string>
#include <string_view>

namespace cloudretail {

/// Percent-encodes everything but the unreserved characters (A-Z a-z 0-9 - _ . ~),
/// as upper-case hex; with keep_slash, '/' is left as is (a whole URL path).
std::string percent_encode(std::string_view s, bool keep_slash = false);

}  // namespace cloudretail
