#include "auth_helpers.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "parse_eml.hpp"

namespace cloudretail::testing {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string body_json(const std::string& email, const std::string& password) {
  boost::json::object o{{"email", email}, {"password", password}};
  return boost::json::serialize(o);
}

std::string b64url_decode(const std::string& in) {
  std::string s = in;
  std::replace(s.begin(), s.end(), '-', '+');
  std::replace(s.begin(), s.end(), '_', '/');
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    auto pos = kAlphabet.find(c);
    if (pos == std::string::npos) break;
    acc = (acc << 6) | static_cast<uint32_t>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

/// POST that honours 429 + Retry-After (a burst of logins in a test may meet the
/// server's cap on concurrent password hashing), for up to 30 s.
Reply post_patiently(TestServer& server, const std::string& path, const std::string& body) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    auto r = call(server.client(), http::Method::kPost, path, body);
    if (r.status != 429 || std::chrono::steady_clock::now() > deadline) return r;
    int wait_s = 1;
    try {
      wait_s = std::max(1, std::stoi(r.header("Retry-After")));
    } catch (...) {
    }
    std::this_thread::sleep_for(std::chrono::seconds(std::min(wait_s, 5)));
  }
}

}  // namespace

std::map<std::string, std::string> admin_env() {
  return {{"BOOTSTRAP_ADMIN_EMAIL", kAdminEmail}, {"BOOTSTRAP_ADMIN_PASSWORD", kAdminPassword}};
}

boost::json::object jwt_claims(const std::string& token) {
  auto d1 = token.find('.');
  auto d2 = token.find('.', d1 + 1);
  if (d1 == std::string::npos || d2 == std::string::npos) throw std::runtime_error("not a JWT");
  return boost::json::parse(b64url_decode(token.substr(d1 + 1, d2 - d1 - 1))).as_object();
}

Tokens login(TestServer& server, const std::string& email, const std::string& password) {
  auto r = post_patiently(server, "/auth/login", body_json(email, password));
  if (r.status != 200)
    throw std::runtime_error("login of " + email + " failed: " + std::to_string(r.status) + " " + r.body);
  const auto& t = r.json.at("tokens");
  Tokens out;
  out.access_token = std::string(t.at("accessToken").as_string());
  out.id_token = std::string(t.at("idToken").as_string());
  out.refresh_token = std::string(t.at("refreshToken").as_string());
  out.user_id = std::string(jwt_claims(out.access_token).at("sub").as_string());
  return out;
}

Tokens login_admin(TestServer& server) { return login(server, kAdminEmail, kAdminPassword); }

std::vector<std::string> emailed_codes(TestServer& server, const std::string& email) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(server.data_dir()) / "outbox", ec))
    if (entry.path().extension() == ".eml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());  // names start with a timestamp
  static const std::regex kCodeLine(R"(^\s*(\d{6})\s*$)");
  std::vector<std::string> codes;
  for (const auto& f : files) {
    std::ifstream in(f);
    std::string line;
    bool addressed = false;
    std::string code;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::string l = lower(line);
      if (l.rfind("to:", 0) == 0 && l.find(lower(email)) != std::string::npos) addressed = true;
      std::smatch m;
      if (code.empty() && std::regex_match(line, m, kCodeLine)) code = m[1];
    }
    if (addressed && !code.empty()) codes.push_back(code);
  }
  return codes;
}

std::string wait_for_code(TestServer& server, const std::string& email, size_t already_seen) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    auto codes = emailed_codes(server, email);
    if (codes.size() > already_seen) return codes.back();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("no verification code emailed to " + email);
}

Tokens register_and_login(TestServer& server, const std::string& email, const std::string& password) {
  size_t seen = emailed_codes(server, email).size();
  auto r = post_patiently(server, "/auth/register", body_json(email, password));
  if (r.status != 201) throw std::runtime_error("register of " + email + " failed: " + r.body);
  std::string code = wait_for_code(server, email, seen);
  boost::json::object confirm{{"email", email}, {"code", code}};
  r = call(server.client(), http::Method::kPost, "/auth/confirm", boost::json::serialize(confirm));
  if (r.status != 200) throw std::runtime_error("confirm of " + email + " failed: " + r.body);
  return login(server, email, password);
}

std::vector<OutboxEmail> outbox_emails(const std::string& outbox_dir, const std::string& email) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(outbox_dir, ec))
    if (entry.path().extension() == ".eml") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());  // names start with a timestamp
  std::vector<OutboxEmail> out;
  if (files.empty()) return out;
  boost::json::array all = parse_eml_files(files);
  auto str = [](const boost::json::object& o, const char* k) {
    auto* v = o.if_contains(k);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  for (size_t i = 0; i < all.size() && i < files.size(); ++i) {
    const auto& o = all[i].as_object();
    OutboxEmail m{files[i], str(o, "to"), str(o, "subject"), str(o, "text"), str(o, "html")};
    if (lower(m.to).find(lower(email)) != std::string::npos) out.push_back(std::move(m));
  }
  return out;
}

std::string wait_for_emailed_code(const std::string& outbox_dir, const std::string& email,
                                  const std::string& subject_part, size_t already_seen) {
  static const std::regex kCodeLine(R"(^\s*(\d{6})\s*$)");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    std::vector<OutboxEmail> matching;
    for (auto& m : outbox_emails(outbox_dir, email))
      if (m.subject.find(subject_part) != std::string::npos) matching.push_back(std::move(m));
    if (matching.size() > already_seen) {
      std::istringstream lines(matching.back().text);
      std::string line;
      std::smatch found;
      while (std::getline(lines, line))
        if (std::regex_match(line, found, kCodeLine)) return found[1];
      throw std::runtime_error("no code line in \"" + matching.back().subject + "\"");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (std::chrono::steady_clock::now() < deadline);
  throw std::runtime_error("no \"" + subject_part + "\" email to " + email);
}

}  // namespace cloudretail::testing
