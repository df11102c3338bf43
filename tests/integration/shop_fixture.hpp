#pragma once
// Shared by the shop-operations suites: a seeded shop (P001 29.99 ... P021, stock
// 100 each) with the bootstrap admin, and short HTTP helpers.
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "auth_helpers.hpp"
#include "test_server.hpp"

namespace cloudretail::testing::shop {

using Method = http::Method;
namespace json = boost::json;

inline std::unique_ptr<TestServer> start_shop(std::map<std::string, std::string> extra = {}) {
  auto env = admin_env();
  env["LOG_LEVEL"] = "warn";
  for (auto& [k, v] : extra) env[k] = v;
  std::string dir = make_temp_dir("cloudretail-shop-");
  env["DATA_DIR"] = dir;
  std::string out;
  if (run_command({"seed"}, env, &out) != 0) throw std::runtime_error("seed failed: " + out);
  ServerOptions options;
  options.env = env;
  options.data_dir = dir;
  return std::make_unique<TestServer>(options);
}

inline std::string str(const json::value& v, std::string_view key) { return std::string(v.at(key).as_string()); }

/// A call with `token` as the bearer (and any `extra` headers), on `c` or on the server's client.
inline Reply as(http::HttpClient& c, const std::string& token, Method m, const std::string& target,
                const std::string& body = "", Headers extra = {}) {
  Headers h = bearer(token);
  for (auto& kv : extra) h.push_back(kv);
  return call(c, m, target, body, h);
}

inline Reply as(TestServer& s, const std::string& token, Method m, const std::string& target,
                const std::string& body = "", Headers extra = {}) {
  return as(s.client(), token, m, target, body, std::move(extra));
}

/// The whole outbox as one string (every .eml file).
inline std::string outbox_text(TestServer& s) {
  std::string all;
  std::error_code ec;
  for (auto& f : std::filesystem::directory_iterator(s.data_dir() + "/outbox", ec)) {
    std::ifstream in(f.path());
    std::stringstream ss;
    ss << in.rdbuf();
    all += ss.str();
  }
  return all;
}

/// Polls the audit until ok (background work may still be settling).
inline Reply wait_audit_ok(TestServer& s, const std::string& admin, int seconds = 20) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  Reply r;
  do {
    r = as(s, admin, Method::kGet, "/admin/inventory-audit");
    if (r.status == 200 && r.json.at("ok").as_bool()) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  } while (std::chrono::steady_clock::now() < deadline);
  return r;
}

}  // namespace cloudretail::testing::shop
