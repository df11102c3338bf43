#pragma once
/// Internal to the HTTP server: accepts connections and starts a Session for each
/// (as in Beast's http_server_async). Beyond MAX_CONNECTIONS a new connection is
/// closed as soon as it is accepted; when the process is out of descriptors (or
/// memory) accepting pauses briefly instead of spinning on the same error.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/server/session.hpp"

namespace cloudretail::http {

/// Logs a repeating condition at most once a second, with how often it happened.
class ThrottledLog {
 public:
  void warn(std::string_view what);

 private:
  uint64_t count_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

class Listener {
 public:
  Listener(boost::asio::io_context& ioc, SessionContext& sessions);

  /// Binds and listens on options.host:options.port; returns the bound port.
  uint16_t listen();
  /// Accepts until stop().
  void start();
  /// Closes the listening socket; from any thread.
  void stop();

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  SessionContext& sessions_;
  // The acceptor, the pause timer and the logs are touched only on this strand
  // (one accept is outstanding at a time; stop() is dispatched to it).
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_pause_;
  bool stopped_ = false;
  ThrottledLog accept_log_;
  ThrottledLog limit_log_;
};

}  // namespace cloudretail::http
