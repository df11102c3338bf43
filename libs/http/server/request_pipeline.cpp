#include "http/server/request_pipeline.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/url/parse.hpp>

#include <sstream>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/json_writer.hpp"
#include "db/database.hpp"

namespace cloudretail::http {

namespace beast = boost::beast;
namespace bhttp = beast::http;

namespace {

constexpr std::string_view kAllowHeaders =
    "Authorization, Content-Type, Idempotency-Key, X-Request-Id, X-Service-Token";

/// The contract's X-Request-Id: 1-128 characters of [A-Za-z0-9._:-]; anything else
/// is replaced by a new id (it is echoed into headers, JSON bodies and logs).
bool is_acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
          c == ':' || c == '-'))
      return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Only a lone `Transfer-Encoding: chunked` frames a body that Beast and every proxy
/// agree on. Beast takes any other coding list (`xchunked`, `chunked, identity`) as
/// no body at all, and the body bytes would then be read as the next request.
bool transfer_encoding_is_acceptable(const WireRequest& msg) {
  int count = 0;
  bool chunked = true;
  for (const auto& field : msg) {
    if (field.name() != bhttp::field::transfer_encoding) continue;
    ++count;
    chunked = chunked && beast::iequals(trim(std::string_view(field.value().data(), field.value().size())), "chunked");
  }
  return count == 0 || (count == 1 && chunked);
}

Response error_response(int status, std::string_view message, std::string_view name) {
  JsonWriter w;
  w.begin_object().field("message", message).field("error", name).end_object();
  return Response::json(status, w.take());
}

}  // namespace

Response parse_error_response(const beast::error_code& ec) {
  if (ec == bhttp::error::body_limit) return error_response(413, "Request body too large", "PayloadTooLarge");
  if (ec == bhttp::error::header_limit) return error_response(431, "Request headers too large", "HeadersTooLarge");
  return error_response(400, "Bad request", "BadRequest");
}

RequestPipeline::RequestPipeline(const ServerOptions& options, Router& router, Metrics& metrics,
                                 Authenticator* authenticator)
    : options_(options),
      router_(router),
      metrics_(metrics),
      authenticator_(authenticator),
      id_prefix_(crypto::to_hex(crypto::random_bytes(6))),
      access_log_(spdlog::get("access") ? spdlog::get("access") : spdlog::default_logger()) {}

std::string RequestPipeline::next_request_id() {
  return id_prefix_ + "-" + std::to_string(id_counter_.fetch_add(1, std::memory_order_relaxed));
}

Admission RequestPipeline::admit(WireRequest& msg, Request& req, const std::string& remote_ip) {
  Admission a;
  req.method = parse_method(std::string_view(msg.method_string().data(), msg.method_string().size()));
  req.remote_ip = remote_ip;
  for (const auto& field : msg)
    req.headers.emplace_back(std::string_view(field.name_string().data(), field.name_string().size()),
                             std::string_view(field.value().data(), field.value().size()));
  auto incoming_id = req.header("X-Request-Id");
  req.request_id = is_acceptable_request_id(incoming_id) ? std::string(incoming_id) : next_request_id();
  if (!transfer_encoding_is_acceptable(msg)) {
    a.early = error_response(501, "Transfer-Encoding not supported (only chunked)", "NotImplemented");
    a.close = true;
    return a;
  }
  req.body = std::move(msg.body());
  a.early = route(req, std::string_view(msg.target().data(), msg.target().size()), a.route, a.route_index);
  return a;
}

std::optional<Response> RequestPipeline::route(Request& req, std::string_view target, const Route*& route,
                                               int& route_index) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return Response::from_error(bad_request("Invalid request target", "BadRequest"));
  std::string_view path(parsed->encoded_path().data(), parsed->encoded_path().size());
  const std::string& base = options_.api_base_path;
  if (!base.empty()) {
    if (path.substr(0, base.size()) != base || (path.size() > base.size() && path[base.size()] != '/'))
      return Response::message(404, "Not found");
    path.remove_prefix(base.size());
    if (path.empty()) path = "/";
  }
  req.path = std::string(path);
  for (auto param : parsed->params()) req.query.emplace_back(std::string(param.key), std::string(param.value));

  if (req.method == Method::kOptions) {
    std::vector<std::pair<std::string_view, std::string>> ignored;
    auto m = router_.match(Method::kOptions, req.path, ignored);
    if (!m.path_known) return Response::message(404, "Not found");
    Response r;
    r.status = 204;
    r.content_type.clear();
    r.headers.emplace_back("Access-Control-Allow-Methods", m.allow + ", OPTIONS");
    r.headers.emplace_back("Access-Control-Allow-Headers", std::string(kAllowHeaders));
    r.headers.emplace_back("Access-Control-Max-Age", "600");
    return r;
  }

  auto m = router_.match(req.method, req.path, req.params);
  if (!m.route) {
    if (m.path_known) {
      Response r =
          Response::from_error(make_error(ErrorCode::kMethodNotAllowed, "Method not allowed", "MethodNotAllowed"));
      r.headers.emplace_back("Allow", m.allow);
      return r;
    }
    return Response::message(404, "Not found");
  }
  route = m.route;
  route_index = static_cast<int>(route->index);
  if (route->guard != Guard::kPublic) {
    if (!authenticator_) return Response::from_error(unauthorized());
    auto principal = authenticator_->authenticate(route->guard, req);
    if (!principal) return Response::from_error(principal.error());
    req.principal = std::move(principal.value());
  }
  return std::nullopt;
}

Response RequestPipeline::invoke(const Route& route, Request& req, std::string_view method) {
  try {
    auto answer = route.handler(req);
    if (!answer) return Response::from_error(answer.error());
    return std::move(answer).value();
  } catch (const db::DbError& e) {
    if (e.kind == db::DbError::Kind::kUnavailable) {
      spdlog::warn("database unavailable on {} {}: {}", method, route.pattern, e.what());
      return Response::from_error(unavailable("Database unavailable"));
    }
    spdlog::error("database error on {} {}: {}", method, route.pattern, e.what());
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception on {} {}: {}", method, route.pattern, e.what());
  } catch (...) {
    spdlog::error("unhandled non-standard exception on {} {}", method, route.pattern);
  }
  return Response::from_error(internal_error());
}

std::optional<Response> RequestPipeline::try_inline(const Route& route, Request& req, std::string_view method) {
  try {
    return route.options.try_inline(req);
  } catch (const std::exception& e) {
    spdlog::warn("fast path of {} {} failed, using the pool: {}", method, route.pattern, e.what());
  } catch (...) {
    spdlog::warn("fast path of {} {} failed, using the pool", method, route.pattern);
  }
  return std::nullopt;
}

namespace {

void add_field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  // A line break would start a header of its own: never let a value carry one.
  for (char c : value) out += (c == '\r' || c == '\n') ? ' ' : c;
  out += "\r\n";
}

}  // namespace

std::string RequestPipeline::to_wire(const Response& resp, const Request& req, bool head, bool keep) const {
  // A header the handler sets replaces the server's own (and a later one an earlier one).
  auto handler_sets = [&](std::string_view name) {
    for (const auto& [k, v] : resp.headers)
      if (beast::iequals(k, name)) return true;
    return false;
  };
  const auto status = static_cast<unsigned>(resp.status);
  std::string out;
  out.reserve(320 + (head ? 0 : resp.body.size()));
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  out += "\r\n";
  if (!resp.content_type.empty() && !handler_sets("Content-Type")) add_field(out, "Content-Type", resp.content_type);
  if (!handler_sets("X-Request-Id")) add_field(out, "X-Request-Id", req.request_id);
  if (!handler_sets("Access-Control-Allow-Origin"))
    add_field(out, "Access-Control-Allow-Origin", options_.cors_allow_origin);
  if (!handler_sets("Access-Control-Expose-Headers"))
    add_field(out, "Access-Control-Expose-Headers", "X-Request-Id, Retry-After");
  for (size_t i = 0; i < resp.headers.size(); ++i) {
    const auto& [name, value] = resp.headers[i];
    bool replaced_later = false;
    for (size_t j = i + 1; j < resp.headers.size() && !replaced_later; ++j)
      replaced_later = beast::iequals(resp.headers[j].first, name);
    if (!replaced_later) add_field(out, name, value);
  }
  if (!keep) add_field(out, "Connection", "close");
  // 1xx, 204 and 304 carry no body and no length; every other answer says its length
  // (a HEAD answer the length GET would send).
  if (status >= 200 && status != 204 && status != 304)
    add_field(out, "Content-Length", std::to_string(resp.body.size()));
  out += "\r\n";
  if (!head) out += resp.body;
  return out;
}

void RequestPipeline::finish(const Request& req, int route_index, int status, int64_t micros, std::string_view method) {
  metrics_.observe(route_index, status, micros);
  // One JSON object per line, built only when the access log is on.
  if (access_log_->should_log(spdlog::level::info)) {
    std::string_view route = route_index >= 0
                                 ? std::string_view(router_.routes()[static_cast<size_t>(route_index)]->pattern)
                                 : std::string_view("unmatched");
    access_log_->info(R"({{"ts":"{}","method":"{}","route":"{}","status":{},"us":{},"requestId":{}}})",
                      format_timestamp(SystemClock().now_ms()), method, route, status, micros,
                      json_quote(req.request_id));
  }
}

std::string RequestPipeline::answer_bytes(std::string_view bytes) {
  std::string out;
  bool keep = true;
  while (keep && !bytes.empty()) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(options_.body_limit);
    parser.header_limit(static_cast<std::uint32_t>(options_.header_limit));
    parser.eager(true);
    beast::error_code ec;
    while (!parser.is_done()) {
      size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
      bytes.remove_prefix(used);
      if (ec == bhttp::error::need_more && used > 0) continue;
      break;
    }
    if (ec == bhttp::error::need_more) break;  // the connection ends mid-request: no answer, as in a session
    Request req;
    Response resp;
    Admission admission;
    bool head = false;
    std::string method;
    if (ec) {
      resp = parse_error_response(ec);
      req.request_id = next_request_id();
      keep = false;
    } else {
      auto& msg = parser.get();
      keep = msg.keep_alive();
      head = msg.method() == bhttp::verb::head;
      method = std::string(msg.method_string());
      admission = admit(msg, req, "127.0.0.1");
      if (admission.close) keep = false;
      if (admission.early) {
        resp = std::move(*admission.early);
      } else {
        std::optional<Response> fast;
        if (admission.route->options.try_inline) fast = try_inline(*admission.route, req, method);
        resp = fast ? std::move(*fast) : invoke(*admission.route, req, method);
      }
    }
    finish(req, admission.route_index, resp.status, 0, method);
    out += to_wire(resp, req, head, keep);
  }
  return out;
}

}  // namespace cloudretail::http
