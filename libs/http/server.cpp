#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <list>
#include <sstream>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/json_writer.hpp"
#include "db/database.hpp"

namespace cloudretail::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr std::string_view kAllowHeaders =
    "Authorization, Content-Type, Idempotency-Key, X-Request-Id, X-Service-Token";

/// Request ids: a random per-process prefix and a counter; unique and cheap.
class RequestIdGenerator {
 public:
  RequestIdGenerator() : prefix_(crypto::to_hex(crypto::random_bytes(6))) {}
  std::string next() { return prefix_ + "-" + std::to_string(counter_.fetch_add(1, std::memory_order_relaxed)); }

 private:
  std::string prefix_;
  std::atomic<uint64_t> counter_{1};
};

using WireRequest = bhttp::request<bhttp::string_body>;
using WireResponse = bhttp::response<bhttp::string_body>;

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

/// The answer to a request Beast could not parse.
Response parse_error_response(const beast::error_code& ec) {
  if (ec == bhttp::error::body_limit) return error_response(413, "Request body too large", "PayloadTooLarge");
  if (ec == bhttp::error::header_limit) return error_response(431, "Request headers too large", "HeadersTooLarge");
  return error_response(400, "Bad request", "BadRequest");
}

/// Accept failures that mean "no descriptor (or memory) for a new socket right now":
/// retrying at once only spins, so accepting pauses briefly.
bool is_resource_exhaustion(const beast::error_code& ec) {
  return ec == net::error::no_descriptors || ec == net::error::no_buffer_space || ec == net::error::no_memory ||
         ec.value() == ENFILE;
}

/// Logs a repeating condition at most once a second, with how often it happened.
class ThrottledLog {
 public:
  void warn(std::string_view what) {
    ++count_;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::seconds(1)) return;
    spdlog::warn("{} ({} time(s) since the last such line)", what, count_);
    count_ = 0;
    last_ = now;
  }

 private:
  uint64_t count_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

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

/// What the server decided about a parsed request before any handler runs.
struct Admission {
  std::optional<Response> early;  // answer without a handler (404, 405, 401, preflight, framing)
  bool close = false;             // framing refused: answer, then stop reading this connection
  const Route* route = nullptr;
  int route_index = -1;
};

class Session;

class Server::Impl {
 public:
  Impl(ServerOptions options, Router& router, Metrics& metrics, Authenticator* authenticator)
      : options_(std::move(options)),
        router_(router),
        metrics_(metrics),
        authenticator_(authenticator),
        ioc_(options_.io_threads > 0 ? options_.io_threads : std::max(1u, std::thread::hardware_concurrency())),
        acceptor_(net::make_strand(ioc_)),
        signals_(ioc_, SIGINT, SIGTERM),
        pool_(static_cast<size_t>(std::max(1, options_.worker_threads))) {}

  uint16_t listen() {
    auto address = net::ip::make_address(options_.host);
    tcp::endpoint endpoint(address, static_cast<unsigned short>(options_.port));
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
    return acceptor_.local_endpoint().port();
  }

  void run() {
    signals_.async_wait([this](const beast::error_code& ec, int signo) {
      if (!ec) {
        spdlog::info("signal {} received: finishing in-flight requests", signo);
        begin_shutdown();
      }
    });
    do_accept();
    int n = options_.io_threads > 0 ? options_.io_threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> threads;
    for (int i = 1; i < n; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : threads) t.join();
    pool_.join();
  }

  void stop() {
    net::post(ioc_, [this] { begin_shutdown(); });
  }

  // The steps between a parsed message and its answer; sessions and answer_bytes() share them.
  /// Fills `req` from the message and decides: an early answer, or the route to run.
  Admission admit(WireRequest& msg, Request& req, const std::string& remote_ip);
  Response invoke(const Route& route, Request& req, std::string_view method);
  /// The route's fast path; nullopt (go to the pool) also when it throws.
  std::optional<Response> try_inline(const Route& route, Request& req, std::string_view method);
  /// The wire response; a HEAD answer keeps the Content-Length and drops the body.
  std::shared_ptr<WireResponse> to_wire(Response resp, const Request& req, bool head, bool keep);
  std::string answer_bytes(std::string_view bytes);

  void finish(const Request& req, int route_index, int status, int64_t micros, std::string_view method);
  void register_session(const std::shared_ptr<Session>& s);
  void unregister_session(Session* s);
  bool shutting_down() const { return shutting_down_.load(); }
  std::shared_ptr<Session> make_session(tcp::socket&& socket);

  ServerOptions options_;
  Router& router_;
  Metrics& metrics_;
  Authenticator* authenticator_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::signal_set signals_;
  net::thread_pool pool_;
  RequestIdGenerator ids_;
  /// The "access" logger (pattern "%v": lines are pure JSON) when main made one.
  std::shared_ptr<spdlog::logger> access_log_ = spdlog::get("access") ? spdlog::get("access") : spdlog::default_logger();

 private:
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void begin_shutdown();
  std::optional<Response> route(Request& req, std::string_view target, const Route*& route, int& route_index);

  std::atomic<bool> shutting_down_{false};
  std::atomic<int> live_sessions_{0};
  // Touched only by the accept handler (one accept is outstanding at a time).
  net::steady_timer accept_pause_{acceptor_.get_executor()};
  ThrottledLog accept_log_;
  ThrottledLog limit_log_;
  std::mutex sessions_mutex_;
  std::list<std::weak_ptr<Session>> sessions_;
  std::unique_ptr<net::steady_timer> force_timer_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ip_ = ep.address().to_string();
  }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
  }

  /// On shutdown: close now if waiting for a request, else after the response.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

  std::list<std::weak_ptr<Session>>::iterator registry_position;

 private:
  void do_read() {
    if (server_.shutting_down()) return close();
    parser_.emplace();
    parser_->body_limit(server_.options_.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options_.header_limit));
    stream_.expires_after(server_.options_.idle_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
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
    Admission admission = server_.admit(msg, *request_, remote_ip_);
    if (admission.close) return send_and_close(std::move(*admission.early));
    if (admission.early) return send(std::move(*admission.early), admission.route_index);

    const Route* route = admission.route;
    int route_index = admission.route_index;
    if (!route->options.blocking) return send(server_.invoke(*route, *request_, method_), route_index);
    if (route->options.try_inline) {
      // A cache hit answers here, without the hop to the pool and back.
      if (auto resp = server_.try_inline(*route, *request_, method_)) return send(std::move(*resp), route_index);
    }
    // Blocking work goes to the pool; the answer comes back on this session's strand.
    net::post(server_.pool_, [self = shared_from_this(), route, route_index,
                              work = net::make_work_guard(stream_.get_executor())]() mutable {
      Response resp = self->server_.invoke(*route, *self->request_, self->method_);
      net::post(self->stream_.get_executor(), [self, route_index, resp = std::move(resp)]() mutable {
        self->send(std::move(resp), route_index);
      });
    });
  }

  /// Answers, then closes after draining what the client is still sending (a refused
  /// body, or bytes after a request whose framing we refused, are never parsed).
  void send_and_close(Response resp) {
    keep_alive_ = false;
    drain_before_close_ = true;
    if (request_->request_id.empty()) request_->request_id = server_.ids_.next();
    send(std::move(resp), -1);
  }

  void send(Response resp, int route_index) {
    bool keep = keep_alive_ && !server_.shutting_down();
    auto status = resp.status;
    auto res = server_.to_wire(std::move(resp), *request_, head_, keep);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count();
    server_.finish(*request_, route_index, status, micros, method_);

    stream_.expires_after(server_.options_.idle_timeout);
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res, keep](beast::error_code ec, std::size_t) {
      self->busy_ = false;
      self->request_.reset();
      self->parser_.reset();
      if (!ec && self->drain_before_close_) return self->lingering_close();
      if (ec || !keep) return self->close();
      self->do_read();
    });
  }

  /// After refusing a request whose body is still arriving: stop sending, read
  /// and discard what the client is still writing (bounded), then close. Closing
  /// at once would reset the connection and the client would never see the 413.
  /// The bytes go into the read buffer the session already has, so a refused
  /// request costs no memory a well-formed one would not.
  void lingering_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    buffer_.clear();
    drain_once();
  }

  void drain_once() {
    auto room = buffer_.prepare(std::clamp<size_t>(buffer_.capacity(), 512, 64 * 1024));
    stream_.async_read_some(room, [self = shared_from_this()](beast::error_code ec, size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > 8 * 1024 * 1024) return self->close();
      self->drain_once();
    });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

 public:
  ~Session() { server_.unregister_session(this); }

 private:
  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
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

Admission Server::Impl::admit(WireRequest& msg, Request& req, const std::string& remote_ip) {
  Admission a;
  req.method = parse_method(std::string_view(msg.method_string().data(), msg.method_string().size()));
  req.remote_ip = remote_ip;
  for (const auto& field : msg)
    req.headers.emplace_back(std::string_view(field.name_string().data(), field.name_string().size()),
                             std::string_view(field.value().data(), field.value().size()));
  auto incoming_id = req.header("X-Request-Id");
  req.request_id = is_acceptable_request_id(incoming_id) ? std::string(incoming_id) : ids_.next();
  if (!transfer_encoding_is_acceptable(msg)) {
    a.early = error_response(501, "Transfer-Encoding not supported (only chunked)", "NotImplemented");
    a.close = true;
    return a;
  }
  req.body = std::move(msg.body());
  a.early = route(req, std::string_view(msg.target().data(), msg.target().size()), a.route, a.route_index);
  return a;
}

/// Routing, CORS preflight and guards; an early response, or the route to run.
std::optional<Response> Server::Impl::route(Request& req, std::string_view target, const Route*& route,
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
      Response r = Response::from_error(make_error(ErrorCode::kMethodNotAllowed, "Method not allowed", "MethodNotAllowed"));
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

Response Server::Impl::invoke(const Route& route, Request& req, std::string_view method) {
  try {
    return route.handler(req);
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

std::optional<Response> Server::Impl::try_inline(const Route& route, Request& req, std::string_view method) {
  try {
    return route.options.try_inline(req);
  } catch (const std::exception& e) {
    spdlog::warn("fast path of {} {} failed, using the pool: {}", method, route.pattern, e.what());
  } catch (...) {
    spdlog::warn("fast path of {} {} failed, using the pool", method, route.pattern);
  }
  return std::nullopt;
}

std::shared_ptr<WireResponse> Server::Impl::to_wire(Response resp, const Request& req, bool head, bool keep) {
  auto res = std::make_shared<WireResponse>();
  res->version(11);
  res->result(static_cast<unsigned>(resp.status));
  if (!resp.content_type.empty()) res->set(bhttp::field::content_type, resp.content_type);
  res->set("X-Request-Id", req.request_id);
  res->set(bhttp::field::access_control_allow_origin, options_.cors_allow_origin);
  res->set(bhttp::field::access_control_expose_headers, "X-Request-Id, Retry-After");
  for (auto& [k, v] : resp.headers) res->set(k, v);
  res->keep_alive(keep);
  res->body() = std::move(resp.body);
  res->prepare_payload();
  if (head) {
    // The length GET would send, and no body: the client reads none after a HEAD.
    auto length = res->body().size();
    res->body().clear();
    if (resp.status != 204 && resp.status != 304) res->content_length(length);
  }
  return res;
}

std::string Server::Impl::answer_bytes(std::string_view bytes) {
  std::string out;
  bool keep = true;
  while (keep && !bytes.empty()) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(options_.body_limit);
    parser.header_limit(static_cast<std::uint32_t>(options_.header_limit));
    parser.eager(true);
    beast::error_code ec;
    while (!parser.is_done()) {
      size_t used = parser.put(net::buffer(bytes.data(), bytes.size()), ec);
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
      req.request_id = ids_.next();
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
    std::ostringstream wire;
    wire << *to_wire(std::move(resp), req, head, keep);
    out += wire.str();
  }
  return out;
}

std::shared_ptr<Session> Server::Impl::make_session(tcp::socket&& socket) {
  return std::make_shared<Session>(std::move(socket), *this);
}

void Server::Impl::do_accept() {
  acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&Impl::on_accept, this));
}

void Server::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || shutting_down_) return;
  if (ec) {
    accept_log_.warn(fmt::format("accept failed: {}", ec.message()));
    if (is_resource_exhaustion(ec)) {
      // Retrying at once would spin on the same error: pause, let connections close.
      accept_pause_.expires_after(std::chrono::milliseconds(100));
      accept_pause_.async_wait([this](const beast::error_code& wait_ec) {
        if (!wait_ec && !shutting_down_) do_accept();
      });
      return;
    }
  } else if (live_sessions_.load() >= options_.max_connections) {
    limit_log_.warn(fmt::format("{} connections open (MAX_CONNECTIONS): closing new ones", options_.max_connections));
    socket.close(ec);
  } else {
    socket.set_option(tcp::no_delay(true), ec);
    auto session = make_session(std::move(socket));
    register_session(session);
    session->start();
  }
  do_accept();
}

void Server::Impl::register_session(const std::shared_ptr<Session>& s) {
  live_sessions_.fetch_add(1);
  std::lock_guard lock(sessions_mutex_);
  sessions_.push_front(s);
  s->registry_position = sessions_.begin();
}

void Server::Impl::unregister_session(Session* s) {
  live_sessions_.fetch_sub(1);
  std::lock_guard lock(sessions_mutex_);
  sessions_.erase(s->registry_position);
}

void Server::Impl::begin_shutdown() {
  if (shutting_down_.exchange(true)) return;
  beast::error_code ec;
  acceptor_.close(ec);
  signals_.cancel(ec);
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mutex_);
    for (auto& w : sessions_)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) s->close_if_idle();
  // A request that never finishes must not keep the process alive forever.
  force_timer_ = std::make_unique<net::steady_timer>(ioc_, std::chrono::seconds(20));
  force_timer_->async_wait([this](const beast::error_code& ec) {
    if (!ec) {
      spdlog::warn("shutdown deadline reached: stopping with requests in flight");
      ioc_.stop();
    }
  });
  // Cancel the deadline once the last session is gone.
  auto poll = std::make_shared<net::steady_timer>(ioc_);
  auto check = std::make_shared<std::function<void()>>();
  *check = [this, poll, check] {
    bool empty;
    {
      std::lock_guard lock(sessions_mutex_);
      empty = sessions_.empty();
    }
    if (empty) {
      force_timer_->cancel();
      *check = nullptr;  // break the cycle
      return;
    }
    poll->expires_after(std::chrono::milliseconds(20));
    poll->async_wait([check](const beast::error_code&) {
      if (*check) (*check)();
    });
  };
  (*check)();
}

void Server::Impl::finish(const Request& req, int route_index, int status, int64_t micros, std::string_view method) {
  metrics_.observe(route_index, status, micros);
  // One JSON object per line, built only when the access log is on.
  if (access_log_->should_log(spdlog::level::info)) {
    std::string_view route = route_index >= 0 ? std::string_view(router_.routes()[static_cast<size_t>(route_index)]->pattern)
                                              : std::string_view("unmatched");
    access_log_->info(R"({{"ts":"{}","method":"{}","route":"{}","status":{},"us":{},"requestId":{}}})",
                      format_timestamp(SystemClock().now_ms()), method, route, status, micros,
                      json_quote(req.request_id));
  }
}

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
