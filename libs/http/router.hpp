#pragma once
/// A small router: literal segments, `{name}` parameters and a trailing `{name+}`
/// that takes the rest of the path. Each route's guard comes from route_guards.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "http/request.hpp"
#include "http/route_guards.hpp"

namespace cloudretail::http {

/// A route's handler: the answer, or an Error the server turns into its JSON error
/// answer (Response::from_error), so handlers can `return result.error();`.
using Handler = std::function<Result<Response>(Request&)>;
/// A fast path for a blocking route: runs on the I/O thread and answers when it can
/// without blocking (a cache hit), or returns nullopt to hand the request to `Handler`
/// on the worker pool.
using InlineHandler = std::function<std::optional<Response>(Request&)>;

struct RouteOptions {
  /// Blocking handlers (database, peers) run on the worker pool; others on the
  /// I/O thread that read the request.
  bool blocking = true;
  /// Optional, for blocking routes: tried first on the I/O thread.
  InlineHandler try_inline = {};
};

struct Route {
  Method method;
  std::string pattern;
  Guard guard;
  Handler handler;
  RouteOptions options;
  size_t index = 0;  // position in the router, used for per-route metrics

  struct Segment {
    std::string text;  // literal text or parameter name
    enum Kind { kLiteral, kParam, kRest } kind;
  };
  std::vector<Segment> segments;
};

class Router {
 public:
  /// Throws std::logic_error when the guard table has no row for the route.
  void add(Method method, std::string pattern, Handler handler, RouteOptions options = {});

  struct Match {
    const Route* route = nullptr;
    bool path_known = false;  // some route has this path with another method (405)
    std::string allow;        // methods allowed on the path, for 405 and preflight
  };
  /// Fills `params` for the matched route.
  Match match(Method method, std::string_view path,
              std::vector<std::pair<std::string_view, std::string>>& params) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
};

/// Percent-decodes one path segment or query value ('+' kept literally).
std::string percent_decode(std::string_view s);

}  // namespace cloudretail::http
