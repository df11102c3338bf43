#include "app_fixture.hpp"

#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <memory>

#include "app.hpp"
#include "auth/authenticator.hpp"
#include "http/server.hpp"
#include "serve.hpp"

namespace cloudretail::fuzz {

namespace {
constexpr const char* kAdminEmail = "fuzz-admin@example.com";
constexpr const char* kAdminPassword = "FuzzAdmin12345";
}  // namespace

struct AppFixture::State {
  std::unique_ptr<app::App> app;
  std::unique_ptr<auth::GuardAuthenticator> authenticator;
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
  state_->authenticator =
      std::make_unique<auth::GuardAuthenticator>(config.service_token, state_->app->token_verifier);
  http::ServerOptions options;
  options.worker_threads = 1;
  state_->server = std::make_unique<http::Server>(options, state_->app->router, state_->app->metrics,
                                                  state_->authenticator.get());
  std::string body = std::string(R"({"email":")") + kAdminEmail + R"(","password":")" + kAdminPassword + "\"}";
  std::string reply = answer("POST /auth/login HTTP/1.1\r\nHost: f\r\nContent-Type: application/json\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + body);
  auto json = boost::json::parse(reply.substr(reply.find("\r\n\r\n") + 4));
  admin_token_ = std::string(json.at("tokens").at("accessToken").as_string());
}

std::string AppFixture::answer(std::string_view bytes) { return state_->server->answer_bytes(bytes); }

void AppFixture::require_no_500(const std::string& input, const std::string& answer) {
  for (size_t at = answer.find("HTTP/1.1 5"); at != std::string::npos; at = answer.find("HTTP/1.1 5", at + 1)) {
    // 501: a Transfer-Encoding we refuse; 503: a dependency down. Neither is a bug.
    if (answer.compare(at, 12, "HTTP/1.1 501") == 0 || answer.compare(at, 12, "HTTP/1.1 503") == 0) continue;
    std::fprintf(stderr, "a 5xx answer to fuzz input:\n%s\n---- answer:\n%s\n", input.c_str(), answer.c_str());
    std::abort();
  }
}

std::string percent_encode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace cloudretail::fuzz
