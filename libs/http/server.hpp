#pragma once
/// The HTTP/1.1 server: Beast sessions on an io_context run by one thread per
/// core, blocking handlers on a worker pool, graceful shutdown on SIGTERM/SIGINT.
/// Everything the contract says about the wire lives here and in router/metrics:
/// body limit (413), timeouts, API_BASE_PATH, CORS, X-Request-Id, 404/405 bodies,
/// guards, and the catch-all that answers 500 without internals.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace cloudretail::http {

/// Checks a request against its route's guard; implemented by libs/auth.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual Result<Principal> authenticate(Guard guard, const Request& request) = 0;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  int io_threads = 0;      // 0 = hardware concurrency
  int worker_threads = 8;  // for blocking handlers
  std::string api_base_path;
  std::string cors_allow_origin = "*";
  std::chrono::milliseconds idle_timeout{30000};  // keep-alive idle and whole-request read
  size_t body_limit = 1024 * 1024;
  size_t header_limit = 16 * 1024;
  /// Connections open at once; beyond it a new one is closed as soon as it is accepted.
  int max_connections = 10000;
};

/// Raises this process's soft open-file limit to its hard limit (each connection is
/// a descriptor); returns the limit now in force.
uint64_t raise_open_file_limit();

class Server {
 public:
  Server(ServerOptions options, Router& router, Metrics& metrics, Authenticator* authenticator);
  ~Server();

  /// Binds and listens; returns the bound port (useful with port 0).
  uint16_t listen();
  /// Serves until SIGTERM/SIGINT or stop(); in-flight requests finish first.
  void run();
  /// Starts a graceful shutdown from any thread.
  void stop();

  /// In process, no socket: what the server answers to `bytes` arriving on one
  /// connection (parser settings, framing checks, routing, guards, HEAD, handlers run
  /// inline), as response bytes. For the fuzzer of the request path and its tests.
  std::string answer_bytes(std::string_view bytes);

 private:
  class Impl;  // server.cpp; its parts (listener, session, pipeline) are in server/
  std::unique_ptr<Impl> impl_;
};

}  // namespace cloudretail::http
