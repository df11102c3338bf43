#pragma once
/// The contract's one list rule, shared by GET /products, /orders, /admin/orders and
/// /inventory: `limit` defaults to 50 and must be an integer 1..100, anything else
/// is 400 InvalidParameterException; a cursor that does not decode is 400 too.
#include "core/result.hpp"
#include "http/request.hpp"

namespace cloudretail::http {

inline constexpr int kDefaultListLimit = 50;
inline constexpr int kMaxListLimit = 100;

/// `limit` from the query: absent or empty gives the default.
Result<int> list_limit(const Request& req);
/// The 400 for a limit outside the rule (also for callers that check it themselves).
Error invalid_list_limit();
/// The 400 for a nextToken that does not decode (forged, truncated, tampered).
Error invalid_next_token();

}  // namespace cloudretail::http
