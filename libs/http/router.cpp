#include "http/router.hpp"

#include <stdexcept>

namespace cloudretail::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  if (!path.empty() && path[0] == '/') i = 1;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool match_route(const Route& route, const std::vector<std::string_view>& parts, std::string_view path,
                 std::vector<std::pair<std::string_view, std::string>>* params) {
  const auto& segs = route.segments;
  for (size_t i = 0; i < segs.size(); ++i) {
    const auto& seg = segs[i];
    if (seg.kind == Route::Segment::kRest) {
      if (i >= parts.size() || parts[i].empty()) return false;
      if (params) {
        // The rest of the path from this segment on, slashes included.
        size_t offset = static_cast<size_t>(parts[i].data() - path.data());
        params->emplace_back(seg.text, percent_decode(path.substr(offset)));
      }
      return true;
    }
    if (i >= parts.size()) return false;
    if (seg.kind == Route::Segment::kLiteral) {
      if (parts[i] != seg.text) return false;
    } else {
      if (parts[i].empty()) return false;
      if (params) params->emplace_back(seg.text, percent_decode(parts[i]));
    }
  }
  return parts.size() == segs.size();
}

}  // namespace

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

void Router::add(Method method, std::string pattern, Handler handler, RouteOptions options) {
  auto guard = guard_for(method, pattern);
  if (!guard)
    throw std::logic_error("route " + std::string(method_name(method)) + " " + pattern +
                           " has no row in the guard table");
  auto route = std::make_unique<Route>();
  route->method = method;
  route->pattern = pattern;
  route->guard = *guard;
  route->handler = std::move(handler);
  route->options = options;
  route->index = routes_.size();
  for (auto part : split_path(pattern)) {
    Route::Segment seg;
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      auto name = part.substr(1, part.size() - 2);
      if (!name.empty() && name.back() == '+') {
        seg.kind = Route::Segment::kRest;
        name.remove_suffix(1);
      } else {
        seg.kind = Route::Segment::kParam;
      }
      seg.text = std::string(name);
    } else {
      seg.kind = Route::Segment::kLiteral;
      seg.text = std::string(part);
    }
    route->segments.push_back(std::move(seg));
  }
  routes_.push_back(std::move(route));
}

Router::Match Router::match(Method method, std::string_view path,
                            std::vector<std::pair<std::string_view, std::string>>& params) const {
  Match m;
  auto parts = split_path(path);
  for (const auto& route : routes_) {
    if (route->method == method) {
      if (match_route(*route, parts, path, &params)) {
        m.route = route.get();
        return m;
      }
      params.clear();
    }
  }
  // HEAD is answered like GET, without the body (the server drops it).
  // A 405 then names what GET's would, which lists HEAD wherever GET is allowed.
  if (method == Method::kHead) return match(Method::kGet, path, params);
  // No route for this method: is the path known under another one?
  for (const auto& route : routes_) {
    if (match_route(*route, parts, path, nullptr)) {
      m.path_known = true;
      if (!m.allow.empty()) m.allow += ", ";
      m.allow += method_name(route->method);
      if (route->method == Method::kGet) m.allow += ", HEAD";
    }
  }
  return m;
}

}  // namespace cloudretail::http
