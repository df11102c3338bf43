#include "http/client.hpp"

#include <strings.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <stdexcept>

namespace cloudretail::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

struct HttpClient::Connection {
  net::io_context ioc{1};
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
};

std::string ClientResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  return {};
}

HttpClient::HttpClient(std::string base_url, size_t max_idle) : base_url_(std::move(base_url)), max_idle_(max_idle) {
  std::string rest = base_url_;
  if (rest.rfind("http://", 0) != 0) throw std::invalid_argument("HttpClient supports http:// URLs only: " + base_url_);
  rest = rest.substr(7);
  auto slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  prefix_ = slash == std::string::npos ? "" : rest.substr(slash);
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  auto colon = hostport.rfind(':');
  if (colon == std::string::npos) {
    host_ = hostport;
    port_ = "80";
  } else {
    host_ = hostport.substr(0, colon);
    port_ = hostport.substr(colon + 1);
  }
}

HttpClient::~HttpClient() = default;

std::unique_ptr<HttpClient::Connection> HttpClient::take_idle() {
  std::lock_guard lock(mutex_);
  if (idle_.empty()) return nullptr;
  auto c = std::move(idle_.back());
  idle_.pop_back();
  return c;
}

void HttpClient::give_back(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(c));
}

namespace {

/// Runs the connection's io_context until `done` or the deadline.
bool run_until(net::io_context& ioc, bool& done, std::chrono::steady_clock::time_point deadline) {
  ioc.restart();
  while (!done) {
    if (ioc.run_one_until(deadline) == 0 && !done) return false;
  }
  return true;
}

}  // namespace

Result<ClientResponse> HttpClient::send(const ClientRequest& request) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(std::string(method_name(request.method)));
  req.target(prefix_ + request.target);
  req.version(11);
  req.set(bhttp::field::host, host_ + ":" + port_);
  req.keep_alive(true);
  for (const auto& [k, v] : request.headers) req.set(k, v);
  if (!request.body.empty() && req.find(bhttp::field::content_type) == req.end())
    req.set(bhttp::field::content_type, "application/json");
  req.body() = request.body;
  req.prepare_payload();

  for (int attempt = 0; attempt < 2; ++attempt) {
    auto conn = attempt == 0 ? take_idle() : nullptr;
    const bool reused = conn != nullptr;
    auto deadline = std::chrono::steady_clock::now() + request.timeout;
    beast::error_code ec;
    if (!conn) {
      conn = std::make_unique<Connection>();
      tcp::resolver resolver(conn->ioc);
      auto endpoints = resolver.resolve(host_, port_, ec);
      if (ec) return unavailable("cannot resolve " + host_);
      bool done = false;
      conn->stream.expires_at(deadline);
      conn->stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
        ec = e;
        done = true;
      });
      if (!run_until(conn->ioc, done, deadline) || ec) return unavailable("connect failed");
      conn->stream.socket().set_option(tcp::no_delay(true), ec);
    }

    bool done = false;
    size_t written = 0;
    conn->stream.expires_at(deadline);
    bhttp::async_write(conn->stream, req, [&](beast::error_code e, size_t n) {
      ec = e;
      written = n;
      done = true;
    });
    if (!run_until(conn->ioc, done, deadline)) return unavailable("request timed out");
    if (ec) {
      if (reused) continue;  // stale keep-alive connection; nothing was processed
      return unavailable("send failed");
    }

    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    done = false;
    size_t read = 0;
    bhttp::async_read(conn->stream, conn->buffer, parser, [&](beast::error_code e, size_t n) {
      ec = e;
      read = n;
      done = true;
    });
    if (!run_until(conn->ioc, done, deadline)) return unavailable("request timed out");
    if (ec) {
      // The server closed a pooled connection before reading our request.
      if (reused && read == 0 &&
          (ec == bhttp::error::end_of_stream || ec == net::error::connection_reset || ec == net::error::eof ||
           request.idempotent))
        continue;
      return unavailable("receive failed");
    }
    auto& msg = parser.get();
    ClientResponse out;
    out.status = static_cast<int>(msg.result_int());
    out.body = std::move(msg.body());
    for (const auto& f : msg) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    if (msg.keep_alive()) give_back(std::move(conn));
    return out;
  }
  return unavailable("connection failed");
}

Result<ClientResponse> HttpClient::get(std::string target, std::vector<std::pair<std::string, std::string>> headers) {
  ClientRequest r;
  r.method = Method::kGet;
  r.target = std::move(target);
  r.headers = std::move(headers);
  r.idempotent = true;
  return send(r);
}

Result<ClientResponse> HttpClient::post(std::string target, std::string body,
                                        std::vector<std::pair<std::string, std::string>> headers) {
  ClientRequest r;
  r.method = Method::kPost;
  r.target = std::move(target);
  r.body = std::move(body);
  r.headers = std::move(headers);
  return send(r);
}

}  // namespace cloudretail::http
