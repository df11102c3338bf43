#include "http/list_params.hpp"

#include <charconv>

namespace cloudretail::http {

Error invalid_list_limit() {
  return bad_request("limit must be an integer between 1 and 100", "InvalidParameterException");
}

Error invalid_next_token() { return bad_request("Invalid nextToken", "InvalidParameterException"); }

Result<int> list_limit(const Request& req) {
  auto text = req.query_param("limit");
  if (!text || text->empty()) return kDefaultListLimit;
  int limit = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
  if (ec != std::errc() || ptr != text->data() + text->size() || limit < 1 || limit > kMaxListLimit)
    return invalid_list_limit();
  return limit;
}

}  // namespace cloudretail::http
