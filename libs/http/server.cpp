// The server's parts: Listener (accepts), Session (one per connection),
// RequestPipeline (what happens to a parsed request) and Connections (the open
// ones, for the limit and for shutdown), all in server/. Server::Impl owns them
// with the io_context, the worker pool and the signal set.
#include "http/server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "http/server/connections.hpp"
#include "http/server/listener.hpp"
#include "http/server/request_pipeline.hpp"
#include "http/server/session.hpp"

namespace cloudretail::http {

namespace net = boost::asio;

namespace {

/// A request that never finishes must not keep a stopping process alive for ever.
constexpr auto kShutdownDeadline = std::chrono::seconds(20);

int io_thread_count(const ServerOptions& options) {
  return options.io_threads > 0 ? options.io_threads
                                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

uint64_t raise_open_file_limit() {
  struct rlimit limit {};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  rlim_t wanted = limit.rlim_max;
  if (wanted == RLIM_INFINITY) wanted = 1048576;  // NOFILE cannot be unlimited; the kernel's usual nr_open
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= wanted) return limit.rlim_cur;
  rlim_t before = limit.rlim_cur;
  limit.rlim_cur = wanted;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) return before;
  return wanted;
}

class Server::Impl {
 public:
  Impl(ServerOptions options, Router& router, Metrics& metrics, Authenticator* authenticator)
      : options_(std::move(options)),
        pipeline_(options_, router, metrics, authenticator),
        ioc_(io_thread_count(options_)),
        pool_(static_cast<size_t>(std::max(1, options_.worker_threads))),
        sessions_{options_, pipeline_, pool_, connections_},
        listener_(ioc_, sessions_),
        signals_(net::make_strand(ioc_), SIGINT, SIGTERM) {}

  uint16_t listen() { return listener_.listen(); }

  void run() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
      if (ec) return;  // cancelled: stop() came first
      spdlog::info("signal {} received: finishing in-flight requests", signo);
      begin_shutdown();
    });
    listener_.start();
    std::vector<std::thread> threads;
    for (int i = 1; i < io_thread_count(options_); ++i) threads.emplace_back([this] { ioc_.run(); });
    // Returns once every session, the listener and the signal wait are done (or the
    // shutdown deadline stopped the io_context).
    ioc_.run();
    for (auto& t : threads) t.join();
    if (deadline_.joinable()) deadline_.join();
    pool_.join();
  }

  void stop() {
    net::post(signals_.get_executor(), [this] { begin_shutdown(); });
  }

  std::string answer_bytes(std::string_view bytes) { return pipeline_.answer_bytes(bytes); }

 private:
  /// On the signal set's strand, once: stop accepting, let idle connections go and
  /// busy ones finish their request; the io_context then runs out of work.
  void begin_shutdown() {
    if (shutting_down_) return;
    shutting_down_ = true;
    listener_.stop();
    boost::system::error_code ec;
    signals_.cancel(ec);
    for (auto& session : connections_.begin_closing()) session->close_if_idle();
    deadline_ = std::thread([this] {
      if (connections_.wait_until_empty(kShutdownDeadline)) return;
      spdlog::warn("shutdown deadline reached: stopping with requests in flight");
      ioc_.stop();
    });
  }

  ServerOptions options_;
  // Declared before the io_context: its destructor destroys pending handlers, and
  // with them sessions, which leave `connections_` as they go.
  Connections connections_;
  RequestPipeline pipeline_;
  net::io_context ioc_;
  net::thread_pool pool_;
  SessionContext sessions_;
  Listener listener_;
  net::signal_set signals_;
  bool shutting_down_ = false;  // only on the signal set's strand
  std::thread deadline_;        // started by begin_shutdown, joined by run()
};

Server::Server(ServerOptions options, Router& router, Metrics& metrics, Authenticator* authenticator)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, authenticator)) {
  std::vector<std::string> labels;
  for (const auto& r : router.routes()) labels.push_back(std::string(method_name(r->method)) + " " + r->pattern);
  metrics.set_routes(std::move(labels));
}

Server::~Server() = default;

uint16_t Server::listen() { return impl_->listen(); }
void Server::run() { impl_->run(); }
void Server::stop() { impl_->stop(); }
std::string Server::answer_bytes(std::string_view bytes) { return impl_->answer_bytes(bytes); }

}  // namespace cloudretail::http
