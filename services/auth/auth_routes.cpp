#include "auth/auth_routes.hpp"

#include "core/json_read.hpp"
#include "core/json_writer.hpp"

namespace cloudretail::auth {

namespace {

using http::Method;
using http::Request;
using http::Response;

std::string field(const boost::json::object& body, std::string_view key) { return json_string(body, key).value_or(""); }

/// The client's address for throttling. Behind the gateway on this machine every
/// peer is loopback, so the gateway's X-Forwarded-For (its last entry, the one
/// the gateway itself wrote) names the client; from any other peer the header is
/// ignored because a client could forge it.
std::string client_address(const Request& req) {
  const std::string& peer = req.remote_ip;
  bool loopback = peer.rfind("127.", 0) == 0 || peer == "::1" || peer.rfind("::ffff:127.", 0) == 0;
  std::string_view xff = req.header("X-Forwarded-For");
  if (!loopback || xff.empty()) return peer;
  auto comma = xff.rfind(',');
  std::string_view last = comma == std::string_view::npos ? xff : xff.substr(comma + 1);
  auto b = last.find_first_not_of(' '), e = last.find_last_not_of(' ');
  if (b == std::string_view::npos || e - b + 1 > 64) return peer;
  return std::string(last.substr(b, e - b + 1));
}

Response tokens_response(std::string_view message, const Tokens& t) {
  JsonWriter w;
  w.begin_object()
      .field("message", message)
      .key("tokens")
      .begin_object()
      .field("accessToken", t.access_token)
      .field("idToken", t.id_token)
      .field("refreshToken", t.refresh_token)
      .field("expiresIn", t.expires_in)
      .field("tokenType", "Bearer")
      .end_object()
      .end_object();
  return Response::json(200, w.take());
}

}  // namespace

void register_routes(http::Router& router, AuthService& service, const TokenSigner& signer) {
  router.add(Method::kPost, "/auth/register", [&service](Request& req) -> Result<Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto sub = service.register_user(field(*body, "email"), field(*body, "password"), client_address(req));
    if (!sub) return sub.error();
    JsonWriter w;
    w.begin_object()
        .field("message", "User registered. Check email for confirmation code.")
        .field("userConfirmed", false)
        .field("userSub", *sub)
        .end_object();
    return Response::json(201, w.take());
  });

  router.add(Method::kPost, "/auth/resend-code", [&service](Request& req) -> Result<Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto done = service.resend_code(field(*body, "email"), client_address(req));
    if (!done) return done.error();
    return Response::message(200, "Verification code sent");
  });

  router.add(Method::kPost, "/auth/confirm", [&service](Request& req) -> Result<Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto done = service.confirm(field(*body, "email"), field(*body, "code"));
    if (!done) return done.error();
    return Response::message(200, "Email confirmed successfully");
  });

  router.add(Method::kPost, "/auth/forgot-password", [&service](Request& req) -> Result<Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto done = service.forgot_password(field(*body, "email"), client_address(req));
    if (!done) return done.error();
    return Response::message(200, "If the account exists, a reset code was sent");
  });

  router.add(Method::kPost, "/auth/reset-password", [&service](Request& req) -> Result<Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto done = service.reset_password(field(*body, "email"), field(*body, "code"), field(*body, "newPassword"),
                                       client_address(req));
    if (!done) return done.error();
    return Response::message(200, "Password reset successfully");
  });

  // Bearer (guard table): the account is the token's.
  router.add(Method::kPost, "/auth/change-password", [&service](Request& req) -> Result<Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto done = service.change_password(req.principal.user_id, field(*body, "oldPassword"), field(*body, "newPassword"),
                                        client_address(req));
    if (!done) return done.error();
    return Response::message(200, "Password changed successfully");
  });

  router.add(Method::kPost, "/auth/login", [&service](Request& req) -> Result<Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto tokens = service.login(field(*body, "email"), field(*body, "password"), client_address(req));
    if (!tokens) return tokens.error();
    return tokens_response("Login successful", *tokens);
  });

  router.add(Method::kPost, "/auth/refresh", [&service](Request& req) -> Result<Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto tokens = service.refresh(field(*body, "refreshToken"));
    if (!tokens) return tokens.error();
    return tokens_response("Token refreshed", *tokens);
  });

  router.add(Method::kPost, "/auth/logout", [&service](Request& req) -> Result<Response> {
    auto body = parse_json_object(req.body);
    if (!body) return body.error();
    auto done = service.logout(field(*body, "refreshToken"));
    if (!done) return done.error();
    return Response::message(200, "Logged out successfully");
  });

  // A constant document: answered on the I/O thread, cacheable by gateways.
  router.add(
      Method::kGet, "/.well-known/jwks.json",
      [&signer](Request&) {
        Response r = Response::json(200, signer.jwks_json());
        r.headers.emplace_back("Cache-Control", "public, max-age=300");
        return r;
      },
      http::RouteOptions{.blocking = false});
}

}  // namespace cloudretail::auth
