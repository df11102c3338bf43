#pragma once
/// The generic half of every service's HTTP client (services/<name>/<name>_http_client.*),
/// used in a split deployment: the service token on every call, JSON bodies, and one rule
/// for failures — a peer that cannot be reached, times out or answers 5xx is
/// kUnavailable with the peer's message ("Inventory service error"), so callers
/// answer 503 and create nothing.
#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "http/client.hpp"

namespace cloudretail::http {

struct PeerReply {
  int status = 0;
  boost::json::object body;  // empty when the body was not a JSON object
};

class Peer {
 public:
  /// `unavailable_message` e.g. "Inventory service error".
  Peer(std::string base_url, std::string service_token, std::string unavailable_message);

  /// Sends and parses; transport errors and 5xx become kUnavailable.
  Result<PeerReply> call(Method method, const std::string& target, std::string body = {}, bool idempotent = false);

  /// An Error carrying a peer's 4xx answer (status, message, error and fields).
  static Error error_from(const PeerReply& reply);

  const std::string& unavailable_message() const { return unavailable_message_; }

 private:
  std::unique_ptr<HttpClient> client_;
  std::string service_token_;
  std::string unavailable_message_;
};

/// Percent-encodes one path segment.
std::string encode_segment(std::string_view s);

}  // namespace cloudretail::http
