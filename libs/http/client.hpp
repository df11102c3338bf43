#pragma once
/// A blocking HTTP/1.1 client with a keep-alive pool and per-call timeouts, for
/// calls between services in a split deployment and for the tests. Each pooled
/// connection owns a tiny io_context so a call's timeout is a real deadline.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "http/request.hpp"

namespace cloudretail::http {

struct ClientResponse {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(std::string_view name) const;  // case-insensitive, "" when absent
};

struct ClientRequest {
  Method method = Method::kGet;
  std::string target;  // path and query, e.g. "/inventory/P001"
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{5000};
  /// Retry once on a fresh connection when a pooled one turns out dead. Safe
  /// only for idempotent calls; non-idempotent calls retry only when nothing was sent.
  bool idempotent = false;
};

class HttpClient {
 public:
  /// base_url: http://host:port[/prefix]
  explicit HttpClient(std::string base_url, size_t max_idle = 16);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Transport failures (refused, timeout, reset) come back as an Error with
  /// code kUnavailable; any HTTP status is a successful ClientResponse.
  Result<ClientResponse> send(const ClientRequest& request);

  // Shorthands.
  Result<ClientResponse> get(std::string target, std::vector<std::pair<std::string, std::string>> headers = {});
  Result<ClientResponse> post(std::string target, std::string body,
                              std::vector<std::pair<std::string, std::string>> headers = {});

  const std::string& base_url() const { return base_url_; }

 private:
  struct Connection;
  std::unique_ptr<Connection> take_idle();
  void give_back(std::unique_ptr<Connection> c);

  std::string base_url_;
  std::string host_, port_, prefix_;
  size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace cloudretail::http
