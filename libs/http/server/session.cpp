#include "http/server/session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>

namespace cloudretail::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {
/// A lingering close reads for at most this long and this much, then closes anyway.
constexpr auto kDrainTimeout = std::chrono::seconds(2);
constexpr size_t kMaxDrainBytes = 8 * 1024 * 1024;
}  // namespace

Session::Session(tcp::socket&& socket, SessionContext& context)
    : stream_(std::move(socket)), context_(context), connections_(context.connections) {
  beast::error_code ec;
  auto ep = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ip_ = ep.address().to_string();
}

Session::~Session() { connections_.remove(this); }

void Session::start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
}

void Session::close_if_idle() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (!self->busy_) self->close();
  });
}

void Session::do_read() {
  if (context_.connections.closing()) return close();
  parser_.emplace();
  parser_->body_limit(context_.options.body_limit);
  parser_->header_limit(static_cast<std::uint32_t>(context_.options.header_limit));
  // One deadline for the idle wait and the whole request: a slow sender is cut off too.
  stream_.expires_after(context_.options.idle_timeout);
  bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
}

void Session::on_read(beast::error_code ec, std::size_t) {
  if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
      ec == net::error::connection_reset || ec == net::error::eof)
    return close();
  busy_ = true;
  started_ = std::chrono::steady_clock::now();
  request_ = std::make_unique<Request>();
  if (ec) return send_and_close(parse_error_response(ec));

  stream_.expires_never();
  auto& msg = parser_->get();
  keep_alive_ = msg.keep_alive();
  head_ = msg.method() == bhttp::verb::head;
  method_ = std::string(msg.method_string());
  RequestPipeline& pipeline = context_.pipeline;
  Admission admission = pipeline.admit(msg, *request_, remote_ip_);
  if (admission.close) return send_and_close(std::move(*admission.early));
  if (admission.early) return send(std::move(*admission.early), admission.route_index);

  const Route* route = admission.route;
  int route_index = admission.route_index;
  if (!route->options.blocking) return send(pipeline.invoke(*route, *request_, method_), route_index);
  if (route->options.try_inline) {
    // A cache hit answers here, without the hop to the pool and back.
    if (auto resp = pipeline.try_inline(*route, *request_, method_)) return send(std::move(*resp), route_index);
  }
  // Blocking work goes to the pool; the answer comes back on this session's strand.
  net::post(context_.pool, [self = shared_from_this(), route, route_index,
                            work = net::make_work_guard(stream_.get_executor())]() mutable {
    Response resp = self->context_.pipeline.invoke(*route, *self->request_, self->method_);
    net::post(self->stream_.get_executor(),
              [self, route_index, resp = std::move(resp)]() mutable { self->send(std::move(resp), route_index); });
  });
}

void Session::send_and_close(Response resp) {
  keep_alive_ = false;
  drain_before_close_ = true;
  if (request_->request_id.empty()) request_->request_id = context_.pipeline.next_request_id();
  send(std::move(resp), -1);
}

void Session::send(Response resp, int route_index) {
  bool keep = keep_alive_ && !context_.connections.closing();
  auto status = resp.status;
  auto bytes = std::make_shared<const std::string>(context_.pipeline.to_wire(resp, *request_, head_, keep));
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count();
  context_.pipeline.finish(*request_, route_index, status, micros, method_);

  stream_.expires_after(context_.options.idle_timeout);
  boost::asio::async_write(stream_, boost::asio::buffer(*bytes),
                           [self = shared_from_this(), bytes, keep](beast::error_code ec, std::size_t) {
                             self->busy_ = false;
                             self->request_.reset();
                             self->parser_.reset();
                             if (!ec && self->drain_before_close_) return self->lingering_close();
                             if (ec || !keep) return self->close();
                             self->do_read();
                           });
}

/// After refusing a request whose body is still arriving: stop sending, read and
/// discard what the client is still writing (bounded), then close. Closing at once
/// would reset the connection and the client would never see the 413. The bytes go
/// into the read buffer the session already has, so a refused request costs no
/// memory a well-formed one would not.
void Session::lingering_close() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.expires_after(kDrainTimeout);
  buffer_.clear();
  drain_once();
}

void Session::drain_once() {
  auto room = buffer_.prepare(std::clamp<size_t>(buffer_.capacity(), 512, 64 * 1024));
  stream_.async_read_some(room, [self = shared_from_this()](beast::error_code ec, size_t n) {
    self->drained_ += n;
    if (ec || self->drained_ > kMaxDrainBytes) return self->close();
    self->drain_once();
  });
}

void Session::close() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

}  // namespace cloudretail::http
