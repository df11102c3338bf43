#include "http/server/listener.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include <cerrno>

namespace cloudretail::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

/// Accept failures that mean "no descriptor (or memory) for a new socket right now":
/// retrying at once only spins, so accepting pauses briefly.
bool is_resource_exhaustion(const beast::error_code& ec) {
  return ec == net::error::no_descriptors || ec == net::error::no_buffer_space || ec == net::error::no_memory ||
         ec.value() == ENFILE;
}

constexpr auto kExhaustionPause = std::chrono::milliseconds(100);

}  // namespace

void ThrottledLog::warn(std::string_view what) {
  ++count_;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::seconds(1)) return;
  spdlog::warn("{} ({} time(s) since the last such line)", what, count_);
  count_ = 0;
  last_ = now;
}

Listener::Listener(net::io_context& ioc, SessionContext& sessions)
    : ioc_(ioc), sessions_(sessions), acceptor_(net::make_strand(ioc)), accept_pause_(acceptor_.get_executor()) {}

uint16_t Listener::listen() {
  auto address = net::ip::make_address(sessions_.options.host);
  tcp::endpoint endpoint(address, static_cast<unsigned short>(sessions_.options.port));
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
  return acceptor_.local_endpoint().port();
}

void Listener::start() {
  net::dispatch(acceptor_.get_executor(), [this] { do_accept(); });
}

void Listener::stop() {
  net::dispatch(acceptor_.get_executor(), [this] {
    stopped_ = true;
    beast::error_code ec;
    acceptor_.close(ec);
    accept_pause_.cancel();
  });
}

void Listener::do_accept() {
  if (stopped_) return;
  // Each connection gets its own strand: its handlers never run concurrently.
  acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&Listener::on_accept, this));
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || stopped_) return;
  if (ec) {
    accept_log_.warn(fmt::format("accept failed: {}", ec.message()));
    if (is_resource_exhaustion(ec)) {
      // Retrying at once would spin on the same error: pause, let connections close.
      accept_pause_.expires_after(kExhaustionPause);
      accept_pause_.async_wait([this](const beast::error_code& wait_ec) {
        if (!wait_ec) do_accept();
      });
      return;
    }
  } else if (sessions_.connections.live() >= sessions_.options.max_connections) {
    limit_log_.warn(
        fmt::format("{} connections open (MAX_CONNECTIONS): closing new ones", sessions_.options.max_connections));
    socket.close(ec);
  } else {
    socket.set_option(tcp::no_delay(true), ec);
    auto session = std::make_shared<Session>(std::move(socket), sessions_);
    sessions_.connections.add(session);
    session->start();
  }
  do_accept();
}

}  // namespace cloudretail::http
