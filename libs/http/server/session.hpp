#pragma once
/// Internal to the HTTP server: one connection (as in Beast's http_server_async).
/// Reads a request under the body, header and idle limits, answers it (on the I/O
/// thread when the route does not block or its fast path has the answer, else on
/// the worker pool and back on this connection's strand), writes, and reads the
/// next. A request refused mid-body gets its answer and a lingering close.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http/server/connections.hpp"
#include "http/server/request_pipeline.hpp"

namespace cloudretail::http {

/// What every session of one server shares.
struct SessionContext {
  const ServerOptions& options;  // body_limit, header_limit, idle_timeout
  RequestPipeline& pipeline;
  boost::asio::thread_pool& pool;  // blocking handlers
  Connections& connections;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket&& socket, SessionContext& context);
  ~Session();

  void start();
  /// On shutdown: close now if waiting for a request, else after the response.
  void close_if_idle();

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t);
  /// Answers, then closes after draining what the client is still sending (a refused
  /// body, or bytes after a request whose framing we refused, are never parsed).
  void send_and_close(Response resp);
  void send(Response resp, int route_index);
  void lingering_close();
  void drain_once();
  void close();

  boost::beast::tcp_stream stream_;
  SessionContext& context_;
  // Apart from context_: a session may be destroyed with the io_context, after the
  // server's SessionContext is gone; the Connections outlive the io_context.
  Connections& connections_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::unique_ptr<Request> request_;
  std::string method_;
  std::string remote_ip_;
  bool keep_alive_ = true;
  bool head_ = false;
  bool busy_ = false;
  bool drain_before_close_ = false;
  size_t drained_ = 0;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace cloudretail::http
