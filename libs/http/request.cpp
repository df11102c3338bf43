#include "http/request.hpp"

#include <strings.h>

#include "core/json_writer.hpp"

namespace cloudretail::http {

std::string_view method_name(Method m) {
  switch (m) {
    case Method::kGet:
      return "GET";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kDelete:
      return "DELETE";
    case Method::kPatch:
      return "PATCH";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kHead:
      return "HEAD";
    case Method::kOther:
      return "OTHER";
  }
  return "OTHER";
}

Method parse_method(std::string_view name) {
  if (name == "GET") return Method::kGet;
  if (name == "POST") return Method::kPost;
  if (name == "PUT") return Method::kPut;
  if (name == "DELETE") return Method::kDelete;
  if (name == "PATCH") return Method::kPatch;
  if (name == "OPTIONS") return Method::kOptions;
  if (name == "HEAD") return Method::kHead;
  return Method::kOther;
}

std::string_view Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  return {};
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

const std::string& Request::param(std::string_view name) const {
  static const std::string kEmpty;
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return kEmpty;
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::message(int status, std::string_view msg) {
  JsonWriter w;
  w.begin_object().field("message", msg).end_object();
  return json(status, w.take());
}

Response Response::from_error(const Error& error) {
  JsonWriter w;
  w.begin_object().field("message", error.message);
  if (!error.name.empty()) w.field("error", error.name);
  for (const auto& [k, v] : error.fields) w.key(k).raw(v);
  w.end_object();
  Response r = json(http_status(error.code), w.take());
  if (!error.retry_after.empty()) r.headers.emplace_back("Retry-After", error.retry_after);
  return r;
}

}  // namespace cloudretail::http
