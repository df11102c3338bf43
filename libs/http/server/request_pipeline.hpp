#pragma once
/// Internal to the HTTP server (libs/http/server*): what happens to one parsed
/// request between the socket and the answer, shared by Session and
/// Server::answer_bytes (the in-process path the fuzzer drives). No socket here.
#include <spdlog/logger.h>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/metrics.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace cloudretail::http {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;

/// What the server decided about a parsed request before any handler runs.
struct Admission {
  std::optional<Response> early;  // answer without a handler (404, 405, 401, preflight, framing)
  bool close = false;             // framing refused: answer, then stop reading this connection
  const Route* route = nullptr;
  int route_index = -1;
};

/// The answer to a request Beast could not parse (413, 431, else 400).
Response parse_error_response(const boost::beast::error_code& ec);

class RequestPipeline {
 public:
  RequestPipeline(const ServerOptions& options, Router& router, Metrics& metrics, Authenticator* authenticator);

  /// Fills `req` from the message (headers, body, request id, path, query, params,
  /// principal) and decides: an early answer, or the route to run.
  Admission admit(WireRequest& msg, Request& req, const std::string& remote_ip);
  /// Runs the route's handler and answers its Error with Response::from_error; the one
  /// catch-all: a throw is logged and answers 500
  /// (503 for an unavailable database) without internals.
  Response invoke(const Route& route, Request& req, std::string_view method);
  /// The route's fast path; nullopt (go to the pool) also when it throws.
  std::optional<Response> try_inline(const Route& route, Request& req, std::string_view method);
  /// The response's bytes, status line to body, written by hand (one buffer, no field
  /// container or serializer per request); a HEAD answer keeps the Content-Length and
  /// drops the body.
  std::string to_wire(const Response& resp, const Request& req, bool head, bool keep) const;
  /// Metrics and the access log line, once per answered request.
  void finish(const Request& req, int route_index, int status, int64_t micros, std::string_view method);
  /// A new request id: a random per-process prefix and a counter.
  std::string next_request_id();

  /// See Server::answer_bytes.
  std::string answer_bytes(std::string_view bytes);

 private:
  /// Routing, CORS preflight and guards; an early response, or the route to run.
  std::optional<Response> route(Request& req, std::string_view target, const Route*& route, int& route_index);

  const ServerOptions& options_;
  Router& router_;
  Metrics& metrics_;
  Authenticator* authenticator_;
  const std::string id_prefix_;
  std::atomic<uint64_t> id_counter_{1};
  /// The "access" logger (pattern "%v": lines are pure JSON) when main made one.
  std::shared_ptr<spdlog::logger> access_log_;
};

}  // namespace cloudretail::http
