#include "app_fixture.hpp"

#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <map>
#include <memory>

#include "app.hpp"
#include "authn/authenticator.hpp"
#include "http/server.hpp"
#include "serve.hpp"

namespace cloudretail::fuzz {

namespace {
constexpr const char* kAdminEmail = "fuzz-admin@example.com";
constexpr const char* kAdminPassword = "FuzzAdmin12345";
}  // namespace

struct AppFixture::State {
  std::unique_ptr<app::App> app;
  std::unique_ptr<authn::GuardAuthenticator> authenticator;
  std::unique_ptr<http::Server> server;
};

AppFixture& AppFixture::get() {
  static AppFixture* fixture = new AppFixture();  // never destroyed: the fuzzer exits the process
  return *fixture;
}

AppFixture::AppFixture() : state_(new State) {
  spdlog::set_level(spdlog::level::off);  // millions of requests: no access log
  char dir[] = "/dev/shm/cloudretail-fuzz-XXXXXX";
  if (!mkdtemp(dir)) std::abort();
  std::map<std::string, std::string> env{{"DATA_DIR", dir},
                                         {"PORT", "0"},
                                         {"SQLITE_SYNCHRONOUS", "NORMAL"},
                                         {"SERVICE_TOKEN", "fuzz-service-token-0123456789"},
                                         {"BOOTSTRAP_ADMIN_EMAIL", kAdminEmail},
                                         {"BOOTSTRAP_ADMIN_PASSWORD", kAdminPassword}};
  auto config = Config::from_env([&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  state_->app = app::build_app(config);
  if (!app::prepare_database(*state_->app)) std::abort();
  state_->authenticator = std::make_unique<authn::GuardAuthenticator>(config.service_token, state_->app->peers.tokens);
  http::ServerOptions options;
  options.worker_threads = 1;
  state_->server =
      std::make_unique<http::Server>(options, state_->app->router, state_->app->metrics, state_->authenticator.get());
  std::string body = std::string(R"({"email":")") + kAdminEmail + R"(","password":")" + kAdminPassword + "\"}";
  std::string reply =
      answer("POST /auth/login HTTP/1.1\r\nHost: f\r\nContent-Type: application/json\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body);
  auto json = boost::json::parse(reply.substr(reply.find("\r\n\r\n") + 4));
  admin_token_ = std::string(json.at("tokens").at("accessToken").as_string());
}

std::string AppFixture::answer(std::string_view bytes) { return state_->server->answer_bytes(bytes); }

void AppFixture::require_no_500(const std::string& input, const std::string& answer) {
  auto statuses = response_statuses(answer);
  if (!statuses) {
    std::fprintf(stderr, "answer bytes that do not frame as responses, to fuzz input:\n%s\n---- answer:\n%s\n",
                 input.c_str(), answer.c_str());
    std::abort();
  }
  for (int status : *statuses) {
    // 501: a Transfer-Encoding we refuse; 503: a dependency down. Neither is a bug.
    if (status < 500 || status == 501 || status == 503) continue;
    std::fprintf(stderr, "a %d answer to fuzz input:\n%s\n---- answer:\n%s\n", status, input.c_str(), answer.c_str());
    std::abort();
  }
}

std::optional<std::vector<int>> response_statuses(std::string_view answer) {
  // Only status lines count, never body bytes: a body may echo the fuzzer's input
  // (a Host header, a path), and "HTTP/1.1 500" in it is no 500.
  constexpr std::string_view kVersion = "HTTP/1.1 ";
  auto starts_response = [&](size_t at) { return at == answer.size() || answer.substr(at).starts_with(kVersion); };
  std::vector<int> statuses;
  size_t at = 0;
  while (at < answer.size()) {
    if (!starts_response(at)) return std::nullopt;
    int status = 0;
    std::string_view code = answer.substr(at + kVersion.size(), 3);
    if (code.size() != 3 || std::from_chars(code.data(), code.data() + 3, status).ptr != code.data() + 3)
      return std::nullopt;
    statuses.push_back(status);
    size_t headers_end = answer.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) return std::nullopt;
    headers_end += 4;
    // The server frames every body with Content-Length; after a HEAD (and a 204/304)
    // no body follows, so the next response starts right after the headers.
    std::string headers(answer.substr(at, headers_end - at));
    std::transform(headers.begin(), headers.end(), headers.begin(), [](unsigned char c) { return std::tolower(c); });
    size_t length = 0;
    if (size_t field = headers.find("\r\ncontent-length:"); field != std::string::npos) {
      size_t value = headers.find_first_not_of(' ', field + 17);
      std::from_chars(headers.data() + value, headers.data() + headers.size(), length);
    }
    if (length <= answer.size() - headers_end && starts_response(headers_end + length)) {
      at = headers_end + length;
    } else if (starts_response(headers_end)) {
      at = headers_end;
    } else {
      return std::nullopt;
    }
  }
  return statuses;
}

}  // namespace cloudretail::fuzz
